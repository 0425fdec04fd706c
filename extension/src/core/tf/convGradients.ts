/**
 * Convolution weight and input gradients written with ordinary tf ops (slices, pads, one batched matMul
 * or one forward convolution), for backends whose own kernels are missing or wrong (tfjs 4.22 wasm:
 * Conv2DBackpropFilter is not registered, Conv3DBackpropInputV2 is wrong for every stride and
 * Conv3DBackpropFilterV2 for stride 2; see shared/notes/tfjs.md). Channels-last layouts only.
 *
 * Hand-written because tfjs offers no alternative implementation of these kernels to delegate to on the
 * same backend; each is checked against the cpu backend in test/unit/tf.
 */
import * as tf from '@tensorflow/tfjs';

/** Padding before and after each spatial axis, in pixels/voxels. */
export interface SpatialPadding {
  before: number[];
  after: number[];
}

/**
 * Gradient of a stride-s, dilation-1 convolution with respect to its filter ("im2col" form):
 * dW[k..., ci, co] = Σ x_pad[n, o·s + k, ci] · dy[n, o, co].
 * @param x input [N, ...spatial, Cin]
 * @param dy output gradient [N, ...outSpatial, Cout]
 * @param filterSpatial filter extent per spatial axis
 * @returns [...filterSpatial, Cin, Cout]
 */
export function filterGradient(
  x: tf.Tensor,
  dy: tf.Tensor,
  filterSpatial: number[],
  strides: number[],
  padding: SpatialPadding,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = filterSpatial.length;
    const cin = x.shape[rank + 1]!;
    const cout = dy.shape[rank + 1]!;
    const outSpatial = dy.shape.slice(1, rank + 1);
    const pads: [number, number][] = [[0, 0]];
    for (let a = 0; a < rank; a++) pads.push([padding.before[a]!, padding.after[a]!]);
    pads.push([0, 0]);
    const xp = tf.pad(x, pads);
    const rows = outSpatial.reduce((p, v) => p * v, x.shape[0]!);
    const patches: tf.Tensor[] = [];
    for (const offset of offsets(filterSpatial)) {
      const begin = [0, ...offset, 0];
      const end = [
        xp.shape[0]!,
        ...offset.map((o, a) => o + (outSpatial[a]! - 1) * strides[a]! + 1),
        cin,
      ];
      const step = [1, ...strides, 1];
      const patch = strides.every((v) => v === 1)
        ? tf.slice(
            xp,
            begin,
            end.map((e, i) => e - begin[i]!),
          )
        : tf.stridedSlice(xp, begin, end, step);
      patches.push(patch.reshape([rows, cin]));
    }
    // One matMul over all offsets: columns k·Cin + ci. (Tiling dy per offset for a batched matMul was
    // ~10x slower on wasm, where Tile dominated the step.)
    const cols = patches.length === 1 ? patches[0]! : tf.concat(patches, 1); // [rows, K·Cin]
    const dw = tf.matMul(cols, dy.reshape([rows, cout]), true, false); // [K·Cin, Cout]
    return dw.reshape([...filterSpatial, cin, cout]);
  });
}

/**
 * 2-D filter gradient as ONE forward convolution (fast XNNPACK path on wasm): with x transposed to
 * [Cin, H, W, N] and dy to [Ho, Wo, N, Cout], conv2d(x_pad, dy, dilation = stride) = dW as
 * [Cin, fh', fw', Cout] (cropped to fh × fw).
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterSpatial: number[],
  strides: number[],
  padding: SpatialPadding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [fh, fw] = filterSpatial as [number, number];
    const cin = x.shape[3];
    const cout = dy.shape[3];
    const xp = tf.pad(x, [
      [0, 0],
      [padding.before[0]!, padding.after[0]!],
      [padding.before[1]!, padding.after[1]!],
      [0, 0],
    ]);
    const xt = xp.transpose([3, 1, 2, 0]) as tf.Tensor4D;
    const dyt = dy.transpose([1, 2, 0, 3]) as tf.Tensor4D;
    const r = tf.conv2d(xt, dyt, 1, 'valid', 'NHWC', strides as [number, number]);
    return r.slice([0, 0, 0, 0], [cin, fh, fw, cout]).transpose([1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * 3-D filter gradient of a stride-1 convolution as ONE forward conv3d (as conv2dFilterGradient): with x
 * transposed to [Cin, D, H, W, N] and dy to [Do, Ho, Wo, N, Cout], conv3d(x_pad, dy) = dW as
 * [Cin, fd, fh, fw, Cout]. The im2col form (filterGradient) slices rank-5 tensors, which the wasm
 * backend of tfjs 4.22 does element by element in JavaScript (its Slice kernel is native up to rank 4
 * only): profiled, that made a 3D U-Net step 5–13x slower.
 */
