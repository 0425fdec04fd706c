/**
 * The synchronous read-back check of the browser backend selection: tfjs' WebGPU backend reads
 * `dataSync` through a WebGPU → 2D canvas copy that returns zeros where Chromium cannot share the two
 * (headless Chromium 156, SwiftShader adapter, Skia on GL), so training would read every loss as 0.
 * Here a Node backend (wasm) is given the same fault: reads of tensors of 1,000 elements or more (the
 * size from which WebGPU computes on the GPU) come back as zeros.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import selectBrowserBackend from '../../../extension/src/core/tf/selectBrowserBackend.ts';
import verifySyncReadback from '../../../extension/src/core/tf/verifySyncReadback.ts';

describe('verifySyncReadback', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('accepts backends that read back their values (cpu, wasm) and leaks nothing', async () => {
    for (const name of ['cpu', 'wasm']) {
      await tf.setBackend(name);
      const before = tf.memory().numTensors;
      expect(() => verifySyncReadback()).not.toThrow();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('rejects a backend whose large reads come back as zeros; selection then moves on and does not retry it', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const readSync = backend.readSync.bind(backend);
    let largeReads = 0;
    backend.readSync = (dataId: object) => {
      const values = readSync(dataId) as Float32Array;
      if (values.length < 1000) return values;
      largeReads += 1;
      return new Float32Array(values.length);
    };
    expect(() => verifySyncReadback()).toThrow(
      'synchronous read-back on wasm is wrong (element 0: 0, expected 2): this browser cannot read ' +
        'wasm results back synchronously',
    );
    expect(largeReads).toBe(1);
    expect(await selectBrowserBackend(['wasm', 'cpu'])).toBe('cpu');
    expect(largeReads).toBe(2);
    // Remembered: the second selection does not touch the faulty backend again.
    await expect(selectBrowserBackend(['wasm'])).rejects.toThrow(
      /no TensorFlow.js backend could start \(wasm: synchronous read-back on wasm is wrong/,
    );
    expect(largeReads).toBe(2);
  });
});
