/**
 * Shape regulation of one predicted shape (paper Eqs. 4–7): Procrustes alignment onto the mean,
 * shape parameters, clamping to ±kσ, mapping back, and the abnormal-landmark heuristic.
 */
import { Matrix, pseudoInverse } from 'ml-matrix';
import { applySimilarity, fitSimilarity, invertSimilarity, type Similarity } from './similarity.ts';
import { synthesizeShape } from './synthesizeShape.ts';
import type { Regulation, RegulateOptions, Shape, ShapeModel } from './types.ts';
import { checkNotDegenerate, checkShapeValues } from './validateShape.ts';

/** Defaults of {@link RegulateOptions}: the paper's 3σ and Z = 2 mm. */
export const DEFAULT_REGULATE_OPTIONS = { sigmaLimit: 3, abnormalThresholdMm: 2 };

/** Validates the options, copying them with defaults filled in. */
function validateOptions(options: RegulateOptions): Required<Omit<RegulateOptions, 'label'>> {
  const o = { ...DEFAULT_REGULATE_OPTIONS, ...options };
  if (!(Number.isFinite(o.sigmaLimit) && o.sigmaLimit > 0)) {
    throw new Error(`sigma limit must be a positive number, got ${o.sigmaLimit}`);
  }
  if (!(Number.isFinite(o.abnormalThresholdMm) && o.abnormalThresholdMm >= 0)) {
    throw new Error(
      `abnormal threshold Z must be a non-negative number of mm, got ${o.abnormalThresholdMm}`,
    );
  }
  return { sigmaLimit: o.sigmaLimit, abnormalThresholdMm: o.abnormalThresholdMm };
}

/** Largest number of alternations between T_α and b_α (they converge in a few). */
const MAX_ALTERNATIONS = 100;

/**
 * Returns b ↦ argmin over the visible coordinates of |P_v b − r_v|² (Eq. 4 restricted to visible
 * rows). With every landmark visible P has orthonormal columns and this is Pᵀr. Otherwise the system
 * may be under-determined, so it is solved in whitened coordinates (b = σ∘c, minimum-norm c by
 * ml-matrix's pseudo-inverse): among the least-squares solutions, the one of smallest Mahalanobis norm.
 */
function parameterSolver(model: ShapeModel, visibleCoords: number[]): (r: number[]) => number[] {
  const { components, sigma } = model;
  if (visibleCoords.length === components[0]!.length) {
    return (r) => components.map((p) => p.reduce((s, v, j) => s + v * r[j]!, 0));
  }
  const a = new Matrix(visibleCoords.map((j) => components.map((p, k) => p[j]! * sigma[k]!)));
  const pinv = pseudoInverse(a);
  return (r) => {
    const c = pinv.mmul(Matrix.columnVector(visibleCoords.map((j) => r[j]!))).getColumn(0);
    return c.map((v, k) => v * sigma[k]!);
  };
}

/**
 * T_α and b_α (Eq. 4). The first pass is the paper's: T_α is the Procrustes fit of the visible
 * landmarks onto X̄ and b_α the parameters of T_α X_α − X̄. As in Active Shape Models (Cootes et al.
 * 1995) the fit is then refined by alternating T_α (onto X̄ + P b_α) and b_α until b_α settles; this
 * minimises |T X_α − X̄ − P b| over both, so a shape of the model, placed anywhere, gives back exactly
 * its own b (what a plain fit onto X̄ does only up to a size bias).
 */
function alignAndProject(
  model: ShapeModel,
  shape: Shape,
  visible: number[],
): { t: Similarity; bAlpha: number[] } {
  const d = model.dimension;
  const visiblePoints = visible.map((i) => shape[i]!);
  const solve = parameterSolver(
    model,
    visible.flatMap((i) => Array.from({ length: d }, (_, a) => i * d + a)),
  );
  const tolerance = 1e-10 * model.sigma[0]!;
  let b = model.sigma.map(() => 0);
  let t = fitSimilarity(
    visiblePoints,
    visible.map((i) => model.meanShape[i]!),
  );
  for (let it = 0; it < MAX_ALTERNATIONS; it++) {
    const aligned = applySimilarity(t, shape);
    const next = solve(aligned.flatMap((p, i) => p.map((v, a) => v - model.meanShape[i]![a]!)));
    const change = Math.max(...next.map((v, k) => Math.abs(v - b[k]!)));
    b = next;
    if (change <= tolerance) break;
    const target = synthesizeShape(model, b);
    t = fitSimilarity(
      visiblePoints,
      visible.map((i) => target[i]!),
    );
  }
  return { t, bAlpha: b };
}

/** Throws if any number in the regulation is not finite (so NaN never leaves the regulator). */
function assertFinite(r: Regulation, label: string): Regulation {
  const values = [r.alpha, r.beta, r.gamma]
    .flat(2)
    .concat(r.deviationMm, r.bAlpha, r.bBeta, [r.mahalanobis]);
  if (values.some((v) => !Number.isFinite(v))) {
    throw new Error(
      `${label}: regulation produced a non-finite value (numerically degenerate input)`,
    );
  }
  return r;
}

/**
 * Regulates a predicted shape X_α (n × d, millimetres, in any frame; NaN rows = missing landmarks).
 * T_α is the least-squares similarity from the visible landmarks onto the mean; b_α its shape
 * parameters; b_β = clamp(b_α, ±kσ); X_β = T_α⁻¹(X̄ + P b_β), back in the input's frame. Deviations
 * |X_β − X_α| are in mm in that frame; landmarks deviating more than Z are abnormal, and then
 * X_γ = X_α (abnormal ones to be excluded), else X_γ = X_β. Missing landmarks come back as X_β's
 * estimate, flagged `estimated`. Throws on bad input (naming `options.label`); never returns NaN.
 */
export function regulateShape(
  model: ShapeModel,
  shape: Shape,
  options: RegulateOptions = {},
): Regulation {
  const label = options.label ?? 'shape';
  const { sigmaLimit, abnormalThresholdMm } = validateOptions(options);
  const n = model.meanShape.length;
  const d = model.dimension;
  const visible = checkShapeValues(shape, n, d, label, true);
  if (visible.length < 3) {
    throw new Error(`${label}: only ${visible.length} landmarks visible, need 3`);
  }
  checkNotDegenerate(
    visible.map((i) => shape[i]!),
    label,
  );
  const { t, bAlpha } = alignAndProject(model, shape, visible);
  const bBeta = bAlpha.map((b, k) =>
    Math.min(sigmaLimit * model.sigma[k]!, Math.max(-sigmaLimit * model.sigma[k]!, b)),
  );
  const beta = synthesizeShape(model, bBeta, invertSimilarity(t));
  const estimated = shape.map((p) => Number.isNaN(p[0]));
  const alpha = shape.map((p, i) => (estimated[i] ? [...beta[i]!] : [...p]));
  const deviationMm = alpha.map((p, i) =>
    estimated[i] ? 0 : Math.hypot(...p.map((v, a) => v - beta[i]![a]!)),
  );
  const abnormal = deviationMm.map((dev) => dev > abnormalThresholdMm);
  const gamma = abnormal.some(Boolean) ? alpha.map((p) => [...p]) : beta.map((p) => [...p]);
  const mahalanobis = Math.sqrt(bAlpha.reduce((s, b, k) => s + (b / model.sigma[k]!) ** 2, 0));
  return assertFinite(
    { alpha, beta, gamma, deviationMm, abnormal, estimated, bAlpha, bBeta, mahalanobis },
    label,
  );
}
