import * as tf from '@tensorflow/tfjs';
import sumTensors from './sumTensors.ts';

/**
 * Scales all gradients by min(1, maxNorm / ‖g‖₂) (global norm): the 1/γ factors of Eq. 2 and Eq. 10
 * make rare gradient spikes that Adam's slow second moment turns into huge steps (observed: a
 * self-training run on ISBI collapsed every heatmap to zero at once).
 *
 * The norm is read with `await data()`, never `dataSync()`: on WebGPU a synchronous read goes through
 * a canvas copy that is slow and breaks on some Chromium set-ups (see verifySyncReadback.ts).
 * `grads` stay the caller's (neither kept nor disposed here); the returned tensors are new and the
 * caller disposes them.
 * @returns the clipped gradients, or undefined when the norm is not finite (the step must be skipped:
 *   one Inf/NaN gradient applied by Adam turns every weight into NaN for good)
 */
export default async function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): Promise<tf.NamedTensorMap | undefined> {
  const norm = tf.tidy(() =>
    tf.sqrt(sumTensors(Object.values(grads).map((g) => g.square().sum()))),
  );
  try {
    const [value] = await norm.data();
    if (!Number.isFinite(value)) return undefined;
    return tf.tidy(() => {
      const scale = tf.minimum(1, tf.div(maxNorm, norm.add(1e-12)));
      const out: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) out[name] = g.mul(scale);
      return out;
    });
  } finally {
    norm.dispose();
  }
}
