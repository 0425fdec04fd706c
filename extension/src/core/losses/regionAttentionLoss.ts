/**
 * Region Attention loss, paper Eq. 10:
 * L_R = Σ_i | |δ_i| − Σ_ρ (H_i(ρ)/γ_i)·|ρ − x_i^γ| |,
 * the distance between the latent offset |δ_i| and the heatmap's expected distance to the pseudo label.
 * Averaged over valid landmarks (mask 1); landmarks flagged abnormal by the shape regulator (mask 0)
 * contribute nothing. Distances are Euclidean in normalised coordinates (x/W, y/H[, z/D]).
 */
import * as tf from '@tensorflow/tfjs';
import { cellCentres } from '../heatmap/integralCoordinates.ts';
import normaliseHeatmaps, { type HeatmapInputOptions } from '../heatmap/normaliseHeatmaps.ts';

/** Squared distance along one axis, shaped to broadcast against [B, ...spatial, n]. */
function axisDistanceSquared(
  target: tf.Tensor, // [B, n] normalised coordinate along this axis
  size: number,
  axis: number,
  rank: number,
): tf.Tensor {
  const gridShape = new Array<number>(rank).fill(1);
  gridShape[axis] = size;
  const targetShape = new Array<number>(rank).fill(1);
  targetShape[0] = target.shape[0]!;
  targetShape[rank - 1] = target.shape[1]!;
  return cellCentres(size).reshape(gridShape).sub(target.reshape(targetShape)).square();
}

/**
 * @param heatmaps sigmoid maps [B, H, W, n] or [B, D, H, W, n], or their logits (fromLogits)
 * @param pseudoLabels [B, n, d] normalised (x, y[, z])
 * @param latentOffsets [B, n] values of |δ_i|, normalised units
 * @param mask [B, n]: 1 counts, 0 excluded
 * @param options fromLogits: `heatmaps` are logits
 * @returns scalar loss; 0 when no landmark is valid
 */
export default function regionAttentionLoss(
  heatmaps: tf.Tensor,
  pseudoLabels: tf.Tensor3D,
  latentOffsets: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: HeatmapInputOptions = {},
): tf.Scalar {
  return tf.tidy(() => {
    const rank = heatmaps.rank;
    const spatialAxes = rank === 4 ? [1, 2] : [1, 2, 3];
    const safeLabels = tf.where(pseudoLabels.isFinite(), pseudoLabels, tf.zerosLike(pseudoLabels));
    let squared: tf.Tensor | undefined;
    spatialAxes
      .slice()
      .reverse()
      .forEach((axis, d) => {
        const target = safeLabels.slice([0, 0, d], [-1, -1, 1]).squeeze([2]);
        const term = axisDistanceSquared(target, heatmaps.shape[axis]!, axis, rank);
        squared = squared === undefined ? term : squared.add(term);
      });
    const distance = squared!.sqrt(); // [B, ...spatial, n], constant w.r.t. the network
    const expected = normaliseHeatmaps(heatmaps, options).mul(distance).sum(spatialAxes); // [B, n]
    const perLandmark = latentOffsets.sub(expected).abs();
    return perLandmark.mul(mask).sum().div(mask.sum().maximum(1)) as tf.Scalar;
  });
}
