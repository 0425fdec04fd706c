/**
 * File reading for the CLI: landmark tables, id lists, shape models. Thin adapters over the pure
 * parsers in core; every error names the file.
 */
import { readFileSync } from 'node:fs';
import {
  parseIdList,
  parseLandmarkTable,
  selectRows,
  type LandmarkTable,
} from '../../core/data/landmarkTable.ts';
import { parseShapeModel } from '../../core/shape/serialiseShapeModel.ts';
import type { ShapeModel } from '../../core/shape/types.ts';

/** Reads a UTF-8 text file; the error names what the file is for. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`cannot read ${what} "${path}" (${code})`);
  }
}

/**
 * Reads a landmark CSV (pixels) and, when `idsPath` is given, keeps only the listed images, in the
 * list's order (ids matched robustly: "001", "001.jpg" and "1" are the same image).
 */
export function readLandmarks(
  path: string,
  idsPath: string | undefined,
  options: { allowMissing?: boolean } = {},
): LandmarkTable {
  const table = parseLandmarkTable(readText(path, 'landmarks file'), {
    source: path,
    allowMissing: options.allowMissing,
  });
  if (idsPath === undefined) return table;
  const ids = parseIdList(readText(idsPath, 'ids file'), { source: idsPath });
  return selectRows(table, ids, { source: path });
}

/** Reads and validates a shape model JSON file. */
export function readShapeModel(path: string): ShapeModel {
  return parseShapeModel(readText(path, 'shape model'), { source: path });
}
