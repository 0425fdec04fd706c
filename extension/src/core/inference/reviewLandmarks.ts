/**
 * What a radiologist should look at in one predicted shape, and the shape's final points.
 *
 * - The paper's regulator (Eqs. 4–7, Z = 2 mm) gives each landmark its deviation and abnormal flag, kept
 *   as its own column so that the paper's rule stays visible.
 * - The robust shape fit (shape/robustShapeFit.ts) finds the landmarks the others disagree with; each is
 *   read again from its heatmap near where the others put it (`reread`), or, when the map has nothing
 *   there, placed at the fit. Such a point is marked `reEstimated`.
 * - The review flag: a robust outlier (reason "shape"), a heatmap with little mass near its point
 *   (reason "confidence"), or a landmark the paper's regulator moves more than Z (reason
 *   "shape-model"), any together.
 */
import { regulateShape } from '../shape/regulateShape.ts';
import { ImplausibleShapeError, robustShapeFit, type RobustFit } from '../shape/robustShapeFit.ts';
import type { Shape, ShapeModel } from '../shape/types.ts';
import { REVIEW_REASONS, type ReviewReason } from '../landmarks/landmarkSet.ts';

/** The reasons of a flag joined by "+" in {@link REVIEW_REASONS} order, e.g. `shape+confidence`. */
export type FlagReason = string;

export interface LandmarkReview {
  /** Heatmap mass within 2 mm of the point, [0, 1] (of the re-read point where re-estimated). */
  confidence: number;
  /** The paper's regulator: how far its adjustment moves the landmark, mm, and whether > Z. */
  deviationMm: number;
  abnormal: boolean;
  /** Distance of the network's own point from the robust fit of the others, mm. */
  robustDeviationMm: number;
  /** The network's point was replaced (robust outlier). */
  reEstimated: boolean;
  flagged: boolean;
  /** Why it is flagged (empty when not flagged). */
  reasons: ReviewReason[];
  /** `reasons` joined by "+" (the report's column), absent when not flagged. */
  reason?: FlagReason;
}

export interface ReviewThresholds {
  /** Below this heatmap confidence a landmark is flagged. */
  minConfidence: number;
  /** Robust-fit distance beyond which a landmark is an outlier, mm (see RobustFitOptions). */
  outlierMm: number;
  /** The paper's Z, mm. */
  abnormalThresholdMm: number;
}

export const DEFAULT_REVIEW_THRESHOLDS: ReviewThresholds = {
  minConfidence: 0.1,
  outlierMm: 4,
  abnormalThresholdMm: 2,
};

/** The review of one shape. */
export interface Reviewed {
  /** Final points, mm. */
  pointsMm: Shape;
  /** The robust fit of the shape model, mm (the points themselves when `implausible`). */
  fittedMm: Shape;
  reviews: LandmarkReview[];
  /** The prediction is no shape of the model (e.g. a pile of points): nothing was fitted or moved. */
  implausible: boolean;
}

/** A point read again near `nearMm`, in mm, with its confidence; undefined when the map has none. */
export type Reread = (
  landmark: number,
  nearMm: number[],
) => { pointMm: number[]; confidence: number } | undefined;

/** Why a landmark is flagged: a robust shape outlier, little heatmap mass at the point, beyond Z. */
function flagOf(
  causes: { shape: boolean; confidence: number; paperAbnormal: boolean },
  t: ReviewThresholds,
): Pick<LandmarkReview, 'flagged' | 'reasons' | 'reason'> {
  const present: Record<ReviewReason, boolean> = {
    shape: causes.shape,
    confidence: !(causes.confidence >= t.minConfidence),
    'shape-model': causes.paperAbnormal,
  };
  const reasons = REVIEW_REASONS.filter((r) => present[r]);
  return reasons.length > 0
    ? { flagged: true, reasons, reason: reasons.join('+') }
    : { flagged: false, reasons };
}

const distance = (p: readonly number[], q: readonly number[]) =>
  Math.hypot(...p.map((v, a) => v - q[a]!));

/**
 * A prediction that is no shape of the model (all points in a pile, say): nothing is moved, and every
 * landmark is flagged "shape" (with "confidence" where that is low too). The paper's regulator, which
 * cannot align such a shape either, reports no deviation.
 */
function implausible(
  model: ShapeModel,
  pointsMm: Shape,
  confidence: readonly number[],
  t: ReviewThresholds,
): Reviewed {
  let paper: { deviationMm: number[]; abnormal: boolean[] } | undefined;
  try {
    paper = regulateShape(model, pointsMm, { abnormalThresholdMm: t.abnormalThresholdMm });
  } catch {
    paper = undefined;
  }
  return {
    pointsMm: pointsMm.map((p) => [...p]),
    fittedMm: pointsMm.map((p) => [...p]),
    implausible: true,
    reviews: pointsMm.map((_, l) => {
      const paperAbnormal = paper?.abnormal[l] ?? false;
      return {
        confidence: confidence[l]!,
        deviationMm: paper?.deviationMm[l] ?? 0,
        abnormal: paper?.abnormal[l] ?? true,
        robustDeviationMm: 0,
        reEstimated: false,
        ...flagOf({ shape: true, confidence: confidence[l]!, paperAbnormal }, t),
      };
    }),
  };
}

/**
 * @param pointsMm the network's n points, mm (pixel × spacing)
 * @param confidence the heatmap confidence of each point
 * @returns the final points (mm), the robust fit of the shape model (mm; the points themselves for a
 *   prediction that is no shape of the model), and one review per landmark
 */
export default function reviewLandmarks(
  model: ShapeModel,
  pointsMm: Shape,
  confidence: readonly number[],
  options: { thresholds?: Partial<ReviewThresholds>; reread?: Reread; label?: string } = {},
): Reviewed {
  const t = { ...DEFAULT_REVIEW_THRESHOLDS, ...options.thresholds };
  let robust: RobustFit | undefined;
  try {
    robust = robustShapeFit(model, pointsMm, { outlierMm: t.outlierMm });
  } catch (error) {
    if (!(error instanceof ImplausibleShapeError)) throw error;
    return implausible(model, pointsMm, confidence, t);
  }
  const outliers = new Set(robust.outliers);
  const finalConfidence = [...confidence];
  const final = pointsMm.map((p, l) => {
    if (!outliers.has(l)) return [...p];
    const fitted = robust.fitted[l]!;
    const again = options.reread?.(l, fitted);
    // The map's point near the fit counts only where it agrees with the fit.
    if (again && distance(again.pointMm, fitted) <= t.outlierMm) {
      finalConfidence[l] = again.confidence;
      return again.pointMm;
    }
    finalConfidence[l] = 0;
    return [...fitted];
  });
  const paper = regulateShape(model, final, {
    abnormalThresholdMm: t.abnormalThresholdMm,
    label: options.label,
  });
  const reviews = final.map((_, l): LandmarkReview => {
    const shape = outliers.has(l);
    const abnormal = paper.abnormal[l]!;
    return {
      confidence: finalConfidence[l]!,
      deviationMm: paper.deviationMm[l]!,
      abnormal,
      robustDeviationMm: robust.deviationMm[l]!,
      reEstimated: shape,
      ...flagOf({ shape, confidence: finalConfidence[l]!, paperAbnormal: abnormal }, t),
    };
  });
  return { pointsMm: final, fittedMm: robust.fitted, reviews, implausible: false };
}
