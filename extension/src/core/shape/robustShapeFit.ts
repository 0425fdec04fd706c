/**
 * A robust fit of the shape model to a predicted shape: which landmarks the others disagree with.
 *
 * The paper's regulator (regulateShape) aligns all landmarks at once. A few gross errors (a landmark on
 * the wrong structure, 10–60 mm off) then pull the Procrustes alignment itself, and every landmark looks
 * abnormal: on sharp heatmap predictions for ISBI Test1 it flagged 2,448 of 2,850 landmarks. Here the
 * fit starts from a consensus (RANSAC-like: the mean shape placed on every triple of landmarks, kept
 * where most landmarks lie within `consensusMm` of it; several gross errors that agree with each other,
 * e.g. dead maps all read at one corner, cannot win it), then leaves its worst landmark out and fits
 * again while that landmark lies more than `outlierMm` from the fit of the others (keeping at least
 * `minKept`). Each fit alternates a similarity alignment of the
 * kept landmarks onto the model with a MAP estimate of the mode weights: b = (P_vᵀP_v + s²Σ⁻¹)⁻¹ P_vᵀ r_v,
 * a Gaussian prior N(0, σ_k²) per mode and noise of s mm per coordinate, clamped to ±kσ. Without the
 * prior a model that keeps 99.99 % of the variance has about as many modes as a shape has coordinates
 * and follows any shape exactly, so no landmark would ever deviate.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { centroidSize } from './generalizedProcrustes.ts';
import { applySimilarity, fitSimilarity, invertSimilarity, type Similarity } from './similarity.ts';
import { synthesizeShape } from './synthesizeShape.ts';
import type { Shape, ShapeModel } from './types.ts';

export interface RobustFitOptions {
  /** A landmark farther than this from the fit of the others is left out, mm (default 4). */
  outlierMm?: number;
  /** Never keep fewer landmarks than this (default: 60 % of them, at least 3). */
  minKept?: number;
  /** Expected prediction noise per coordinate, mm: the prior's weight (default 1.5). */
  noiseMm?: number;
  /** Mode weights are clamped to ±sigmaLimit·σ_k (default 3, the paper's). */
  sigmaLimit?: number;
  /**
   * A landmark within this distance of the mean shape placed on a triple agrees with it, mm (default:
   * 3 × the model's RMS landmark SD, √(Σσ_k² / n); 10.7 mm for the ISBI training shapes).
   */
  consensusMm?: number;
}

export interface RobustFit {
  /** The model's shape fitted to the kept landmarks, in the input's frame, n × d mm. */
  fitted: Shape;
  /** Distance of each input landmark from the fit, mm (0 for missing ones). */
  deviationMm: number[];
  /** Landmarks left out of the final fit (outliers), in the order they were dropped. */
  outliers: number[];
}

const ALTERNATIONS = 4;
/** A shape more than this many times larger or smaller than the model's mean is no shape of it. */
const MAX_SIZE_RATIO = 3;

/** MAP mode weights for residuals r on the coordinates `coords` (flat indices). */
function mapWeights(model: ShapeModel, coords: number[], r: number[], noiseMm: number): number[] {
  const k = model.sigma.length;
  const a = new Matrix(coords.map((j) => model.components.map((p) => p[j]!)));
  const normal = a.transpose().mmul(a);
  for (let m = 0; m < k; m++)
    normal.set(m, m, normal.get(m, m) + (noiseMm * noiseMm) / model.sigma[m]! ** 2);
  const rhs = a.transpose().mmul(Matrix.columnVector(r));
  return new CholeskyDecomposition(normal).solve(rhs).to1DArray();
}

/**
 * The landmarks that agree with the best placement of the mean shape: for every triple of present
 * landmarks (all of them for up to 24 landmarks, else a fixed stride through them), the least-squares
 * similarity of the mean's triple onto the shape's; the placement with the most landmarks within
 * consensusMm wins (ties: the smaller summed squared distance of those).
 */
function consensus(model: ShapeModel, shape: Shape, present: number[], consensusMm: number) {
  let best: number[] = [];
  let bestCost = Infinity;
  const consider = (triple: number[]) => {
    const t = fitSimilarity(
      triple.map((i) => model.meanShape[i]!),
      triple.map((i) => shape[i]!),
    );
    if (!(t.scale > 0) || !Number.isFinite(t.scale)) return;
    const placed = applySimilarity(t, model.meanShape);
    const distances = present.map((i) =>
      Math.hypot(...shape[i]!.map((v, a) => v - placed[i]![a]!)),
    );
    const agree = present.filter((_, k) => distances[k]! <= consensusMm);
    const cost = distances.filter((d) => d <= consensusMm).reduce((acc, d) => acc + d * d, 0);
    if (agree.length > best.length || (agree.length === best.length && cost < bestCost))
      [best, bestCost] = [agree, cost];
  };
  const m = present.length;
  const stride = m <= 24 ? 1 : Math.ceil((m * (m - 1) * (m - 2)) / 6 / 2000);
  let k = 0;
  for (let a = 0; a < m; a++)
    for (let b = a + 1; b < m; b++)
      for (let c = b + 1; c < m; c++)
        if (k++ % stride === 0) consider([present[a]!, present[b]!, present[c]!]);
  return best;
}

