/**
 * What a radiologist should look at in one predicted shape, and the shape's final points.
 *
 * - The paper's regulator (Eqs. 4–7, Z = 2 mm) gives each landmark its deviation and abnormal flag, kept
 *   as its own column so that the paper's rule stays visible.
 * - The robust shape fit (shape/robustShapeFit.ts) finds the landmarks the others disagree with; each is
 *   read again from its heatmap near where the others put it (`reread`), or, when the map has nothing
 *   there, placed at the fit. Such a point is marked `reEstimated`.
 * - The review flag: a robust outlier (reason "shape"), a heatmap with little mass near its point
 *   (reason "confidence"), or both.
 */
import { regulateShape } from '../shape/regulateShape.ts';
import { ImplausibleShapeError, robustShapeFit, type RobustFit } from '../shape/robustShapeFit.ts';
import type { Shape, ShapeModel } from '../shape/types.ts';

export type FlagReason = 'shape' | 'confidence' | 'shape+confidence';

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

/** Why a landmark is flagged: a shape outlier, a heatmap with little mass at the point, or both. */
function flagReason(
  shapeOutlier: boolean,
  confidence: number,
  t: ReviewThresholds,
): FlagReason | undefined {
  const unsure = !(confidence >= t.minConfidence);
  if (shapeOutlier) return unsure ? 'shape+confidence' : 'shape';
  return unsure ? 'confidence' : undefined;
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
    reviews: pointsMm.map((_, l) => ({
      confidence: confidence[l]!,
      deviationMm: paper?.deviationMm[l] ?? 0,
      abnormal: paper?.abnormal[l] ?? true,
      robustDeviationMm: 0,
      reEstimated: false,
      flagged: true,
      reason: flagReason(true, confidence[l]!, t),
    })),
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
    const reason = flagReason(shape, finalConfidence[l]!, t);
    return {
      confidence: finalConfidence[l]!,
      deviationMm: paper.deviationMm[l]!,
      abnormal: paper.abnormal[l]!,
      robustDeviationMm: robust.deviationMm[l]!,
      reEstimated: shape,
      flagged: reason !== undefined,
      ...(reason ? { reason } : {}),
    };
  });
  return { pointsMm: final, fittedMm: robust.fitted, reviews, implausible: false };
}
