/**
 * H_t / γ_t of Eq. 2 computed without an epsilon: each map is first divided by its own maximum, which
 * leaves the ratio unchanged but keeps γ ≥ 1. An additive epsilon (γ + ε) gave the Region Attention loss
 * a degenerate minimum: heatmaps shrunk towards zero made every expected distance ≈ 0, i.e. loss ≈ |δ|
 * (observed on ISBI: self-training collapsed every prediction to the image corner).
 */
import * as tf from '@tensorflow/tfjs';

/** Smallest maximum used when a whole map underflowed to 0 (the result is then all 0, never NaN). */
const TINY = 1e-30;

/**
 * @param heatmaps non-negative maps [B, ...spatial, n]
 * @returns the maps normalised to sum 1 over the spatial axes (same shape)
 */
export default function normaliseHeatmaps(heatmaps: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const spatialAxes = Array.from({ length: heatmaps.rank - 2 }, (_, i) => i + 1);
    const peak = heatmaps.max(spatialAxes, true).maximum(TINY);
    const scaled = heatmaps.div(peak);
    return scaled.div(scaled.sum(spatialAxes, true).maximum(TINY));
  });
}
