/**
 * Stand-ins for coarse estimates on held-out labelled images when no coarse network's predictions are
 * at hand: truth + an offset drawn like the training offsets (drawOffsetMm, the same mixture, not
 * clipped: real coarse errors are not). Missing landmarks (NaN) get the image centre, a finite point
 * whose error is NaN and so is left out of the gate.
 */
import type { Random } from '../data/createRandom.ts';
import { drawOffsetMm } from './drawPatchBatch.ts';
import type { RefinerImage, RefinerTrainingOptions } from './types.ts';

/**
 * @param truth n × 2 landmarks, ORIGINAL pixels
 * @param image the prepared image (for the spacing and the centre)
 * @returns n × 2 coarse-like estimates, ORIGINAL pixels, all finite
 */
export default function coarseLikeEstimates(
  truth: readonly (readonly number[])[],
  image: RefinerImage,
  rng: Random,
  o: Pick<RefinerTrainingOptions, 'offsetSdMm'> &
    Partial<Pick<RefinerTrainingOptions, 'offsetTailSdMm' | 'offsetTailFraction'>>,
): number[][] {
  const sx = image.spacingMm[0]! / image.factor[0]!;
  const sy = image.spacingMm[1]! / image.factor[1]!;
  const centre = [(image.width * image.factor[0]!) / 2, (image.height * image.factor[1]!) / 2];
  return truth.map((p) => {
    const [dx, dy] = drawOffsetMm(rng, o);
    if (!(Number.isFinite(p[0]) && Number.isFinite(p[1]))) return [...centre];
    return [p[0]! + dx / sx, p[1]! + dy / sy];
  });
}
