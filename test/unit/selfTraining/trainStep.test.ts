// trainStep's reads are asynchronous (issue 3): a step never reads a tensor synchronously (on WebGPU
// that goes through a slow canvas copy that breaks on some Chromium set-ups), with or without clipping.
// A step whose gradient is not finite is skipped (weights unchanged, counted), its tensors all freed,
// and its non-finite loss is reported as divergence.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import trainStep, {
  type BatchItem,
  type StepContext,
} from '../../../extension/src/core/selfTraining/trainStep.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const INPUT = [12, 10]; // H, W: non-square

function context(clipNorm: number | undefined, onSkippedStep?: () => void): StepContext {
  const { model } = createHeatmapModel({
    inputShape: INPUT,
    landmarkCount: 2,
    depth: 2,
    baseFilters: 2,
    seed: 4,
  });
  return {
    model,
    optimizer: createAdam(1e-2),
    inputShape: INPUT,
    rng: createRandom(6),
    augmentation: { rotationDeg: 5, translation: 0.05, noiseSd: 0.02, intensityJitter: 0.1 },
    latentOffset: { mean: 0.01, sd: 0.005 },
    clipNorm,
    onSkippedStep,
  };
}

function batch(): BatchItem[] {
  const rng = createRandom(8);
  return [false, true].map((regionAttention) => ({
    image: Float32Array.from({ length: 120 }, () => rng.next()),
    landmarks: [
      [2 + 6 * rng.next(), 2 + 8 * rng.next()],
      [2 + 6 * rng.next(), 2 + 8 * rng.next()],
    ],
    mask: [true, true],
    regionAttention,
  }));
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('trainStep reads', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([undefined, 1e-4])(
    'never reads a tensor synchronously (clipNorm %s) and leaks nothing',
    async (clipNorm) => {
      const ctx = context(clipNorm);
      const readSync = vi.spyOn(tf.engine(), 'readSync');
      const counts: number[] = [];
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        losses.push(await trainStep(ctx, batch()));
        counts.push(tf.memory().numTensors);
      }
      expect(readSync).not.toHaveBeenCalled();
      expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
      // Adam's moments exist from step 1 on; after that the count is flat.
      expect(new Set(counts.slice(1)).size).toBe(1);
      ctx.model.dispose();
      ctx.optimizer.dispose();
    },
  );

  it('skips a step whose gradient is not finite: counted, weights unchanged, no leak', async () => {
    let skipped = 0;
    const ctx = context(1, () => skipped++);
    // The last weight (the output convolution's bias) set to NaN: NaN heatmaps, loss and gradients.
    // Applied by Adam, that gradient would turn every weight into NaN.
    const weights = ctx.model.getWeights();
    const poisoned = tf.fill(weights[weights.length - 1]!.shape, Number.NaN);
    ctx.model.setWeights([...weights.slice(0, -1), poisoned]);
    poisoned.dispose();
    const before = weightsOf(ctx.model);
    const count = tf.memory().numTensors;
    await expect(trainStep(ctx, batch())).rejects.toThrow('training diverged: loss is NaN');
    expect(skipped).toBe(1);
    expect(weightsOf(ctx.model)).toEqual(before);
    expect(tf.memory().numTensors).toBe(count);
    ctx.model.dispose();
    ctx.optimizer.dispose();
  });
});
