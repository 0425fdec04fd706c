/**
 * Nearest-neighbour ×2 upsampling of [B, D, H, W, C] volumes as a serialisable Keras-style layer
 * (tfjs-layers has UpSampling2D only). Forward: two 2-D nearest resizes (native kernels on every
 * backend). Gradient: each input voxel gets the sum of the 2×2×2 output voxels it was copied to, as
 * three sums over pairs, written here because tfjs 4.22's cpu ResizeNearestNeighborGrad is wrong (off
 * by up to 2 on a 2× resize of random values, where wasm matches the block sums to 2e-7), and cpu is
 * the reference every browser backend is checked against. Register it with
 * {@link registerCustomLayers} before loading a saved 3D model.
 */
import * as tf from '@tensorflow/tfjs';

/** Forward: [B, D, H, W, C] → [B, 2D, 2H, 2W, C], each voxel repeated 2×2×2. */
function repeat2(x: tf.Tensor): tf.Tensor {
  const [b, d, h, w, c] = x.shape as [number, number, number, number, number];
  // Two rank-4 nearest resizes (H and W, then D with the rest as channels). Repeating with tile instead
  // took 10 % of a 3D training step on wasm (docs/studies/2026-12-08-training-speed.md).
  const hw = tf.image.resizeNearestNeighbor(x.reshape([b * d, h, w, c]) as tf.Tensor4D, [
    2 * h,
    2 * w,
  ]);
  const dd = tf.image.resizeNearestNeighbor(hw.reshape([b, d, 1, 4 * h * w * c]) as tf.Tensor4D, [
    2 * d,
    1,
  ]);
  return dd.reshape([b, 2 * d, 2 * h, 2 * w, c]);
}

/** Gradient of {@link repeat2}: [B, 2D, 2H, 2W, C] → [B, D, H, W, C], sums over each 2×2×2 block. */
export function blockSums2(dy: tf.Tensor): tf.Tensor {
  const [b, d2, h2, w2, c] = dy.shape as [number, number, number, number, number];
  const [d, h, w] = [d2 / 2, h2 / 2, w2 / 2];
  // Pairs along z, then y, then x: each a sum over the middle axis of a rank-3 view.
  const z = dy.reshape([b * d, 2, h2 * w2 * c]).sum(1);
  const y = z.reshape([b * d * h, 2, w2 * c]).sum(1);
  const x = y.reshape([b * d * h * w, 2, c]).sum(1);
  return x.reshape([b, d, h, w, c]);
}

const upsample2 = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
  value: repeat2(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => blockSums2(dy as tf.Tensor),
}));

export default class UpSampling3D extends tf.layers.Layer {
  static className = 'UpSampling3D';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0]!, ...s.slice(1, 4).map((v) => (v === null ? null : v * 2)), s[4]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => upsample2(Array.isArray(inputs) ? inputs[0]! : inputs));
  }
}

/** Registers the custom layers with tfjs serialisation (idempotent); needed before tf.loadLayersModel. */
export function registerCustomLayers(): void {
  tf.serialization.registerClass(UpSampling3D);
}
