/**
 * Nearest-neighbour ×2 upsampling of [B, D, H, W, C] volumes as a serialisable Keras-style layer
 * (tfjs-layers has UpSampling2D only). Built from reshape + tile, whose gradients tfjs provides on every
 * backend. Register it with {@link registerCustomLayers} before loading a saved 3D model.
 */
import * as tf from '@tensorflow/tfjs';

export default class UpSampling3D extends tf.layers.Layer {
  static className = 'UpSampling3D';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0]!, ...s.slice(1, 4).map((v) => (v === null ? null : v * 2)), s[4]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [b, d, h, w, c] = x.shape as [number, number, number, number, number];
      // One axis at a time with rank-4 tiles (tfjs has no tile gradient above rank 4):
      // [M, L, 1, R] tiled ×2 on axis 2 repeats each of the L entries twice.
      const repeat = (t: tf.Tensor, m: number, l: number, r: number) =>
        t.reshape([m, l, 1, r]).tile([1, 1, 2, 1]);
      const alongW = repeat(x, b * d * h, w, c); // → [B·D·H, W, 2, C]
      const alongH = repeat(alongW, b * d, h, 2 * w * c);
      const alongD = repeat(alongH, b, d, 4 * h * w * c);
      return alongD.reshape([b, 2 * d, 2 * h, 2 * w, c]);
    });
  }
}

/** Registers the custom layers with tfjs serialisation (idempotent); needed before tf.loadLayersModel. */
export function registerCustomLayers(): void {
  tf.serialization.registerClass(UpSampling3D);
}
