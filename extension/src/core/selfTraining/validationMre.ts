import type * as tf from '@tensorflow/tfjs';
import type { LearningSample } from '../data/types.ts';
import predictCoordinates, { type HeatmapDecoding } from './predictCoordinates.ts';

/**
 * Mean radial error in millimetres of the model on labelled samples, 2D or 3D (input pixels/voxels ×
 * per-sample spacing per axis; the letterbox scales each axis linearly, so this equals the error in
 * the original image's or volume's millimetres).
 */
export default async function validationMre(
  model: tf.LayersModel,
  samples: readonly LearningSample[],
  inputShape: number[],
  batchSize: number,
  decoding: HeatmapDecoding = {},
): Promise<number> {
  const predicted = await predictCoordinates(
    model,
    samples.map((s) => s.image),
    inputShape,
    batchSize,
    decoding,
  );
  let sum = 0;
  let count = 0;
  samples.forEach((s, i) => {
    s.landmarks!.forEach((truth, l) => {
      if (!Number.isFinite(truth[0]!)) return;
      const p = predicted[i]![l]!;
      sum += Math.hypot(...truth.map((t, a) => (p[a]! - t) * s.spacingMm[a]!));
      count += 1;
    });
  });
  return count === 0 ? Number.POSITIVE_INFINITY : sum / count;
}
