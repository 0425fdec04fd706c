/**
 * The worker's 3D backend proof (ohif/worker/verifyVolumeBackend.ts) on Node's wasm backend: the
 * project's wasm training kernels reproduce the cpu's 3D loss and gradient, so wasm passes; the same
 * backend with a rank-5 multiply that computes the wrong thing (as WebGPU's mis-compiled rank-5
 * broadcasts do, silently) is rejected, naming the backend and both values.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import verifyVolumeBackend from '../../../extension/src/ohif/worker/verifyVolumeBackend.ts';

describe('3D backend proof', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('accepts wasm, whose 3D loss and gradient match cpu, and leaves wasm active', async () => {
    await expect(verifyVolumeBackend()).resolves.toBeUndefined();
    expect(tf.getBackend()).toBe('wasm');
  }, 120_000);

  it('rejects a backend whose rank-5 multiply is wrong', async () => {
    const original = tf.getKernel('Multiply', 'wasm')!;
    tf.unregisterKernel('Multiply', 'wasm');
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        // Rank-5 products of equal shapes come out as a·a instead of a·b.
        const wrong = a.shape.length === 5 && a.shape.join() === b.shape.join();
        const inputs = wrong ? { a, b: a } : { a, b };
        return original.kernelFunc({ ...args, inputs });
      },
    });
    try {
      await expect(verifyVolumeBackend()).rejects.toThrow(
        /3D training is wrong on wasm: loss [\d.e+-]+ and gradient norm [\d.e+-]+, cpu/,
      );
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      tf.unregisterKernel('Multiply', 'wasm');
      tf.registerKernel(original);
    }
  }, 120_000);
});
