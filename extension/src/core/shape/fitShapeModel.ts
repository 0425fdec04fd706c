/**
 * Fits the PCA shape model of Eq. 3 on labelled shapes: generalized Procrustes, PCA, K modes for the
 * requested variance, σ_k per mode and a Shapiro–Wilk test per mode (the paper's justification of the
 * ±3σ rule; reported so that a user sees when it does not hold).
 */
import { shapiroWilk } from '../stats/shapiroWilk.ts';
import { generalizedProcrustes } from './generalizedProcrustes.ts';
import { shapePca } from './shapePca.ts';
import type { Dimension, FitOptions, Shape, ShapeModel } from './types.ts';
import { checkNotDegenerate, checkShapeValues } from './validateShape.ts';

/** Defaults of {@link FitOptions}. */
export const DEFAULT_FIT_OPTIONS = { varianceToKeep: 0.9999, tolerance: 1e-10, maxIterations: 100 };

/** Fewest training shapes: a mean, a variance and a Shapiro–Wilk test need at least 3. */
export const MIN_TRAINING_SHAPES = 3;

/** Eigenvalues below this fraction of the largest are numerical zeros and never kept as modes. */
const ZERO_EIGENVALUE = 1e-12;

/** Validates options and shapes; returns the dimension. */
function validate(shapes: readonly Shape[], options: FitOptions): Dimension {
  const { varianceToKeep, tolerance, maxIterations } = { ...DEFAULT_FIT_OPTIONS, ...options };
  if (!(varianceToKeep > 0 && varianceToKeep <= 1)) {
    throw new Error(`varianceToKeep must be in (0, 1], got ${varianceToKeep}`);
  }
  if (!(tolerance > 0) || !(Number.isInteger(maxIterations) && maxIterations > 0)) {
    throw new Error('tolerance must be > 0 and maxIterations a positive integer');
  }
  if (!Array.isArray(shapes) || shapes.length < MIN_TRAINING_SHAPES) {
    throw new Error(
      `a shape model needs at least ${MIN_TRAINING_SHAPES} training shapes, got ${shapes?.length ?? 0}`,
    );
  }
  const n = shapes[0]!.length;
  const d = shapes[0]![0]?.length;
  if (d !== 2 && d !== 3) throw new Error(`shapes must be 2D or 3D, the first shape has ${d} axes`);
  if (n < 3) throw new Error(`a shape needs at least 3 landmarks, got ${n}`);
  if (options.landmarkNames && options.landmarkNames.length !== n) {
    throw new Error(`${options.landmarkNames.length} landmark names for ${n} landmarks`);
  }
  shapes.forEach((shape, i) => {
    const label = options.shapeIds?.[i] ?? `training shape ${i + 1}`;
    checkShapeValues(shape, n, d, label, false);
    checkNotDegenerate(shape, label);
  });
  return d;
}

/** Smallest K whose eigenvalues reach `fraction` of the total, never counting numerical zeros. */
function modesFor(eigenvalues: readonly number[], fraction: number): number {
  const total = eigenvalues.reduce((s, v) => s + v, 0);
  const usable = eigenvalues.filter((v) => v > ZERO_EIGENVALUE * eigenvalues[0]!).length;
  let sum = 0;
  for (let k = 0; k < usable; k++) {
    sum += eigenvalues[k]!;
    if (sum >= fraction * total * (1 - 1e-12)) return k + 1;
  }
  return Math.max(1, usable);
}

/**
 * Fits a shape model on complete training shapes (n × d, millimetres; 2D or 3D).
 * Throws, naming the shape and the problem, on too few shapes, mismatched landmark counts or
 * dimensions, NaN/Infinity, or degenerate (coincident or collinear) shapes.
 */
export function fitShapeModel(shapes: readonly Shape[], options: FitOptions = {}): ShapeModel {
  const dimension = validate(shapes, options);
  const { varianceToKeep, tolerance, maxIterations } = { ...DEFAULT_FIT_OPTIONS, ...options };
  const n = shapes[0]!.length;
  const gpa = generalizedProcrustes(shapes, tolerance, maxIterations);
  const flat = gpa.aligned.map((s) => s.flat());
  const pca = shapePca(flat);
  if (!(pca.eigenvalues[0]! > 0))
    throw new Error('all training shapes are identical after alignment');
  const k = modesFor(pca.eigenvalues, varianceToKeep);
  const components = pca.components.slice(0, k);
  const total = pca.eigenvalues.reduce((s, v) => s + v, 0);
  const coefficients = components.map((p) =>
    flat.map((x) => x.reduce((s, v, j) => s + p[j]! * (v - pca.mean[j]!), 0)),
  );
  return {
    format: 'landmarks-shape-model',
    version: 1,
    units: 'mm',
    dimension,
    landmarkNames: options.landmarkNames ? [...options.landmarkNames] : names(n),
    trainingCount: shapes.length,
    meanShape: Array.from({ length: n }, (_, i) =>
      pca.mean.slice(i * dimension, (i + 1) * dimension),
    ),
    components,
    sigma: pca.eigenvalues.slice(0, k).map(Math.sqrt),
    eigenvalues: pca.eigenvalues,
    varianceToKeep,
    varianceExplained: pca.eigenvalues.slice(0, k).reduce((s, v) => s + v, 0) / total,
    normality: coefficients.map((e) => shapiroWilk(e)),
    procrustes: { iterations: gpa.iterations, converged: gpa.converged, tolerance },
  };
}

/** Default landmark names L1…Ln. */
function names(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `L${i + 1}`);
}
