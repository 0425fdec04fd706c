/**
 * The landmark set stored for one pseudo-labelled VOLUME (paper Eq. 7), as a 3D SR (SCOORD3D points in
 * patient mm, LPS, in the series' Frame of Reference). Statuses, deviations, confidence and the
 * Mahalanobis distance follow the 2D rules of services/pseudoLabelSet.ts (which it calls, so the two can
 * never disagree); only the positions keep their three coordinates and the references name every slice.
 */
import type { LandmarkSet, ModelIdentity } from '../../dicom/types.ts';
import { pseudoLabelSet } from '../services/pseudoLabelSet.ts';
import { isVolumeItem, type PseudoLabelResult } from '../worker/protocol.ts';

const finite3 = (p: number[] | undefined): p is number[] =>
  Array.isArray(p) && p.length === 3 && p.every(Number.isFinite);

/**
 * @param r the worker's result for a volume item: X_α and X_β in patient mm (n × 3)
 * Throws, naming the study and series, on a non-finite position or a missing Frame of Reference.
 */
export default function volumePseudoLabelSet(
  names: readonly string[],
  r: PseudoLabelResult,
  model: ModelIdentity,
): LandmarkSet {
  const item = r.item;
  if (!isVolumeItem(item)) throw new Error(`study ${item.studyUid}: not a volume`);
  const where = `study ${item.studyUid} series ${item.seriesUid}`;
  if (!item.frameOfReferenceUid) throw new Error(`${where}: no Frame of Reference UID`);
  const flat = pseudoLabelSet(names, r, model);
  const anyAbnormal = r.abnormal.some(Boolean);
  const landmarks = flat.landmarks.map((l, j) => {
    const position = (anyAbnormal ? r.predicted[j] : r.adjusted[j])?.slice(0, 3);
    if (!finite3(position))
      throw new Error(`${where}: landmark ${l.name} has no finite 3D position`);
    const adjusted = r.adjusted[j]?.slice(0, 3);
    const out = { ...l, position };
    if (l.adjustedPosition && finite3(adjusted)) out.adjustedPosition = adjusted;
    else delete out.adjustedPosition;
    return out;
  });
  return {
    ...flat,
    sopUids: item.sopUids,
    dimension: 3,
    frameOfReferenceUid: item.frameOfReferenceUid,
    landmarks,
  };
}
