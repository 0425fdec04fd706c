// The nearest-resize gradient registered for the cpu backend (registerTrainingKernels.ts), against the
// gradient built from the forward resize alone: the op is linear, so d Σ(w ⊙ resize(x)) / d x_i is
// Σ(w ⊙ resize(e_i)) for the unit input e_i. Batches of 2 (where tfjs 4.22's own cpu kernel is wrong),
// integer and non-integer scales, and every corner/centre convention.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import registerTrainingKernels, {
  CPU_TRAINING_KERNELS,
} from '../../../extension/src/core/tf/registerTrainingKernels.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';

type Case = {
  shape: [number, number, number, number];
  out: [number, number];
  align: boolean;
  half: boolean;
};

const CASES: Case[] = [
  { shape: [2, 3, 4, 2], out: [6, 8], align: false, half: false },
  { shape: [2, 3, 4, 1], out: [7, 5], align: false, half: true },
  { shape: [3, 4, 3, 2], out: [9, 7], align: true, half: false },
  { shape: [2, 5, 2, 1], out: [3, 4], align: false, half: false },
  { shape: [1, 2, 2, 3], out: [4, 4], align: false, half: true },
];

/** Σ_o w_o · resize(e_i)_o for every input index i, from the forward kernel only. */
function referenceGradient(c: Case, w: tf.Tensor4D): Float64Array {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const weights = w.dataSync();
  for (let i = 0; i < size; i++) {
    const unit = new Float32Array(size);
    unit[i] = 1;
    const resized = tf.tidy(() =>
      tf.image.resizeNearestNeighbor(tf.tensor4d(unit, c.shape), c.out, c.align, c.half).dataSync(),
    );
    out[i] = (resized as Float32Array).reduce((a, v, k) => a + v * weights[k]!, 0);
  }
  return out;
}

describe('cpu ResizeNearestNeighborGrad', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerTrainingKernels('cpu', CPU_TRAINING_KERNELS);
  });

  it.each(CASES)('equals the gradient built from the forward resize: %o', (c) => {
    const rng = createRandom(5);
    const size = c.shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(
      Float32Array.from({ length: size }, () => rng.normal()),
      c.shape,
    );
    const outSize = c.shape[0] * c.out[0] * c.out[1] * c.shape[3];
    const w = tf.tensor4d(
      Float32Array.from({ length: outSize }, () => rng.normal()),
      [c.shape[0], ...c.out, c.shape[3]],
    );
    const before = tf.memory().numTensors;
    const grad = tf.grad((v: tf.Tensor) =>
      tf.image
        .resizeNearestNeighbor(v as tf.Tensor4D, c.out, c.align, c.half)
        .mul(w)
        .sum(),
    )(x);
    const expected = referenceGradient(c, w);
    const got = grad.dataSync();
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });
});
