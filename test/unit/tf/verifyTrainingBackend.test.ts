/**
 * The worker's backend proof (ohif/worker/verifyTrainingBackend.ts) for 2D networks on Node's wasm
 * backend: wasm with the project's training kernels reproduces the cpu's loss and gradient norm of the
 * fixed batch within 1e-4, and the check returns the values it compared; the same backend with a 2D
 * convolution that is off by 1 % is rejected, naming the backend and both values.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import verifyTrainingBackend, {
  TOLERANCE,
} from '../../../extension/src/ohif/worker/verifyTrainingBackend.ts';

describe('2D backend proof', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('accepts wasm, whose 2D loss and gradient match cpu, and reports what it compared', async () => {
    const check = await verifyTrainingBackend(2);
    expect(tf.getBackend()).toBe('wasm');
    expect(check.backend).toBe('wasm');
    expect(check.relativeDifference.loss).toBeLessThanOrEqual(TOLERANCE[2]);
    expect(check.relativeDifference.gradientNorm).toBeLessThanOrEqual(TOLERANCE[2]);
    expect(check.loss).toBeGreaterThan(0);
    expect(check.gradientNorm).toBeGreaterThan(0);
    // The reference is the cpu backend's own value for the same batch.
    await tf.setBackend('cpu');
    const onCpu = await verifyTrainingBackend(2);
    await tf.setBackend('wasm');
    expect(onCpu.loss).toBe(check.cpu.loss);
    expect(onCpu.gradientNorm).toBe(check.cpu.gradientNorm);
    expect(onCpu.relativeDifference).toEqual({ loss: 0, gradientNorm: 0 });
  }, 120_000);

  it('rejects a backend whose 2D convolution is off by 1 %', async () => {
    const original = tf.getKernel('Conv2D', 'wasm')!;
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const y = original.kernelFunc(args) as tf.TensorInfo;
        const out = tf.tidy(() => tf.engine().makeTensorFromTensorInfo(y).mul(1.01));
        (args.backend as tf.KernelBackend).disposeData(y.dataId);
        return out;
      },
    });
    try {
      await expect(verifyTrainingBackend(2)).rejects.toThrow(
        /2D training is wrong on wasm: loss [\d.e+-]+ and gradient norm [\d.e+-]+, cpu/,
      );
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      tf.unregisterKernel('Conv2D', 'wasm');
      tf.registerKernel(original);
    }
  }, 120_000);
});
