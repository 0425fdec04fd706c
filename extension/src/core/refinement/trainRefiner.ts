/**
 * Trains the patch network of the coarse-to-fine refinement on labelled images: random patches around
 * each landmark (drawPatchBatch), L1 on the landmark's own channel (refinerStep), Adam. Pure: no file
 * system; progress through a callback, cancellation through an AbortSignal. Seeded and deterministic.
 */
import type * as tf from '@tensorflow/tfjs';
import createRandom from '../data/createRandom.ts';
import { DEFAULT_REFINER_TRAINING } from './constants.ts';
import drawPatchBatch, { labelledPairs } from './drawPatchBatch.ts';
import refinerStep from './refinerStep.ts';
import type { RefinerSample, RefinerTrainingOptions } from './types.ts';

/** Required options; the others default to DEFAULT_REFINER_TRAINING. */
export type TrainRefinerOptions = Pick<
  RefinerTrainingOptions,
  'patchShape' | 'mmPerPixel' | 'steps'
> &
  Partial<RefinerTrainingOptions>;

export interface RefinerTrainingResult {
  status: 'completed' | 'cancelled';
  /** Steps run. */
  steps: number;
  /** Mean loss of the last (up to) 50 steps; NaN when no step ran. */
  finalLoss: number;
}

function checkInputs(
  model: tf.LayersModel,
  samples: readonly RefinerSample[],
  o: RefinerTrainingOptions,
) {
  const [h, w, n] = model.outputs[0]!.shape.slice(1) as number[];
  if (h !== o.patchShape[0] || w !== o.patchShape[1])
    throw new Error(`refiner: model input ${h}×${w} does not match patchShape [${o.patchShape}]`);
  for (const s of samples) {
    if (s.landmarks.length !== n)
      throw new Error(`image "${s.id}": ${s.landmarks.length} landmarks, the refiner has ${n}`);
  }
  if (!Number.isInteger(o.steps) || o.steps < 0)
    throw new Error(`refiner steps must be a non-negative integer, got ${o.steps}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new Error(`refiner batchSize must be a positive integer, got ${o.batchSize}`);
}

/**
 * Trains `model` (built by createRefinerModel) in place.
 * @param samples labelled images prepared by prepareRefinerImage, landmarks in ORIGINAL pixels
 */
export default async function trainRefiner(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  samples: readonly RefinerSample[],
  options: TrainRefinerOptions,
): Promise<RefinerTrainingResult> {
  const o: RefinerTrainingOptions = { ...DEFAULT_REFINER_TRAINING, ...options };
  checkInputs(model, samples, o);
  const pairs = labelledPairs(samples);
  if (pairs.length === 0) throw new Error('refiner training needs at least one labelled landmark');
  const rng = createRandom(o.seed);
  const recent: number[] = [];
  for (let step = 0; step < o.steps; step++) {
    if (o.signal?.aborted) return { status: 'cancelled', steps: step, finalLoss: mean(recent) };
    const batch = drawPatchBatch(samples, pairs, rng, o);
    const loss = await refinerStep(
      model,
      optimizer,
      batch,
      o.patchShape,
      o.clipNorm,
      o.regionAttentionWeight,
      o.heatmapSigma,
    );
    recent.push(loss);
    if (recent.length > 50) recent.shift();
    o.onProgress?.({ step: step + 1, steps: o.steps, loss });
    await new Promise((r) => setTimeout(r, 0)); // let SIGINT handlers and progress bars run
  }
  return { status: 'completed', steps: o.steps, finalLoss: mean(recent) };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
