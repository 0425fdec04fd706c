/**
 * Decides the refiner's gate on held-out cases: refines each case's coarse estimates with the trained
 * patch network (no gate), measures coarse and refined radial errors in mm against the truth, and hands
 * them to decideRefinerGate.
 */
import type * as tf from '@tensorflow/tfjs';
import decideRefinerGate, { type RefinerGate } from './decideRefinerGate.ts';
import refineLandmarks from './refineLandmarks.ts';
import type { RefinerConfig, RefinerImage } from './types.ts';

/** One image the refiner was not trained on. */
export interface GateCase {
  id: string;
  image: RefinerImage;
  /** n × 2 true landmarks, ORIGINAL pixels; NaN rows are missing (left out of the gate). */
  truth: number[][];
  /** n × 2 coarse estimates, ORIGINAL pixels (finite). */
  coarse: number[][];
}

/** Radial error in mm of each landmark, original pixels → mm through the level's spacing and factor. */
export function radialErrorsMm(
  predicted: readonly (readonly number[])[],
  truth: readonly (readonly number[])[],
  image: RefinerImage,
): number[] {
  const sx = image.spacingMm[0]! / image.factor[0]!;
  const sy = image.spacingMm[1]! / image.factor[1]!;
  return predicted.map((p, l) =>
    Math.hypot((p[0]! - truth[l]![0]!) * sx, (p[1]! - truth[l]![1]!) * sy),
  );
}

/**
 * @param model trained patch network
 * @param config its geometry (any `useRefined` in it is ignored: the gate is being decided)
 * @param cases held-out images with truth and coarse estimates
 * @param marginMm see decideRefinerGate
 */
export default async function measureRefinerGate(
  model: tf.LayersModel,
  config: RefinerConfig,
  cases: readonly GateCase[],
  marginMm = 0,
): Promise<RefinerGate> {
  const coarseErrors: number[][] = [];
  const refinedErrors: number[][] = [];
  for (const c of cases) {
    const refined = await refineLandmarks(model, c.image, c.coarse, {
      patchShape: config.patchShape,
      mmPerPixel: config.mmPerPixel,
      passes: config.passes,
      heatmapSigma: config.heatmapSigma,
      name: `image "${c.id}"`,
    });
    coarseErrors.push(radialErrorsMm(c.coarse, c.truth, c.image));
    refinedErrors.push(radialErrorsMm(refined, c.truth, c.image));
  }
  return decideRefinerGate(coarseErrors, refinedErrors, marginMm);
}
