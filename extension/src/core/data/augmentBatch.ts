/**
 * Seeded augmentation of a batch (paper §4: translation, rotation, Gaussian noise; plus intensity
 * jitter). Geometry is applied to the image with tf.image.transform and to the landmarks with the same
 * affine map, so labels stay on their structures.
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

/** Forward affine map (input-pixel continuous coordinates) and its inverse in tf.image.transform form. */
function drawGeometry(rng: Random, o: AugmentationOptions, width: number, height: number) {
  const angle = ((2 * rng.next() - 1) * o.rotationDeg * Math.PI) / 180;
  const tx = (2 * rng.next() - 1) * o.translation * width;
  const ty = (2 * rng.next() - 1) * o.translation * height;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const [cx, cy] = [width / 2, height / 2];
  // Forward: p' = R (p − centre) + centre + t (continuous coordinates, pixel-corner convention).
  const forward = ([x, y]: number[]): number[] => [
    c * (x! - cx) - s * (y! - cy) + cx + tx,
    s * (x! - cx) + c * (y! - cy) + cy + ty,
  ];
  // tf.image.transform maps OUTPUT pixel indices to INPUT pixel indices (index = continuous − 0.5):
  // i_in = Rᵀ (i_out − centre_index − t) + centre_index.
  const [ix, iy] = [cx - 0.5, cy - 0.5];
  const [ox, oy] = [ix + tx, iy + ty];
  const matrix = [c, s, -(c * ox + s * oy) + ix, -s, c, -(-s * ox + c * oy) + iy, 0, 0];
  return { forward, matrix };
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
  const [batch, height, width] = images.shape as [number, number, number, number];
  const geometry = Array.from({ length: batch }, () => drawGeometry(rng, options, width, height));
  const { gains, offsets, noise, noiseSeed } = drawIntensity(rng, batch, options);
  const out = tf.tidy(() => {
    const matrices = tf.tensor2d(geometry.map((g) => g.matrix));
    let t = tf.image.transform(images, matrices, 'bilinear', 'constant', 0) as tf.Tensor4D;
    t = t.mul(tf.tensor4d(gains, [batch, 1, 1, 1])).add(tf.tensor4d(offsets, [batch, 1, 1, 1]));
    if (options.noiseSd > 0) {
      t = t.add(
        tf
          .randomNormal(t.shape, 0, 1, 'float32', noiseSeed)
          .mul(tf.tensor4d(noise, [batch, 1, 1, 1])),
      );
    }
    return t.clipByValue(0, 1) as tf.Tensor4D;
  });
  const moved = landmarks.map((shape, b) =>
    shape.map((p) => (p.some(Number.isNaN) ? [Number.NaN, Number.NaN] : geometry[b]!.forward(p))),
  );
  return { images: out, landmarks: moved };
}