/** Fit of the model to the landmarks `kept` of `shape` (input frame), by alternation. */
function fitKept(model: ShapeModel, shape: Shape, kept: number[], o: Required<RobustFitOptions>) {
  const d = model.dimension;
  const coords = kept.flatMap((i) => Array.from({ length: d }, (_, a) => i * d + a));
  let b = new Array<number>(model.sigma.length).fill(0);
  let t: Similarity | undefined;
  for (let it = 0; it < ALTERNATIONS; it++) {
    const template = synthesizeShape(model, b);
    t = fitSimilarity(
      kept.map((i) => shape[i]!),
      kept.map((i) => template[i]!),
    );
    const aligned = applySimilarity(
      t,
      kept.map((i) => shape[i]!),
    );
    const r = kept.flatMap((i, row) => aligned[row]!.map((v, a) => v - model.meanShape[i]![a]!));
    // The prior is in the model frame; the alignment scales the shape to it, so the noise scales too.
    b = mapWeights(model, coords, r, o.noiseMm * t.scale).map((v, m) =>
      Math.min(o.sigmaLimit * model.sigma[m]!, Math.max(-o.sigmaLimit * model.sigma[m]!, v)),
    );
  }
  return synthesizeShape(model, b, invertSimilarity(t!));
}

/** The predicted shape is not a shape of the model at all (e.g. all points in one pile). */
export class ImplausibleShapeError extends Error {}

/**
 * @param shape n × d mm in any frame; NaN rows are missing (never kept)
 * @throws when fewer than 3 landmarks are present; ImplausibleShapeError for a shape far off the
 *   model's size
 */
export function robustShapeFit(
  model: ShapeModel,
  shape: Shape,
  options: RobustFitOptions = {},
): RobustFit {
  const n = model.meanShape.length;
  if (shape.length !== n) throw new Error(`robust fit: ${shape.length} landmarks, model has ${n}`);
  const present = shape.flatMap((p, i) => (p.every(Number.isFinite) ? [i] : []));
  if (present.length < 3) throw new Error(`robust fit: only ${present.length} landmarks present`);
  const o: Required<RobustFitOptions> = {
    outlierMm: 4,
    minKept: Math.max(3, Math.ceil(0.6 * n)),
    noiseMm: 1.5,
    sigmaLimit: 3,
    consensusMm: 3 * Math.sqrt(model.sigma.reduce((acc, v) => acc + v * v, 0) / n),
    ...options,
  };
  // A pile of points (an untrained network) or a scattered set aligns with a near-zero or huge scale,
  // and its "fit" lands anywhere: refuse it instead of moving landmarks by metres.
  const ratio =
    centroidSize(present.map((i) => shape[i]!)) /
    centroidSize(present.map((i) => model.meanShape[i]!));
  if (!(ratio > 1 / MAX_SIZE_RATIO && ratio < MAX_SIZE_RATIO))
    throw new ImplausibleShapeError(
      `robust fit: the shape is ${ratio.toFixed(3)} times the size of the model's mean (not a shape of this model)`,
    );
  const distance = (fit: Shape, i: number) =>
    Math.hypot(...shape[i]!.map((v, a) => v - fit[i]![a]!));
  // Start from the consensus, then let every landmark near that fit back in (twice: the fit moves).
  let kept = consensus(model, shape, present, o.consensusMm);
  if (kept.length < Math.max(3, o.minKept))
    throw new ImplausibleShapeError(
      `robust fit: only ${kept.length} of ${present.length} landmarks agree on one placement of the shape model`,
    );
  let fitted = fitKept(model, shape, kept, o);
  for (let round = 0; round < 2; round++) {
    const near = present.filter((i) => distance(fitted, i) <= o.outlierMm);
    if (near.length < Math.max(3, o.minKept)) break;
    kept = near;
    fitted = fitKept(model, shape, kept, o);
  }
  const outliers: number[] = [];
  while (kept.length > Math.max(3, o.minKept)) {
    // The landmark farthest from the fit of the OTHERS: leave-one-out, so a gross error cannot hide
    // by pulling the fit towards itself.
    let worst = -1;
    let worstDistance = o.outlierMm;
    for (const i of kept) {
      const others = kept.filter((j) => j !== i);
      const dist = distance(fitKept(model, shape, others, o), i);
      if (dist > worstDistance) [worst, worstDistance] = [i, dist];
    }
    if (worst < 0) break;
    kept.splice(kept.indexOf(worst), 1);
    outliers.push(worst);
    fitted = fitKept(model, shape, kept, o);
  }
  // Landmarks the consensus left out come first, farthest from the fit first.
  outliers.unshift(
    ...present
      .filter((i) => !kept.includes(i) && !outliers.includes(i))
      .sort((i, j) => distance(fitted, j) - distance(fitted, i)),
  );
  const deviationMm = shape.map((p, i) => (p.every(Number.isFinite) ? distance(fitted, i) : 0));
  if (![...fitted.flat(), ...deviationMm].every(Number.isFinite))
    throw new Error('robust fit: not finite (degenerate shape)');
  return { fitted, deviationMm, outliers };
}
