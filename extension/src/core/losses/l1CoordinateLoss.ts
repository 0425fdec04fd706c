/**
 * L1 loss on integral coordinates (paper Eq. 1, pre-training): mean over valid landmarks of
 * Σ_axes |x̂ − x|. Coordinates normalised as in heatmap/integralCoordinates.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * @param predicted [B, n, d] normalised coordinates
 * @param target [B, n, d] normalised coordinates (values under a 0 mask are ignored)
 * @param mask [B, n]: 1 where the landmark counts, 0 where it is excluded (abnormal or missing)
 * @returns scalar loss; 0 when no landmark is valid
 */
export default function l1CoordinateLoss(
  predicted: tf.Tensor3D,
  target: tf.Tensor3D,
  mask: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    // A missing (NaN) target under a 0 mask must not leak NaN into the loss or its gradient.
    const safeTarget = tf.where(target.isFinite(), target, tf.zerosLike(target));
    const perLandmark = predicted.sub(safeTarget).abs().sum(2); // [B, n]
    return perLandmark.mul(mask).sum().div(mask.sum().maximum(1)) as tf.Scalar;
  });
}
