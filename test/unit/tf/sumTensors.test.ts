/**
 * sumTensors replaces tf.addN where the inputs can be many (gradient norms): tfjs 4.22's WebGPU addN
 * binds every input as a storage buffer and fails past 8. Checked against tf.addN (bit-identical on cpu
 * and wasm, whose addN kernels accumulate input by input in float32) and against a float64 sum; and
 * clipByGlobalNorm, which uses it, works on a backend whose addN refuses more than 7 inputs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import clipByGlobalNorm from '../../../extension/src/core/tf/clipByGlobalNorm.ts';
import sumTensors from '../../../extension/src/core/tf/sumTensors.ts';

function randomTensors(count: number, shape: number[], seed: number): tf.Tensor[] {
  const rng = createRandom(seed);
  const size = shape.reduce((p, v) => p * v, 1);
  return Array.from({ length: count }, () =>
    tf.tensor(
      Float32Array.from({ length: size }, () => rng.normal() * 10 ** Math.round(rng.normal() * 3)),
      shape,
    ),
  );
}

describe('sumTensors', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`equals tf.addN bit for bit on ${backend} for 1 to 30 inputs, and a float64 sum to float32 precision`, async () => {
      await tf.setBackend(backend);
      for (const count of [1, 2, 3, 7, 8, 27, 30]) {
        const inputs = randomTensors(count, [3, 5], count);
        const ours = sumTensors(inputs);
        const reference = tf.addN(inputs);
        expect(Array.from(ours.dataSync())).toEqual(Array.from(reference.dataSync()));
        expect(ours.shape).toEqual([3, 5]);
        const exact = inputs
          .map((t) => Array.from(t.dataSync()))
          .reduce((s, v) => s.map((x, i) => x + v[i]!));
        const scale = inputs
          .map((t) => Array.from(t.dataSync()))
          .reduce((s, v) => s.map((x, i) => x + Math.abs(v[i]!)), new Array<number>(15).fill(0));
        Array.from(ours.dataSync()).forEach((v, i) =>
          expect(Math.abs(v - exact[i]!)).toBeLessThanOrEqual(count * 1.2e-7 * scale[i]!),
        );
        tf.dispose([...inputs, ours, reference]);
      }
    });
  }

  it('leaves the inputs alone, returns a new tensor, and leaks nothing', async () => {
    await tf.setBackend('cpu');
    const inputs = randomTensors(4, [2], 9);
    const before = tf.memory().numTensors;
    const one = sumTensors(inputs.slice(0, 1));
    const all = sumTensors(inputs);
    expect(tf.memory().numTensors).toBe(before + 2);
    one.dispose();
    expect(inputs[0]!.isDisposed).toBe(false);
    tf.dispose([...inputs, all]);
  });

  it('names the first tensor whose shape differs, and refuses an empty list', () => {
    const [a, b, c] = [tf.zeros([2, 3]), tf.zeros([2, 3]), tf.zeros([3, 2])];
    expect(() => sumTensors([a, b, c])).toThrow('sumTensors: tensor 2 has shape [3,2], not [2,3]');
    expect(() => sumTensors([])).toThrow('sumTensors: no tensors to add');
    tf.dispose([a, b, c]);
  });
});

describe('clipByGlobalNorm on a backend whose addN takes at most 7 inputs (as WebGPU)', () => {
  let original: tf.KernelConfig;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    original = tf.getKernel('AddN', 'cpu')!;
    tf.unregisterKernel('AddN', 'cpu');
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const n = Object.keys(args.inputs).length;
        if (n > 7) throw new Error(`AddN: ${n} storage buffers exceed the limit (8)`);
        return original.kernelFunc(args);
      },
    });
  });
  afterAll(() => {
    tf.unregisterKernel('AddN', 'cpu');
    tf.registerKernel(original);
  });

  it('scales 27 gradients to the global norm computed in float64', async () => {
    const grads = Object.fromEntries(randomTensors(27, [4], 3).map((t, i) => [`w${i}`, t]));
    const squares = Object.values(grads).flatMap((t) => Array.from(t.dataSync(), (v) => v * v));
    const norm = Math.sqrt(squares.reduce((s, v) => s + v, 0));
    expect(norm).toBeGreaterThan(1); // so clipping to 1 changes the gradients
    const clipped = (await clipByGlobalNorm(grads, 1))!;
    expect(clipped).toBeDefined();
    for (const [name, g] of Object.entries(grads)) {
      const expected = Array.from(g.dataSync(), (v) => v / norm);
      Array.from(clipped[name]!.dataSync()).forEach((v, i) =>
        expect(v).toBeCloseTo(expected[i]!, 5),
      );
    }
    tf.dispose([...Object.values(grads), ...Object.values(clipped)]);
  });
});
