import type * as tf from '@tensorflow/tfjs';
import type { TrainingSample } from '../data/types.ts';
import predictCoordinates from './predictCoordinates.ts';

/**
 * Mean radial error in millimetres of the model on labelled samples (input pixels × per-sample spacing;
 * letterboxing scales both axes alike, so this equals the error in the original image's millimetres).
 */
export default async function validationMre(
  model: tf.LayersModel,
  samples: readonly TrainingSample[],
  inputShape: number[],
  batchSize: number,
): Promise<number> {
  const predicted = await predictCoordinates(
    model,
    samples.map((s) => s.image),
    inputShape,
    batchSize,
  );
  let sum = 0;
  let count = 0;
  samples.forEach((s, i) => {
    s.landmarks!.forEach(([x, y], l) => {
      if (!Number.isFinite(x!)) return;
      const [px, py] = predicted[i]![l]!;
      sum += Math.hypot((px! - x!) * s.spacingMm[0]!, (py! - y!) * s.spacingMm[1]!);
      count += 1;
    });
  });
  return count === 0 ? Number.POSITIVE_INFINITY : sum / count;
}