export function conv3dFilterGradient(
  x: tf.Tensor5D,
  dy: tf.Tensor5D,
  filterSpatial: number[],
  padding: SpatialPadding,
): tf.Tensor5D {
  return tf.tidy(() => {
    const [fd, fh, fw] = filterSpatial as [number, number, number];
    const cin = x.shape[4];
    const cout = dy.shape[4];
    const pads: [number, number][] = [[0, 0]];
    for (let a = 0; a < 3; a++) pads.push([padding.before[a]!, padding.after[a]!]);
    pads.push([0, 0]);
    const xt = tf.pad(x, pads).transpose([4, 1, 2, 3, 0]) as tf.Tensor5D;
    const dyt = dy.transpose([1, 2, 3, 0, 4]) as tf.Tensor5D;
    const r = tf.conv3d(xt, dyt, 1, 'valid');
    return r
      .slice([0, 0, 0, 0, 0], [cin, fd, fh, fw, cout])
      .transpose([1, 2, 3, 0, 4]) as tf.Tensor5D;
  });
}

/** All filter offsets in row-major order (last axis fastest). */
function offsets(extent: number[]): number[][] {
  let out: number[][] = [[]];
  for (const e of extent) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < e; i++) next.push([...prefix, i]);
    out = next;
  }
  return out;
}

/** Inserts (s − 1) zeros between neighbours along each spatial axis of [N, ...spatial, C]. */
function dilateWithZeros(t: tf.Tensor, strides: number[]): tf.Tensor {
  let out = t;
  strides.forEach((s, a) => {
    if (s === 1) return;
    const shape = out.shape;
    const axis = a + 1;
    const len = shape[axis]!;
    const split = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
    const pads = split.map((_, i): [number, number] => (i === axis + 1 ? [0, s - 1] : [0, 0]));
    const merged = [...shape.slice(0, axis), len * s, ...shape.slice(axis + 1)];
    const full = tf.pad(out.reshape(split), pads).reshape(merged);
    const size = merged.map((v, i) => (i === axis ? (len - 1) * s + 1 : v));
    out = tf.slice(
      full,
      merged.map(() => 0),
      size,
    );
  });
  return out;
}

/**
 * Gradient of a 2-D or 3-D convolution (dilation 1, any stride) with respect to its input: the
 * zero-dilated output gradient convolved with the spatially flipped filter whose in/out channels are
 * swapped (one forward convolution).
 * @param dy [N, ...outSpatial, Cout]
 * @param filter [...filterSpatial, Cin, Cout]
 * @param inputShape [N, ...spatial, Cin]
 */
export function convInputGradient(
  dy: tf.Tensor,
  filter: tf.Tensor,
  inputShape: number[],
  strides: number[],
  padding: SpatialPadding,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = filter.rank - 2;
    const f = filter.shape;
    const dyd = dilateWithZeros(dy, strides);
    const pads: [number, number][] = [[0, 0]];
    for (let a = 0; a < rank; a++) {
      const before = f[a]! - 1 - padding.before[a]!;
      const after = inputShape[a + 1]! + f[a]! - 1 - dyd.shape[a + 1]! - before;
      if (before < 0 || after < 0) throw new Error('convInputGradient: unsupported padding');
      pads.push([before, after]);
    }
    pads.push([0, 0]);
    const spatial = Array.from({ length: rank }, (_, i) => i);
    const flipped = tf.reverse(filter, spatial).transpose([...spatial, rank + 1, rank]);
    const padded = tf.pad(dyd, pads);
    return rank === 2
      ? tf.conv2d(padded as tf.Tensor4D, flipped as tf.Tensor4D, 1, 'valid')
      : tf.conv3d(padded as tf.Tensor5D, flipped as tf.Tensor5D, 1, 'valid');
  });
}
