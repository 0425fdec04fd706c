/**
 * Generalized Procrustes analysis (Gower 1975): aligns a set of complete shapes to their common mean
 * with similarity transforms (scale, rotation, translation; no reflection), iterated until the mean
 * stops moving.
 *
 * Conventions (mirrored by scripts/fixtures/shape_reference.py): the mean is kept centred at the
 * origin, rotated onto the first shape's orientation (rotation only) and scaled to the average centroid
 * size of the input shapes, so that aligned coordinates stay in millimetres. Each aligned shape is
 * projected into the tangent space at the current mean (Cootes et al. 1995), inside the loop, so that at
 * convergence the average of the aligned shapes is the mean itself: X̄ = m, which regulation relies on.
 */
import { applySimilarity, centroid, fitSimilarity } from './similarity.ts';

export interface ProcrustesResult {
  /** The shapes aligned onto `mean` and projected into its tangent space, millimetres. */
  aligned: number[][][];
  /** The Procrustes mean, centred at the origin, millimetres. */
  mean: number[][];
  iterations: number;
  converged: boolean;
}

/** √Σ|p − c|²: the centroid size of a shape. */
export function centroidSize(shape: readonly (readonly number[])[]): number {
  const c = centroid(shape);
  let ss = 0;
  for (const p of shape) for (let a = 0; a < p.length; a++) ss += (p[a]! - c[a]!) ** 2;
  return Math.sqrt(ss);
}

/** Frobenius distance between two shapes of equal size. */
function distance(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let ss = 0;
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < a[i]!.length; k++) ss += (a[i]![k]! - b[i]![k]!) ** 2;
  }
  return Math.sqrt(ss);
}

/** Average of aligned shapes, re-normalised: centred, rotated onto `reference`, scaled to `size`. */
function normalisedMean(
  aligned: readonly number[][][],
  reference: readonly number[][],
  size: number,
): number[][] {
  const n = reference.length;
  const d = reference[0]!.length;
  const mean = Array.from({ length: n }, (_, i) =>
    Array.from(
      { length: d },
      (__, a) => aligned.reduce((s, x) => s + x[i]![a]!, 0) / aligned.length,
    ),
  );
  const c = centroid(mean);
  const centred = mean.map((p) => p.map((v, a) => v - c[a]!));
  const rotation = fitSimilarity(centred, reference, { allowScale: false }).rotation;
  const k = size / centroidSize(centred);
  return centred.map((p) => rotation.map((row) => k * row.reduce((s, r, b) => s + r * p[b]!, 0)));
}

/**
 * Projects an aligned shape into the tangent space at the mean (Cootes et al. 1995): rescales it so that
 * ⟨x, x̄⟩ = |x̄|². Without it the aligned shapes keep a non-linear size variation that PCA would count
 * as an extra mode.
 */
export function toTangent(
  shape: readonly (readonly number[])[],
  mean: readonly (readonly number[])[],
): number[][] {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < mean.length; i++) {
    for (let a = 0; a < mean[i]!.length; a++) {
      dot += shape[i]![a]! * mean[i]![a]!;
      norm += mean[i]![a]! ** 2;
    }
  }
  return shape.map((p) => p.map((v) => (v * norm) / dot));
}

/**
 * Aligns `shapes` (complete, validated, millimetres) by generalized Procrustes analysis.
 * Stops when the mean moves less than `tolerance` × its centroid size, or after `maxIterations`.
 */
export function generalizedProcrustes(
  shapes: readonly (readonly (readonly number[])[])[],
  tolerance: number,
  maxIterations: number,
): ProcrustesResult {
  const size = shapes.reduce((s, x) => s + centroidSize(x), 0) / shapes.length;
  const c0 = centroid(shapes[0]!);
  const reference = shapes[0]!.map((p) => p.map((v, a) => v - c0[a]!));
  let mean = reference.map((p) => p.map((v) => (v * size) / centroidSize(reference)));
  let aligned: number[][][] = [];
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    aligned = shapes.map((x) => toTangent(applySimilarity(fitSimilarity(x, mean), x), mean));
    const next = normalisedMean(aligned, reference, size);
    const moved = distance(next, mean);
    mean = next;
    if (moved <= tolerance * size) {
      aligned = shapes.map((x) => toTangent(applySimilarity(fitSimilarity(x, mean), x), mean));
      return { aligned, mean, iterations: iteration, converged: true };
    }
  }
  return { aligned, mean, iterations: maxIterations, converged: false };
}
