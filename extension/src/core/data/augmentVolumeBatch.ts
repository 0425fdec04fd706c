/**
 * Seeded augmentation of a batch of volumes (paper §4's translation, rotation and Gaussian noise, plus
 * intensity jitter, carried over to 3D): rotation in the axial (x–y) plane about the volume's axis,
 * translation along x, y and z, additive Gaussian noise, gain and offset. Geometry is applied to the
 * voxels and to the landmarks with the same map, so labels stay on their structures.
 *
 * The in-plane part reuses tf.image.transform on every slice (slices as the batch, one matrix per
 * volume); the z shift is the same op on a [B, D, H·W] view whose x axis is left unchanged (integer
 * sample positions, so that axis is copied exactly). Rotations about x or y are not done: they would
 * need a full 3D resampler (tfjs has none), and CBCT scans are acquired with the head in a fixed
 * upright position, so out-of-plane tilt is small.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentationOptions } from './augmentBatch.ts';
import type { Random } from './createRandom.ts';
import drawIntensity from './drawIntensity.ts';

interface VolumeGeometry {
  /** Forward map of input-voxel continuous coordinates (x, y, z). */
  forward: (p: number[]) => number[];
  /** tf.image.transform matrix of the in-plane part (output index → input index). */
  matrix: number[];
  /** Shift along z, voxels. */
  tz: number;
}

/** Draws one volume's rotation (about z, through the in-plane centre) and translation. */
function drawGeometry(
  rng: Random,
  o: AugmentationOptions,
  [depth, height, width]: number[],
): VolumeGeometry {
  const angle = ((2 * rng.next() - 1) * o.rotationDeg * Math.PI) / 180;
  const tx = (2 * rng.next() - 1) * o.translation * width!;
  const ty = (2 * rng.next() - 1) * o.translation * height!;
  const tz = (2 * rng.next() - 1) * o.translation * depth!;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const [cx, cy] = [width! / 2, height! / 2];
  // Forward: (x, y) ↦ R (p − centre) + centre + t, z ↦ z + tz (continuous, voxel-corner convention).
  const forward = ([x, y, z]: number[]): number[] => [
    c * (x! - cx) - s * (y! - cy) + cx + tx,
    s * (x! - cx) + c * (y! - cy) + cy + ty,
    z! + tz,
  ];
  // As in augmentBatch: i_in = Rᵀ (i_out − centre_index − t) + centre_index (index = continuous − 0.5).
  const [ix, iy] = [cx - 0.5, cy - 0.5];
  const [ox, oy] = [ix + tx, iy + ty];
  const matrix = [c, s, -(c * ox + s * oy) + ix, -s, c, -(-s * ox + c * oy) + iy, 0, 0];
  return { forward, matrix, tz };
}

/** Applies the in-plane transforms and the z shifts to [B, D, H, W, 1] volumes. */
function transformVolumes(volumes: tf.Tensor5D, geometry: readonly VolumeGeometry[]): tf.Tensor5D {
  const [batch, depth, height, width] = volumes.shape;
  const slices = volumes.reshape([batch * depth, height, width, 1]) as tf.Tensor4D;
  const inPlane = tf.image.transform(
    slices,
    tf.tensor2d(geometry.flatMap((g) => Array<number[]>(depth).fill(g.matrix))),
    'bilinear',
    'constant',
    0,
  );
  if (geometry.every((g) => g.tz === 0)) return inPlane.reshape(volumes.shape);
  // Output slice k reads input slice k − tz; the flattened (y, x) axis maps to itself.
  const shiftZ = tf.tensor2d(geometry.map((g) => [1, 0, 0, 0, 1, -g.tz, 0, 0]));
  const view = inPlane.reshape([batch, depth, height * width, 1]) as tf.Tensor4D;
  return tf.image.transform(view, shiftZ, 'bilinear', 'constant', 0).reshape(volumes.shape);
}

/**
 * @param volumes [B, D, H, W, 1] in [0, 1]
 * @param landmarks per sample n × 3 input-voxel coordinates (x, y, z) (NaN kept as NaN)
 * @returns augmented volumes (new tensor; the input is not disposed) and transformed landmarks
 */
export default function augmentVolumeBatch(
  volumes: tf.Tensor5D,
  landmarks: number[][][],
  rng: Random,
  options: AugmentationOptions,
): { images: tf.Tensor5D; landmarks: number[][][] } {
  const [batch, depth, height, width] = volumes.shape;
  const geometry = Array.from({ length: batch }, () =>
    drawGeometry(rng, options, [depth, height, width]),
  );
  const { gains, offsets, noise, noiseSeed } = drawIntensity(rng, batch, options);
  const out = tf.tidy(() => {
    // Intensity terms on a rank-4 view: WebGPU in tfjs 4.22 mis-compiles some rank-5 broadcasts
    // (shared/notes/tfjs.md).
    const perVolume = (v: number[]) => tf.tensor4d(v, [batch, 1, 1, 1]);
    let t = transformVolumes(volumes, geometry).reshape([batch, depth * height, width, 1]);
    t = t.mul(perVolume(gains)).add(perVolume(offsets));
    if (options.noiseSd > 0) {
      t = t.add(tf.randomNormal(t.shape, 0, 1, 'float32', noiseSeed).mul(perVolume(noise)));
    }
    return t.clipByValue(0, 1).reshape(volumes.shape) as tf.Tensor5D;
  });
  const moved = landmarks.map((shape, b) =>
    shape.map((p) =>
      p.some(Number.isNaN) ? [Number.NaN, Number.NaN, Number.NaN] : geometry[b]!.forward(p),
    ),
  );
  return { images: out, landmarks: moved };
}
