import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  normaliseImageId,
  parseIdList,
  parseLandmarkTable,
} from '../../core/data/landmarkTable.ts';
import { importImages, type ImportResult } from './importImages.ts';
import { pickImportIds } from './pickImportIds.ts';

/** Options of {@link importIsbiDir}. */
export interface IsbiDirOptions {
  /** Folder in the ISBI 2015 layout: `images/<id>.jpg`, `landmarks_mean.csv`, `train.txt`. */
  dir: string;
  /** Import at most this many images, labelled and unlabelled alternating (default: all). */
  limit?: number;
  /** Ids of the labelled images (default `<dir>/train.txt`; without it every image is labelled). */
  labelledIds?: string;
  /** Landmark CSV (default `<dir>/landmarks_mean.csv`, the mean of the two doctors). */
  landmarksCsv?: string;
  /** Pixel spacing in mm (ISBI 2015: 0.1). */
  spacingMm?: number;
  store: (files: ArrayBuffer[], studyUid: string) => Promise<void>;
  exists?: (studyUid: string) => Promise<boolean>;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Imports the ISBI 2015 cephalograms of a folder as DX studies: the images whose id is in the labelled
 * list get their landmarks as a manual landmark SR, the others none (unannotated, to pseudo-label).
 * Studies already in the PACS are skipped (`exists`). Throws with the path when the folder lacks a part.
 */
export async function importIsbiDir(options: IsbiDirOptions): Promise<ImportResult[]> {
  const imagesDir = join(options.dir, 'images');
  const landmarksCsv = options.landmarksCsv ?? join(options.dir, 'landmarks_mean.csv');
  for (const path of [imagesDir, landmarksCsv]) {
    if (!existsSync(path)) throw new Error(`ISBI import: ${path} not found`);
  }
  const defaultLabelled = join(options.dir, 'train.txt');
  const labelledIds =
    options.labelledIds ?? (existsSync(defaultLabelled) ? defaultLabelled : undefined);
  const table = parseLandmarkTable(readFileSync(landmarksCsv, 'utf8'), { source: landmarksCsv });
  const labelled = labelledIds
    ? new Set(
        parseIdList(readFileSync(labelledIds, 'utf8'), { source: labelledIds }).map(
          normaliseImageId,
        ),
      )
    : undefined;
  const ids = pickImportIds(
    [...table.rows.keys()],
    (id) => !labelled || labelled.has(normaliseImageId(id)),
    options.limit,
  );
  return importImages({
    imagesDir,
    landmarksCsv,
    labelledIds,
    ids,
    spacingMm: options.spacingMm ?? 0.1,
    store: options.store,
    exists: options.exists,
    onProgress: options.onProgress,
  });
}
