/**
 * Synchronous tensor reads (`dataSync`) where the active backend cannot do them: tfjs' WebGPU backend
 * reads synchronously by drawing into an OffscreenCanvas, which Node lacks (webgpu in Node:
 * node/webgpuNode.ts). Sample preparation (letterboxImage, letterboxVolume) is synchronous and reads
 * its result; there it runs on the cpu backend instead. Training and inference read with `await data()`.
 */
import * as tf from '@tensorflow/tfjs';

/** Whether the active backend's `dataSync` cannot work here (webgpu without OffscreenCanvas). */
export function needsCpuForSyncReads(): boolean {
  return tf.getBackend() === 'webgpu' && typeof OffscreenCanvas === 'undefined';
}

/**
 * Runs `fn` (which creates its own tensors and returns plain values) on a backend that can read
 * synchronously: the active one, or the cpu backend for the duration of the call when
 * {@link needsCpuForSyncReads}. `tf.setBackend` of an initialised backend switches synchronously.
 */
export default function syncReadable<T>(fn: () => T): T {
  if (!needsCpuForSyncReads() || tf.findBackend('cpu') === null) return fn();
  const active = tf.getBackend();
  void tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    void tf.setBackend(active);
  }
}
