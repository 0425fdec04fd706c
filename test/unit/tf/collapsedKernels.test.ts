// registerCollapsedKernels puts a reshaping Sum in front of the wasm backend's own kernel; every case
// compares wasm (wrapped) against the cpu backend's stock kernel on random shapes, ranks 2-5.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import registerCollapsedKernels, {
  collapseReduction,
} from '../../../extension/src/core/tf/collapsedKernels.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';

function values(shape: number[], seed: number): Float32Array {
  const rng = createRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.normal());
}

async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

/** Random shapes of rank 2-5 with sizes 1-5 (unit axes included on purpose). */
function randomShape(rng: ReturnType<typeof createRandom>): number[] {
  const rank = 2 + Math.floor(rng.next() * 4);
  return Array.from({ length: rank }, () => 1 + Math.floor(rng.next() * 5));
}

describe('collapsed Sum (wasm vs cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    expect(registerCollapsedKernels('wasm')).toEqual(['Sum']);
    // Idempotent: a second call does not wrap the wrapper.
    registerCollapsedKernels('wasm');
  });

  it('collapses neighbouring axes of the same kind and drops unit axes', () => {
    expect(collapseReduction([2, 3, 4, 5, 6], [0, 1, 2, 3])).toEqual({
      shape: [120, 6],
      axes: [0],
    });
    expect(collapseReduction([2, 1, 4, 5], [1, 2])).toEqual({ shape: [2, 4, 5], axes: [1] });
    expect(collapseReduction([2, 3, 4], [0, 2])).toEqual({ shape: [2, 3, 4], axes: [0, 2] });
    expect(collapseReduction([3, 4], [-1])).toEqual({ shape: [3, 4], axes: [1] });
  });

  it('Sum matches cpu on random shapes, axes and keepDims', async () => {
    const rng = createRandom(7);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(rng);
      const axes = shape.map((_, i) => i).filter(() => rng.next() < 0.5);
      if (axes.length === 0) axes.push(shape.length - 1);
      const keepDims = rng.next() < 0.3;
      const data = values(shape, trial);
      const run = () =>
        tf.tidy(() => {
          const y = tf.sum(tf.tensor(data, shape), axes, keepDims);
          return { shape: y.shape, v: y.dataSync().slice() };
        });
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      expect(wasm.shape, `${shape} axes ${axes}`).toEqual(cpu.shape);
      for (let i = 0; i < cpu.v.length; i++) expect(wasm.v[i]).toBeCloseTo(cpu.v[i]!, 4);
    }
  });

  it('the bias gradient of a 3D convolution (sum over B, D, H, W) matches cpu', async () => {
    const shape = [2, 6, 5, 4, 8];
    const data = values(shape, 3);
    const run = () => tf.tidy(() => tf.tensor(data, shape).sum([0, 1, 2, 3]).dataSync().slice());
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i]!, 3);
  });
});
