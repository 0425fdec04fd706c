/**
 * Resamples a volume into the network input with the physical aspect kept (computeVolumeLetterbox),
 * normalising intensities to [0, 1] by the volume's own minimum and maximum (as letterboxImage does in
 * 2D). Large reductions average-pool first (anti-aliasing, per axis), then trilinear interpolation with
 * half-voxel centres, which matches the voxel-corner coordinate convention of the letterbox.
 *
 * Trilinear = bilinear in each slice plane (tf.image.resizeBilinear, slices as the batch) followed by
 * linear along z (the same op on a [1, D, H·W] view whose second axis keeps its size, which is exact):
 * tfjs has no 3D resize, and the separable form is the same interpolation.
 */
import * as tf from '@tensorflow/tfjs';
import syncReadable from '../tf/syncReadable.ts';
import computeVolumeLetterbox from './computeVolumeLetterbox.ts';
import type { LetterboxPlan } from './letterboxPlan.ts';
import type { GrayVolume, VolumeLetterbox } from './types.ts';

/** Checks size, voxel count and values; returns the intensity range. */
function checkVolume(volume: GrayVolume, name: string): { min: number; max: number } {
  const { width, height, depth, voxels } = volume;
  if (voxels.length !== width * height * depth) {
    throw new Error(`${name}: ${voxels.length} voxels for a ${width}×${height}×${depth} volume`);
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of voxels) {
    if (!Number.isFinite(v)) throw new Error(`${name}: voxel value ${v} is not finite`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Average pooling by integer factors [kx, ky, kz] of a [D, H, W] tensor, zero-padded to multiples. */
function poolVolume(t: tf.Tensor3D, k: readonly number[]): tf.Tensor3D {
  const [d, h, w] = t.shape;
  const [kx, ky, kz] = k as [number, number, number];
  const padded = tf.pad(t, [
    [0, Math.ceil(d / kz) * kz - d],
    [0, Math.ceil(h / ky) * ky - h],
    [0, Math.ceil(w / kx) * kx - w],
  ]);
  const [pd, ph, pw] = padded.shape;
  return padded.reshape([pd / kz, kz, ph / ky, ky, pw / kx, kx]).mean([1, 3, 5]) as tf.Tensor3D;
}

/** Trilinear resize of a [D, H, W] tensor to [depth, height, width] with half-voxel centres. */
export function resizeTrilinear(t: tf.Tensor3D, [depth, height, width]: number[]): tf.Tensor3D {
  return tf.tidy(() => {
    const d = t.shape[0];
    const inPlane = tf.image.resizeBilinear(
      t.expandDims(3) as tf.Tensor4D,
      [height!, width!],
      false,
      true,
    ); // [D, height, width, 1]
    const alongZ = tf.image.resizeBilinear(
      inPlane.reshape([1, d, height! * width!, 1]) as tf.Tensor4D,
      [depth!, height! * width!],
      false,
      true,
    );
    return alongZ.reshape([depth!, height!, width!]) as tf.Tensor3D;
  });
}

/**
 * Resamples a grid of `size` = [width, height, depth] cells (x fastest; depth 1 for an image), already
 * in [0, 1], into the input by `plan` (letterboxPlan.ts, per axis x, y, z): average pooling, trilinear
 * resize with half-cell centres, zero padding. Along an axis of size 1 kept at 1 the resize is exact,
 * so an image goes through the same steps as a volume.
 */
export function resampleGrid(
  unit: tf.Tensor3D,
  plan: Pick<LetterboxPlan, 'resized' | 'poolFactor' | 'offset' | 'input'>,
): Float32Array {
  const [rx, ry, rz] = plan.resized as [number, number, number];
  const [ox, oy, oz] = plan.offset as [number, number, number];
  const [ix, iy, iz] = plan.input as [number, number, number];
  return tf.tidy(() => {
    let t = unit;
    if (plan.poolFactor.some((k) => k > 1)) t = poolVolume(t, plan.poolFactor);
    const resized = resizeTrilinear(t, [rz, ry, rx]);
    const padded = tf.pad(resized, [
      [oz, iz - rz - oz],
      [oy, iy - ry - oy],
      [ox, ix - rx - ox],
    ]);
    return Float32Array.from(padded.clipByValue(0, 1).dataSync());
  });
}

/**
 * @param inputShape network input [D, H, W], voxels
 * @returns input-size intensities in [0, 1] (x fastest, then y, then z) and the letterbox geometry
 */
export default function letterboxVolume(
  volume: GrayVolume,
  inputShape: readonly number[],
  name = 'volume',
): { input: Float32Array; letterbox: VolumeLetterbox } {
  const { width, height, depth, voxels, spacingMm } = volume;
  const { min, max } = checkVolume(volume, name);
  let plan;
  try {
    plan = computeVolumeLetterbox([width, height, depth], spacingMm, inputShape);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  const range = max > min ? max - min : 1;
  const input = syncReadable(() =>
    tf.tidy(() =>
      resampleGrid(tf.tensor3d(voxels, [depth, height, width]).sub(min).div(range), {
        resized: plan.resized,
        poolFactor: plan.poolFactor,
        offset: [plan.offsetX, plan.offsetY, plan.offsetZ],
        input: [plan.inputWidth, plan.inputHeight, plan.inputDepth],
      }),
    ),
  );
  const letterbox: VolumeLetterbox = {
    scaleX: plan.scaleX,
    scaleY: plan.scaleY,
    scaleZ: plan.scaleZ,
    offsetX: plan.offsetX,
    offsetY: plan.offsetY,
    offsetZ: plan.offsetZ,
    inputWidth: plan.inputWidth,
    inputHeight: plan.inputHeight,
    inputDepth: plan.inputDepth,
  };
  return { input, letterbox };
}
