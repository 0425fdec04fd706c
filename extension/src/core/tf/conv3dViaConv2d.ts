/**
 * A 3-D convolution as kd 2-D convolutions: output depth o is Σ_k conv2d(input plane o·sd + k, filter[k]),
 * all output planes at once (the depth-shifted input as a batch of planes [B·Do, Hp, Wp, C]).
 *
 * Why: tfjs 4.22's wasm Conv3D kernel is a plain loop (profiled at ~0.1 GFLOP/s: a 32³ 3D U-Net forward
 * pass took 5 s), while its conv2d runs on XNNPACK. The 3D gradient replacements (registerTrainingKernels)
 * are built on the same pieces. Only rank-3 and rank-4 slices and pads are used: wasm slices rank-5
 * tensors element by element in JavaScript; no channel concatenation either (wasm's Concat is slow
 * along a short last axis).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFilterGradient, type SpatialPadding } from './convGradients.ts';

/**
 * @param x [B, D, H, W, C]
 * @param filter [kd, kh, kw, C, Co]
 * @param strides along (d, h, w)
 * @param padding before/after along (d, h, w), voxels
 * @returns [B, Do, Ho, Wo, Co], as tf.conv3d with dilation 1
 */
export default function conv3dViaConv2d(
  x: tf.Tensor5D,
  filter: tf.Tensor5D,
  strides: readonly number[],
  padding: SpatialPadding,
): tf.Tensor5D {
  return tf.tidy(() => {
    const [kd, kh, kw, c, co] = filter.shape;
    const b = x.shape[0];
    const shifted = depthShifted(x, kd, strides, padding);
    let y: tf.Tensor4D | undefined;
    shifted.forEach((planes, k) => {
      const fk = filter.slice([k, 0, 0, 0, 0], [1, kh, kw, c, co]).reshape([kh, kw, c, co]);
      const term = tf.conv2d(planes, fk as tf.Tensor4D, [strides[1]!, strides[2]!], 'valid');
      y = y === undefined ? term : (y.add(term) as tf.Tensor4D);
    });
    const od = shifted[0]!.shape[0] / b;
    return y!.reshape([b, od, y!.shape[1], y!.shape[2], co]) as tf.Tensor5D;
  });
}

/**
 * The kd depth-shifted views of the padded input: view k is [B·Do, Hp, Wp, C] with plane (n, o) holding
 * input depth o·sd + k of sample n.
 */
function depthShifted(
  x: tf.Tensor5D,
  kd: number,
  strides: readonly number[],
  padding: SpatialPadding,
): tf.Tensor4D[] {
  const [b, d, h, w, c] = x.shape;
  const sd = strides[0]!;
  const [bd, bh, bw] = padding.before as [number, number, number];
  const [ad, ah, aw] = padding.after as [number, number, number];
  const [dp, hp, wp] = [d + bd + ad, h + bh + ah, w + bw + aw];
  let t: tf.Tensor = x.reshape([b, d, h * w * c]);
  if (bd > 0 || ad > 0)
    t = tf.pad(t, [
      [0, 0],
      [bd, ad],
      [0, 0],
    ]);
  t = t.reshape([b * dp, h, w, c]);
  if (bh > 0 || ah > 0 || bw > 0 || aw > 0)
    t = tf.pad(t, [
      [0, 0],
      [bh, ah],
      [bw, aw],
      [0, 0],
    ]);
  const od = Math.floor((dp - kd) / sd) + 1;
  const plane = hp * wp * c;
  const planes = t.reshape([b, dp, plane]);
  return Array.from({ length: kd }, (_, k) => {
    const slab =
      sd === 1
        ? planes.slice([0, k, 0], [b, od, plane])
        : tf.stridedSlice(planes, [0, k, 0], [b, k + (od - 1) * sd + 1, plane], [1, sd, 1]);
    return slab.reshape([b * od, hp, wp, c]) as tf.Tensor4D;
  });
}

/**
 * Gradient of the same convolution with respect to its filter: filter slice k is the 2-D filter
 * gradient of depth-shifted view k (no rank-5 transpose of activations, which wasm does slowly).
 * @param dy [B, Do, Ho, Wo, Co]
 * @returns [kd, kh, kw, C, Co]
 */
export function conv3dFilterGradientViaConv2d(
  x: tf.Tensor5D,
  dy: tf.Tensor5D,
  filterSpatial: readonly number[],
  strides: readonly number[],
  padding: SpatialPadding,
): tf.Tensor5D {
  return tf.tidy(() => {
    const [kd, kh, kw] = filterSpatial as [number, number, number];
    const [b, od, oh, ow, co] = dy.shape;
    const dy2 = dy.reshape([b * od, oh, ow, co]) as tf.Tensor4D;
    const slices = depthShifted(x, kd, strides, padding).map((planes) =>
      conv2dFilterGradient(planes, dy2, [kh, kw], [strides[1]!, strides[2]!], {
        before: [0, 0],
        after: [0, 0],
      }).expandDims(0),
    ); // each [1, kh, kw, C, Co]
    return (slices.length === 1 ? slices[0]! : tf.concat(slices, 0)) as tf.Tensor5D;
  });
}
