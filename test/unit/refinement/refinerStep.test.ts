// refinerStep reads asynchronously (issue 3): no synchronous tensor read per step, with or without
// clipping; a step with a non-finite gradient is skipped (weights unchanged, no tensor left over) and
// its non-finite loss is reported as divergence.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  createRefinerModel,
  validateRefinerConfig,
} from '../../../extension/src/core/refinement/index.ts';
import type { PatchBatch } from '../../../extension/src/core/refinement/drawPatchBatch.ts';
import refinerStep from '../../../extension/src/core/refinement/refinerStep.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const CONFIG = validateRefinerConfig({
  landmarkCount: 3,
  patchShape: [16, 24],
  mmPerPixel: 0.5,
  depth: 2,
  baseFilters: 2,
  seed: 3,
});

/** Three random 16 × 24 patches, one per landmark, targets inside the patch (patch pixels). */
function batch(): PatchBatch {
  const rng = createRandom(9);
  return {
    images: Float32Array.from({ length: 3 * 16 * 24 }, () => rng.next()),
    landmark: [0, 1, 2],
    targets: [0, 1, 2].map(() => [4 + 16 * rng.next(), 4 + 8 * rng.next()]),
  };
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('refinerStep reads', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    [undefined, 0],
    [1e-4, 0.5],
  ])(
    'never reads a tensor synchronously (clipNorm %s, RA weight %s) and leaks nothing',
    async (clipNorm, raWeight) => {
      const { model } = createRefinerModel(CONFIG);
      const optimizer = createAdam(1e-2);
      const readSync = vi.spyOn(tf.engine(), 'readSync');
      const counts: number[] = [];
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        losses.push(await refinerStep(model, optimizer, batch(), [16, 24], clipNorm, raWeight));
        counts.push(tf.memory().numTensors);
      }
      expect(readSync).not.toHaveBeenCalled();
      expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
      expect(losses[2]).not.toBe(losses[0]); // the weights moved
      expect(new Set(counts.slice(1)).size).toBe(1);
      model.dispose();
      optimizer.dispose();
    },
  );

  it('skips a non-finite step: weights unchanged, no leak, divergence reported', async () => {
    const { model } = createRefinerModel(CONFIG);
    const optimizer = createAdam(1e-2);
    // The last weight (the output convolution's bias) set to NaN: NaN loss and gradients.
    const weights = model.getWeights();
    const poisoned = tf.fill(weights[weights.length - 1]!.shape, Number.NaN);
    model.setWeights([...weights.slice(0, -1), poisoned]);
    poisoned.dispose();
    const before = weightsOf(model);
    const count = tf.memory().numTensors;
    await expect(refinerStep(model, optimizer, batch(), [16, 24], 1)).rejects.toThrow(
      'refiner training diverged: loss is NaN',
    );
    expect(weightsOf(model)).toEqual(before);
    expect(tf.memory().numTensors).toBe(count);
    model.dispose();
    optimizer.dispose();
  });
});
