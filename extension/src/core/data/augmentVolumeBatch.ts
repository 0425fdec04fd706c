/**
 * Seeded augmentation of a batch of volumes (paper §4's translation, rotation and Gaussian noise, plus
 * intensity jitter, carried over to 3D): rotation in the axial (x–y) plane about the volume's axis,
 * translation along x, y and z, additive Gaussian noise, gain and offset. Geometry is applied to the
 * voxels and to the landmarks with the same map, so labels stay on their structures.
 *
 * The same code as images (augmentBatch.ts `augmentGrids`, which also draws the z shift for volumes):
 * tf.image.transform on every slice, then along z. Rotations about x or y are not done: they would
 * need a full 3D resampler (tfjs has none), and CBCT scans are acquired with the head in a fixed
 * upright position, so out-of-plane tilt is small.
 */
import type * as tf from '@tensorflow/tfjs';
import { augmentGrids, type AugmentationOptions } from './augmentBatch.ts';
import type { Random } from './createRandom.ts';

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
  return augmentGrids(volumes, landmarks, rng, options, 3);
}
