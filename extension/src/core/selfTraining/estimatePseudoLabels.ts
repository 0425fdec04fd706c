/**
 * Pseudo labels of the unlabelled images (paper Eq. 7, X_γ = J(F(I_u; θ))): the current network's
 * predictions, regulated by the shape prior when a regulator is given (abnormal landmarks masked out),
 * or taken raw (all landmarks counted) for the `naive` and `no-sr` ablations.
 */
import type { LearningSample } from '../data/types.ts';
import type { PseudoLabel, RegulatedShape } from './types.ts';

/**
 * @param predictionsPx per sample n × 2 (images) or n × 3 (volumes) predicted input-pixel/voxel
 *   coordinates
 * @param regulate shape regulation in millimetres (2D or 3D shapes, as the samples), or undefined for
 *   raw pseudo labels
 */
export default function estimatePseudoLabels(
  samples: readonly LearningSample[],
  predictionsPx: readonly number[][][],
  regulate?: (shapeMm: number[][]) => RegulatedShape,
): Record<string, PseudoLabel> {
  const out: Record<string, PseudoLabel> = {};
  samples.forEach((sample, i) => {
    const predicted = predictionsPx[i]!;
    if (regulate === undefined) {
      out[sample.id] = { landmarks: predicted.map((p) => [...p]), mask: predicted.map(() => true) };
      return;
    }
    const spacing = sample.spacingMm;
    let regulation;
    try {
      regulation = regulate(predicted.map((p) => p.map((v, a) => v * spacing[a]!)));
    } catch {
      // A prediction the shape model cannot even align (e.g. collapsed, collinear) is no pseudo label:
      // every landmark of the image is excluded this round.
      out[sample.id] = {
        landmarks: predicted.map((p) => [...p]),
        mask: predicted.map(() => false),
      };
      return;
    }
    out[sample.id] = {
      landmarks: regulation.gamma.map((p) => p.map((v, a) => v / spacing[a]!)),
      mask: regulation.abnormal.map((a) => !a),
    };
  });
  return out;
}

/** Mean distance (input pixels/voxels) between two pseudo-label sets over their common landmarks. */
export function pseudoLabelShift(
  a: Record<string, PseudoLabel>,
  b: Record<string, PseudoLabel>,
): number {
  let sum = 0;
  let count = 0;
  for (const [id, label] of Object.entries(b)) {
    const old = a[id];
    if (old === undefined) continue;
    label.landmarks.forEach((p, l) => {
      const o = old.landmarks[l]!;
      sum += Math.hypot(...p.map((v, a) => v - o[a]!));
      count += 1;
    });
  }
  return count === 0 ? 0 : sum / count;
}
