// Global-norm clipping with an asynchronous norm read (issue 3: no dataSync per training step, as the
// WebGPU backend's synchronous read-back is slow and breaks on some Chromium set-ups). Hand-computed
// cases: gradients (3, 0) and (4) have the global norm 5. Non-finite norms skip the step; the caller's
// gradients stay alive until applyClippedGradients has applied or dropped them; no tensor leaks.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import applyClippedGradients from '../../../extension/src/core/tf/applyClippedGradients.ts';
import clipByGlobalNorm from '../../../extension/src/core/tf/clipByGlobalNorm.ts';

/** Gradients of global L2 norm √(3² + 0² + 4²) = 5, for variables named `${prefix}a`, `${prefix}b`. */
function grads(prefix: string, a = [3, 0]): tf.NamedTensorMap {
  return { [`${prefix}a`]: tf.tensor1d(a), [`${prefix}b`]: tf.tensor2d([[4]]) };
}

describe('clipByGlobalNorm', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('scales by maxNorm / 5 above the norm, leaves gradients alone below it, never reads sync', async () => {
    const readSync = vi.spyOn(tf.engine(), 'readSync');
    const g = grads('c');
    const before = tf.memory().numTensors;
    const clipped = (await clipByGlobalNorm(g, 1))!;
    expect(Array.from(clipped.ca!.dataSync())).toEqual([Math.fround(0.6), 0]);
    expect(clipped.cb!.shape).toEqual([1, 1]);
    expect(clipped.cb!.dataSync()[0]).toBeCloseTo(0.8, 6);
    const loose = (await clipByGlobalNorm(g, 10))!;
    expect(Array.from(loose.ca!.dataSync())).toEqual([3, 0]);
    expect(Array.from(loose.cb!.dataSync())).toEqual([4]);
    // Only the outputs are new; the caller's gradients are neither disposed nor kept twice.
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(Object.values(g).every((t) => !t.isDisposed)).toBe(true);
    const readsByTest = 4; // the four dataSync calls above
    expect(readSync).toHaveBeenCalledTimes(readsByTest);
    tf.dispose([g, clipped, loose]);
  });

  it('returns undefined for an infinite or NaN norm without leaking', async () => {
    for (const bad of [Infinity, Number.NaN]) {
      const g = grads('n', [3, bad]);
      const before = tf.memory().numTensors;
      await expect(clipByGlobalNorm(g, 1)).resolves.toBeUndefined();
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.values(g).every((t) => !t.isDisposed)).toBe(true);
      tf.dispose(g);
    }
  });
});

describe('applyClippedGradients', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('applies the clipped step (SGD, rate 1: w − g·1/5) and disposes the gradients', async () => {
    const a = tf.variable(tf.tensor1d([1, 1]), true, 'apply_a');
    const b = tf.variable(tf.tensor2d([[1]]), true, 'apply_b');
    const optimizer = tf.train.sgd(1);
    const g = grads('apply_');
    const before = tf.memory().numTensors;
    await expect(applyClippedGradients(optimizer, g, 1)).resolves.toBe(true);
    const [a0, a1] = a.dataSync();
    expect(a0).toBeCloseTo(0.4, 6);
    expect(a1).toBe(1);
    expect(b.dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(Object.values(g).every((t) => t.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before - 2);
    tf.dispose([a, b]);
    optimizer.dispose();
  });

  it('skips a non-finite step: weights unchanged, gradients disposed, nothing leaks', async () => {
    const a = tf.variable(tf.tensor1d([1, 1]), true, 'skip_a');
    const b = tf.variable(tf.tensor2d([[1]]), true, 'skip_b');
    const optimizer = tf.train.adam(0.1);
    const g = grads('skip_', [Number.NaN, 0]);
    const before = tf.memory().numTensors;
    await expect(applyClippedGradients(optimizer, g, 1)).resolves.toBe(false);
    expect(Array.from(a.dataSync())).toEqual([1, 1]);
    expect(Array.from(b.dataSync())).toEqual([1]);
    expect(Object.values(g).every((t) => t.isDisposed)).toBe(true);
    // Adam created no moments: the step never reached the optimiser.
    expect(tf.memory().numTensors).toBe(before - 2);
    tf.dispose([a, b]);
    optimizer.dispose();
  });
});
