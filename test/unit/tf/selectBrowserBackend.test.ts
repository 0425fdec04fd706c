import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import selectBrowserBackend from '../../../extension/src/core/tf/selectBrowserBackend.ts';
import { TRAINING_KERNELS } from '../../../extension/src/core/tf/registerTrainingKernels.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';

describe('selectBrowserBackend', () => {
  it('skips backends that cannot start and provides the training kernels on wasm', async () => {
    // Node has no WebGL context: the selection must move on to wasm.
    expect(await selectBrowserBackend(['webgl', 'wasm'])).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(
      TRAINING_KERNELS.Conv2DBackpropFilter,
    );
  });

  it('names every failure when nothing starts', async () => {
    await expect(selectBrowserBackend(['webgl'])).rejects.toThrow(
      /no TensorFlow.js backend could start \(webgl: /,
    );
  });

  it('createAdam fixes epsilon (tfjs would use 1e-4 on 16-bit WebGL)', () => {
    const adam = createAdam(0.01);
    expect(adam.getConfig()).toMatchObject({
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
  });
});
