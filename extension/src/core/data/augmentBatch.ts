/**
 * Seeded augmentation of a batch (paper §4: translation, rotation, Gaussian noise; plus intensity
 * jitter), for images and volumes alike (augmentVolumeBatch.ts). Geometry is applied to the grid with
 * tf.image.transform and to the landmarks with the same affine map, so labels stay on their structures.
 */
import * as tf from '@tensorflow/tfjs';
import type { Random } from './createRandom.ts';
import drawIntensity from './drawIntensity.ts';

/** Ranges of the random augmentations; zero disables one. */
export interface AugmentationOptions {
  /** Maximum rotation, degrees (uniform in ±). */
  rotationDeg: number;
  /** Maximum translation as a fraction of the input size (uniform in ±, per axis). */
  translation: number;
  /** Maximum standard deviation of additive Gaussian noise, intensity units of the [0, 1] input. */
  noiseSd: number;
  /** Intensity jitter: gain in 1 ± j, offset in ± j. */
  intensityJitter: number;
}

export const NO_AUGMENTATION: AugmentationOptions = {
  rotationDeg: 0,
  translation: 0,
  noiseSd: 0,
  intensityJitter: 0,
};

/** One sample's geometry: the forward map of its landmarks and the resampling of its grid. */
interface Geometry {
  /** Forward map of input continuous coordinates (x, y[, z]). */
  forward: (p: readonly number[]) => number[];
  /** tf.image.transform matrix of the in-plane part (output index → input index). */
  matrix: number[];
  /** Shift along z, cells (0 for images). */
  tz: number;
}

/**
 * Draws one sample's rotation (in the x–y plane, about its centre) and translation (x, y, and z for
 * volumes), in this order from `rng`.
 */
function drawGeometry(
  rng: Random,
  o: AugmentationOptions,
  [depth, height, width]: readonly number[],
  axes: 2 | 3,
): Geometry {
  const angle = ((2 * rng.next() - 1) * o.rotationDeg * Math.PI) / 180;
  const tx = (2 * rng.next() - 1) * o.translation * width!;
  const ty = (2 * rng.next() - 1) * o.translation * height!;
  const tz = axes === 3 ? (2 * rng.next() - 1) * o.translation * depth! : 0;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const [cx, cy] = [width! / 2, height! / 2];
  // Forward: (x, y) ↦ R (p − centre) + centre + t, z ↦ z + tz (continuous, cell-corner convention).
  const forward = ([x, y, z]: readonly number[]): number[] => {
    const inPlane = [
      c * (x! - cx) - s * (y! - cy) + cx + tx,
      s * (x! - cx) + c * (y! - cy) + cy + ty,
    ];
    return axes === 3 ? [...inPlane, z! + tz] : inPlane;
  };
  // tf.image.transform maps OUTPUT pixel indices to INPUT pixel indices (index = continuous − 0.5):
  // i_in = Rᵀ (i_out − centre_index − t) + centre_index.
  const [ix, iy] = [cx - 0.5, cy - 0.5];
  const [ox, oy] = [ix + tx, iy + ty];
  const matrix = [c, s, -(c * ox + s * oy) + ix, -s, c, -(-s * ox + c * oy) + iy, 0, 0];
  return { forward, matrix, tz };
}

/**
 * Applies the in-plane transforms to every slice (slices as the batch, one matrix per sample) and the
 * z shifts (the same op on a [B, D, H·W] view whose second axis keeps integer sample positions, so it
 * is copied exactly) to [B, D, H, W, 1] grids.
 */
function transformGrids(grids: tf.Tensor5D, geometry: readonly Geometry[]): tf.Tensor5D {
  const [batch, depth, height, width] = grids.shape;
  const slices = grids.reshape([batch * depth, height, width, 1]) as tf.Tensor4D;
  const inPlane = tf.image.transform(
    slices,
    tf.tensor2d(geometry.flatMap((g) => Array<number[]>(depth).fill(g.matrix))),
    'bilinear',
    'constant',
    0,
  );
  if (geometry.every((g) => g.tz === 0)) return inPlane.reshape(grids.shape);
  // Output slice k reads input slice k − tz; the flattened (y, x) axis maps to itself.
  const shiftZ = tf.tensor2d(geometry.map((g) => [1, 0, 0, 0, 1, -g.tz, 0, 0]));
  const view = inPlane.reshape([batch, depth, height * width, 1]) as tf.Tensor4D;
  return tf.image.transform(view, shiftZ, 'bilinear', 'constant', 0).reshape(grids.shape);
}

/**
 * The augmentation of images (`axes` 2: grids one slice deep) and volumes (`axes` 3) alike.
 *
 * @param grids [B, D, H, W, 1] in [0, 1]
 * @param landmarks per sample n × `axes` input coordinates (x, y[, z]) (NaN kept as NaN)
 * @returns augmented grids (new tensor; the input is not disposed) and transformed landmarks
 */
export function augmentGrids(
  grids: tf.Tensor5D,
  landmarks: number[][][],
  rng: Random,
  options: AugmentationOptions,
  axes: 2 | 3,
): { images: tf.Tensor5D; landmarks: number[][][] } {
  const [batch, depth, height, width] = grids.shape;
  const geometry = Array.from({ length: batch }, () =>
    drawGeometry(rng, options, [depth, height, width], axes),
  );
  const { gains, offsets, noise, noiseSeed } = drawIntensity(rng, batch, options);
  const out = tf.tidy(() => {
    // Intensity terms on a rank-4 view: WebGPU in tfjs 4.22 mis-compiles some rank-5 broadcasts
    // (shared/notes/tfjs.md).
    const perSample = (v: number[]) => tf.tensor4d(v, [batch, 1, 1, 1]);
    let t = transformGrids(grids, geometry).reshape([batch, depth * height, width, 1]);
    t = t.mul(perSample(gains)).add(perSample(offsets));
    if (options.noiseSd > 0) {
      t = t.add(tf.randomNormal(t.shape, 0, 1, 'float32', noiseSeed).mul(perSample(noise)));
    }
    return t.clipByValue(0, 1).reshape(grids.shape) as tf.Tensor5D;
  });
  const missing = Array<number>(axes).fill(Number.NaN);
  const moved = landmarks.map((shape, b) =>
    shape.map((p) => (p.some(Number.isNaN) ? [...missing] : geometry[b]!.forward(p))),
  );
  return { images: out, landmarks: moved };
}

/**
 * @param images [B, H, W, 1] in [0, 1]
 * @param landmarks per sample n × 2 input-pixel coordinates (NaN kept as NaN)
 * @returns augmented images (new tensor; the input is not disposed) and transformed landmarks
 */
export default function augmentBatch(
  images: tf.Tensor4D,
  landmarks: number[][][],
  rng: Random,
  options: AugmentationOptions,
): { images: tf.Tensor4D; landmarks: number[][][] } {
  const [batch, height, width] = images.shape;
  const grids = images.reshape([batch, 1, height, width, 1]) as tf.Tensor5D;
  const out = augmentGrids(grids, landmarks, rng, options, 2);
  grids.dispose();
  const augmented = out.images.reshape(images.shape) as tf.Tensor4D;
  out.images.dispose();
  return { images: augmented, landmarks: out.landmarks };
}
