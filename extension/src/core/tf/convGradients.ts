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
      patches.push(tf.stridedSlice(xp, begin, end, step).reshape([rows, cin]));
    }
    const cols = tf.stack(patches); // [K, rows, Cin]
    const dy2 = dy.reshape([1, rows, cout]).tile([patches.length, 1, 1]);
    const dw = tf.matMul(cols, dy2, true, false); // [K, Cin, Cout]
    return dw.reshape([...filterSpatial, cin, cout]);
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
 * Gradient of a 3-D convolution (dilation 1, any stride) with respect to its input: the dilated output
 * gradient convolved with the spatially flipped filter whose in/out channels are swapped.
 * @param dy [N, Do, Ho, Wo, Cout]
 * @param filter [fd, fh, fw, Cin, Cout]
 * @param inputShape [N, D, H, W, Cin]
 */
export function conv3dInputGradient(
  dy: tf.Tensor5D,
  filter: tf.Tensor5D,
  inputShape: number[],
  strides: number[],
  padding: SpatialPadding,
): tf.Tensor5D {
  return tf.tidy(() => {
    const f = filter.shape;
    const dyd = dilateWithZeros(dy, strides);
    const pads: [number, number][] = [[0, 0]];
    for (let a = 0; a < 3; a++) {
      const before = f[a]! - 1 - padding.before[a]!;
      const after = inputShape[a + 1]! + f[a]! - 1 - dyd.shape[a + 1]! - before;
      if (before < 0 || after < 0) throw new Error('conv3dInputGradient: unsupported padding');
      pads.push([before, after]);
    }
    pads.push([0, 0]);
    const flipped = tf.reverse(filter, [0, 1, 2]).transpose([0, 1, 2, 4, 3]) as tf.Tensor5D;
    return tf.conv3d(tf.pad(dyd, pads) as tf.Tensor5D, flipped, 1, 'valid');
  });
}
