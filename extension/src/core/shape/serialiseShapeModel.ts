/**
 * JSON (de)serialisation of a {@link ShapeModel}. JavaScript writes every double with the shortest
 * representation that parses back to the same bits, so save → load is bit for bit. Loading validates
 * every field and names the source and the field on error.
 */
import type { ModeNormality, ShapeModel } from './types.ts';

/** The current model format version; a file with another version is refused. */
export const SHAPE_MODEL_VERSION = 1;

/** Serialises a model to JSON text (format `landmarks-shape-model`, version 1). */
export function serialiseShapeModel(model: ShapeModel): string {
  return `${JSON.stringify(model, null, 1)}\n`;
}

type Json = Record<string, unknown>;

/** Reads a finite number array of the given length (any length if undefined). */
function numbers(value: unknown, field: string, length?: number): number[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new Error(`"${field}" must be an array of ${length ?? 'some'} numbers`);
  }
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`"${field}[${i}]" must be a finite number, got ${JSON.stringify(v)}`);
    }
  });
  return value as number[];
}

/** Reads an array of rows, each a finite number array of `width`. */
function rows(value: unknown, field: string, count: number, width: number): number[][] {
  if (!Array.isArray(value) || value.length !== count) {
    throw new Error(`"${field}" must have ${count} rows`);
  }
  return value.map((r, i) => numbers(r, `${field}[${i}]`, width));
}

/** Checks the header fields; returns n, d, K. */
function header(o: Json): { n: number; d: 2 | 3; k: number } {
  if (o.format !== 'landmarks-shape-model') throw new Error('not a shape model (format field)');
  if (o.version !== SHAPE_MODEL_VERSION) {
    throw new Error(
      `model format version ${String(o.version)}, this program reads ${SHAPE_MODEL_VERSION}`,
    );
  }
  if (o.units !== 'mm') throw new Error(`"units" must be "mm", got ${JSON.stringify(o.units)}`);
  if (o.dimension !== 2 && o.dimension !== 3) throw new Error('"dimension" must be 2 or 3');
  if (!Array.isArray(o.meanShape) || o.meanShape.length < 3)
    throw new Error('"meanShape" needs ≥ 3 landmarks');
  if (!Array.isArray(o.components) || o.components.length < 1)
    throw new Error('"components" is empty');
  return { n: o.meanShape.length, d: o.dimension, k: o.components.length };
}

/** Validates the per-mode and bookkeeping fields. */
function modeFields(o: Json, k: number): { normality: ModeNormality[] } {
  numbers(o.sigma, 'sigma', k).forEach((s, i) => {
    if (!(s > 0)) throw new Error(`"sigma[${i}]" must be > 0`);
  });
  numbers(o.eigenvalues, 'eigenvalues');
  for (const f of ['trainingCount', 'varianceToKeep', 'varianceExplained']) numbers([o[f]], f);
  if (!Array.isArray(o.normality) || o.normality.length !== k)
    throw new Error(`"normality" must have ${k} entries`);
  const normality = o.normality.map((m: Json, i) => {
    const [w, p] = numbers([m?.w, m?.p], `normality[${i}]`);
    return { w: w!, p: p! };
  });
  const g = o.procrustes as Json | undefined;
  if (typeof g?.converged !== 'boolean') throw new Error('"procrustes" is missing or malformed');
  numbers([g.iterations, g.tolerance], 'procrustes');
  return { normality };
}

/**
 * Parses and validates a model saved by {@link serialiseShapeModel}. Throws, naming `source` and the
 * field, on malformed JSON, another format or version, wrong sizes or non-finite numbers.
 */
export function parseShapeModel(text: string, options: { source?: string } = {}): ShapeModel {
  const source = options.source ?? 'shape model';
  try {
    const o = JSON.parse(text) as Json;
    if (typeof o !== 'object' || o === null) throw new Error('not a JSON object');
    const { n, d, k } = header(o);
    rows(o.meanShape, 'meanShape', n, d);
    rows(o.components, 'components', k, n * d);
    modeFields(o, k);
    const names = o.landmarkNames;
    if (!Array.isArray(names) || names.length !== n || names.some((s) => typeof s !== 'string')) {
      throw new Error(`"landmarkNames" must be ${n} strings`);
    }
    return o as unknown as ShapeModel;
  } catch (error) {
    throw new Error(`${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
