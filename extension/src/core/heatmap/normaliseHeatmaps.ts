/**
 * H_t / γ_t of Eq. 2 computed without an epsilon: each map is first divided by its own maximum, which
 * leaves the ratio unchanged but keeps γ ≥ 1. An additive epsilon (γ + ε) gave the Region Attention loss
 * a degenerate minimum: heatmaps shrunk towards zero made every expected distance ≈ 0, i.e. loss ≈ |δ|
 * (observed on ISBI: self-training collapsed every prediction to the image corner).
 *
 * The maximum is treated as a constant in the backward pass. The result does not depend on it (any
 * positive divisor gives the same ratio), so the gradient is mathematically unchanged; but the exact
 * derivative through it, −H/peak², overflows float32 once a map's peak drops below ~1e-19 (sigmoid
 * logits below −44), and Inf − Inf then turned every weight into NaN (ISBI self-training, epoch 15).
 */
import * as tf from '@tensorflow/tfjs';

/** Smallest maximum used when a whole map underflowed to 0 (the result is then all 0, never NaN). */
const TINY = 1e-30;

/** Identity forward, zero gradient: tfjs has no stop_gradient op, so it is built with customGrad. */
const stopGradient = tf.customGrad((...inputs) => {
  const x = inputs[0] as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * @param heatmaps non-negative maps [B, ...spatial, n]
 * @returns the maps normalised to sum 1 over the spatial axes (same shape)
 */
export default function normaliseHeatmaps(heatmaps: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const spatialAxes = Array.from({ length: heatmaps.rank - 2 }, (_, i) => i + 1);
    const peak = stopGradient(heatmaps.max(spatialAxes, true).maximum(TINY));
    const scaled = heatmaps.div(peak);
    return scaled.div(scaled.sum(spatialAxes, true).maximum(TINY));
  });
}
