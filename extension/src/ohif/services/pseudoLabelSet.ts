import {
  REVIEW_REASONS,
  type Landmark,
  type LandmarkSet,
  type ModelIdentity,
  type ReviewReason,
} from '../../dicom/types.ts';
import type { PseudoLabelResult } from '../worker/protocol.ts';

/**
 * The worker's result; `confidence` is optional, one per landmark in [0, 1], either a number or the
 * heatmap's `{ confidence }` (core/heatmap/heatmapConfidence.ts).
 */
type Result = Omit<PseudoLabelResult, 'confidence'> & {
  confidence?: ReadonlyArray<number | { confidence: number }>;
};

const finite = (p: number[] | undefined): p is number[] =>
  Array.isArray(p) && p.length >= 2 && p.every(Number.isFinite);

/** X_β, |X_α − X_β| in mm and the confidence of landmark j, each only when finite. */
function modelValues(r: Result, j: number): Partial<Landmark> {
  const out: Partial<Landmark> = {};
  const adjusted = r.adjusted[j]?.slice(0, 2);
  const deviation = r.deviationMm[j];
  if (finite(adjusted) && Number.isFinite(deviation)) {
    out.adjustedPosition = adjusted;
    out.deviationMm = deviation;
  }
  const c = r.confidence?.[j];
  const confidence = typeof c === 'object' && c !== null ? c.confidence : c;
  if (confidence !== undefined && Number.isFinite(confidence)) out.confidence = confidence;
  return out;
}

/** Why landmark j is flagged: the worker's reasons (images), else the paper's rule (volumes). */
function reviewReasons(r: Result, j: number): ReviewReason[] {
  const given = r.flagReasons?.[j]?.filter((x) => REVIEW_REASONS.includes(x));
  return given && given.length > 0 ? given : ['shape-model'];
}

/**
 * The landmark set stored for one pseudo-labelled image (paper Eq. 7): when no landmark is abnormal the
 * shape-adjusted X_β, otherwise the network's X_α, with the abnormal landmarks flagged. Every landmark
 * also carries X_β (`adjustedPosition`), the deviation |X_α − X_β| in mm and, when the worker gives
 * one, its confidence; every flagged landmark says why (`reviewReasons`); the set carries the shape's Mahalanobis distance. Positions are original pixels
 * (SCOORD convention). Throws on a non-finite position (no NaN reaches the PACS); a non-finite X_β,
 * deviation, confidence or Mahalanobis distance is left out.
 */
export function pseudoLabelSet(
  names: readonly string[],
  r: Result,
  model: ModelIdentity,
): LandmarkSet {
  const anyAbnormal = r.abnormal.some(Boolean);
  const landmarks: Landmark[] = names.map((name, j) => {
    const position = (anyAbnormal ? r.predicted[j] : r.adjusted[j]).slice(0, 2);
    if (!finite(position)) {
      throw new Error(`study ${r.item.studyUid}: landmark ${name} has no finite position`);
    }
    const extra = modelValues(r, j);
    if (r.abnormal[j] && extra.deviationMm === undefined) {
      throw new Error(`study ${r.item.studyUid}: flagged landmark ${name} has no finite deviation`);
    }
    const reasons = r.abnormal[j] ? reviewReasons(r, j) : [];
    return {
      name,
      position,
      status: r.abnormal[j] ? 'flagged-abnormal' : 'pseudo-label',
      ...extra,
      ...(reasons.length > 0 ? { reviewReasons: reasons } : {}),
    };
  });
  return {
    studyUid: r.item.studyUid,
    seriesUid: r.item.seriesUid,
    sopUids: [r.item.sopUid],
    sopClassUid: r.item.sopClassUid,
    dimension: 2,
    landmarks,
    model,
    ...(Number.isFinite(r.mahalanobis) ? { mahalanobis: r.mahalanobis } : {}),
  };
}
