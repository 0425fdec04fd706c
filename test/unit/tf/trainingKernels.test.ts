// The wasm backend of tfjs 4.22 lacks Conv2DBackpropFilter, computes wrong 3-D convolution gradients
// (shared/notes/tfjs.md) and runs Conv3D as a slow loop. registerTrainingKernels provides them (Conv3D as
// one conv2d over depth-shifted copies); each case compares forward values and
// gradients on wasm against the cpu backend's stock kernels.
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import registerTrainingKernels from '../../../extension/src/core/tf/registerTrainingKernels.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';

function values(shape: number[], seed: number): Float32Array {
  const rng = createRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.normal());
}

type Conv = (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;

async function gradsOn(backend: string, conv: Conv, xShape: number[], wShape: number[]) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor(values(xShape, 1), xShape);
    const w = tf.tensor(values(wShape, 2), wShape);
    // A non-uniform upstream gradient: weight the output by a fixed pattern.
    const loss = (a: tf.Tensor, b: tf.Tensor) => {
      const y = conv(a, b);
      return y.mul(tf.tensor(values(y.shape, 3), y.shape)).sum();
    };
    const [dx, dw] = tf.grads(loss)([x, w]);
    return {
      y: conv(x, w).dataSync().slice(),
      dx: dx!.dataSync().slice(),
      dw: dw!.dataSync().slice(),
    };
  });
}

function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const scale = Math.max(...Array.from(b, Math.abs), 1e-6);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
}

const cases: { name: string; conv: Conv; x: number[]; w: number[] }[] = [
  {
    name: 'conv2d 3x3 same s1',
    conv: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
    x: [2, 7, 9, 3],
    w: [3, 3, 3, 4],
  },
  {
    name: 'conv2d 3x2 valid s2',
    conv: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'valid'),
    x: [1, 9, 8, 2],
    w: [3, 2, 2, 3],
  },
  {
    name: 'conv2d 1x1 same s1',
    conv: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
    x: [2, 5, 6, 4],
    w: [1, 1, 4, 2],
  },
  {
    name: 'conv3d 3x3x3 same s1',
    conv: (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'same'),
    x: [1, 5, 6, 7, 2],
    w: [3, 3, 3, 2, 3],
  },
  {
    name: 'conv3d 3x3x3 same s2',
    conv: (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, 'same'),
    x: [2, 6, 5, 7, 2],
    w: [3, 3, 3, 2, 2],
  },
  {
    name: 'conv3d 1x1x1 same s1 (output head), batch 3',
    conv: (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'same'),
    x: [3, 4, 3, 5, 4],
    w: [1, 1, 1, 4, 5],
  },
  {
    name: 'conv3d 2x3x1 valid s1',
    conv: (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'valid'),
    x: [1, 4, 5, 3, 3],
    w: [2, 3, 1, 3, 2],
  },
];

describe('registerTrainingKernels (wasm vs cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerTrainingKernels('wasm');
  });

  it.each(cases)('$name: forward and both gradients match cpu', async ({ conv, x, w }) => {
    const ref = await gradsOn('cpu', conv, x, w);
    const got = await gradsOn('wasm', conv, x, w);
    expect(maxRelativeError(got.y, ref.y)).toBeLessThan(1e-5);
    expect(maxRelativeError(got.dx, ref.dx)).toBeLessThan(1e-5);
    expect(maxRelativeError(got.dw, ref.dw)).toBeLessThan(1e-5);
  });

  it('SplitV (the gradient of the U-Net skip concatenation) matches cpu on rank 5', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() =>
        tf
          .split(tf.tensor(values([2, 3, 4, 2, 7], 4), [2, 3, 4, 2, 7]), [3, 1, 3], 4)
          .map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) })),
      );
    };
    const ref = await run('cpu');
    const got = await run('wasm');
    expect(got).toEqual(ref);
    await tf.setBackend('wasm');
    const middle = tf.tidy(() =>
      Array.from(tf.split(tf.range(0, 24).reshape([2, 3, 4]), [1, 2], 1)[1]!.dataSync()),
    );
    expect(middle).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23]);
  });

  it('is idempotent and leaks no tensor per gradient', async () => {
    registerTrainingKernels('wasm');
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    await gradsOn('wasm', cases[0]!.conv, cases[0]!.x, cases[0]!.w);
    await gradsOn('wasm', cases[4]!.conv, cases[4]!.x, cases[4]!.w);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cpu: the faster Conv2DBackpropFilter replacement matches the stock cpu kernel', async () => {
    const original = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;
    const stock = await gradsOn('cpu', cases[1]!.conv, cases[1]!.x, cases[1]!.w);
    try {
      registerTrainingKernels('cpu', ['Conv2DBackpropFilter']);
      const replaced = await gradsOn('cpu', cases[1]!.conv, cases[1]!.x, cases[1]!.w);
      expect(maxRelativeError(replaced.dw, stock.dw)).toBeLessThan(1e-5);
    } finally {
      tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
      tf.registerKernel(original);
    }
  });
});
