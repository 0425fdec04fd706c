import type { Landmark, LandmarkSet, ModelIdentity } from '../../dicom/types.ts';
import type { PseudoLabelResult } from '../worker/protocol.ts';

/**
 * The landmark set stored for one pseudo-labelled image (paper Eq. 7): when no landmark is abnormal the
 * shape-adjusted X_β, otherwise the network's X_α, with the abnormal landmarks flagged and their
 * deviation |X_β − X_α| in mm. Positions are original pixels (SCOORD convention). Throws on a
 * non-finite position (no NaN reaches the PACS).
 */
export function pseudoLabelSet(
  names: readonly string[],
  r: PseudoLabelResult,
  model: ModelIdentity,
): LandmarkSet {
  const anyAbnormal = r.abnormal.some(Boolean);
  const landmarks: Landmark[] = names.map((name, j) => {
    const position = (anyAbnormal ? r.predicted[j] : r.adjusted[j]).slice(0, 2);
    if (!position.every(Number.isFinite)) {
      throw new Error(`study ${r.item.studyUid}: landmark ${name} has no finite position`);
    }
    return r.abnormal[j]
      ? { name, position, status: 'flagged-abnormal', deviationMm: r.deviationMm[j] }
      : { name, position, status: 'pseudo-label' };
  });
  return {
    studyUid: r.item.studyUid,
    seriesUid: r.item.seriesUid,
    sopUids: [r.item.sopUid],
    sopClassUid: r.item.sopClassUid,
    dimension: 2,
    landmarks,
    model,
  };
}
