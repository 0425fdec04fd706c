/**
 * Shape regulation of one predicted shape (paper Eqs. 4–7): Procrustes alignment onto the mean,
 * shape parameters, clamping to ±kσ, mapping back, and the abnormal-landmark heuristic.
 */
import { alignPartialShape } from './alignPartialShape.ts';
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

interface Alignment {
  t: Similarity;
  bAlpha: number[];
}

/**
 * T_α and b_α (Eq. 4) for a complete shape: T_α is the Procrustes fit onto X̄, followed, as in the
 * training shapes, by the projection into the tangent space at X̄ (a rescaling so that
 * ⟨T_α X_α, X̄⟩ = |X̄|²); then b_α = Pᵀ(T_α X_α − X̄). A shape of the model, placed anywhere, gives back
 * exactly its own b (without the tangent step, only up to a size bias).
 */
function alignComplete(model: ShapeModel, shape: Shape, label: string): Alignment {
  const t0 = fitSimilarity(shape, model.meanShape);
  const aligned = applySimilarity(t0, shape);
  let dot = 0;
  let norm = 0;
  model.meanShape.forEach((p, i) =>
    p.forEach((m, a) => {
      dot += m * aligned[i]![a]!;
      norm += m * m;
    }),
  );
  if (!(dot > 0)) throw new Error(`${label}: cannot be aligned onto the mean shape`);
  const k = norm / dot;
  const t = { ...t0, scale: k * t0.scale, translation: t0.translation.map((v) => k * v) };
  const residual = aligned.flatMap((p, i) => p.map((v, a) => k * v - model.meanShape[i]![a]!));
  const bAlpha = model.components.map((c) => c.reduce((s, v, j) => s + v * residual[j]!, 0));
  return { t, bAlpha };
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
  const { t, bAlpha } =
    visible.length === n
      ? alignComplete(model, shape, label)
      : alignPartialShape(model, shape, visible);
  // A shape that matches the mean only through a reflection (or nearly) aligns with scale ≈ 0.
  if (!(t.scale > 1e-6 && Number.isFinite(t.scale))) {
    throw new Error(`${label}: cannot be aligned onto the mean shape (mirrored or degenerate)`);
  }
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
