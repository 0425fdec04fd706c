import * as tf from '@tensorflow/tfjs';

/**
 * Elements of the probe tensor: above the WebGPU backend's CPU hand-off threshold (1,000 elements,
 * flag WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD), so the probe's ops run on the GPU and its read goes through
 * the GPU read-back path, as the training loss and the letterboxed images do.
 */
const ELEMENTS = 4096;

/**
 * Throws when a synchronous read (`dataSync`) of a tensor computed on the active backend does not give
 * its values. Training steps no longer read synchronously (trainStep and clipByGlobalNorm use
 * `await data()`), but sample preparation still does (letterboxImage, letterboxVolume: for training
 * and for inference), so the check stays. tfjs' WebGPU backend implements dataSync by copying the
 * buffer into a WebGPU canvas and drawing it into a 2D canvas. Where Chromium cannot share
 * the WebGPU canvas with its 2D canvas (headless Chromium 156, WebGPU on the SwiftShader adapter, Skia
 * on GL: the default without --use-vulkan) the read returns zeros without an error and the device is
 * lost right after ("A valid external Instance reference no longer exists"); every later upload then
 * fails with "createBuffer failed, size (N) is too large for the implementation when mappedAtCreation
 * == true".
 * The check computes 2·x + 1 for x = 0.5, 1.5, … (exact in float32) and compares every element.
 */
export default function verifySyncReadback(): void {
  const backend = tf.getBackend();
  const x = Float32Array.from({ length: ELEMENTS }, (_, i) => (i % 1000) + 0.5);
  const y = tf.tidy(() => tf.tensor1d(x).mul(2).add(1));
  let values: Float32Array;
  try {
    values = y.dataSync() as Float32Array;
  } finally {
    y.dispose();
  }
  const bad = x.findIndex((v, i) => values[i] !== 2 * v + 1);
  if (bad >= 0) {
    throw new Error(
      `synchronous read-back on ${backend} is wrong (element ${bad}: ${values[bad]}, expected ` +
        `${2 * x[bad]! + 1}): this browser cannot read ${backend} results back synchronously ` +
        `(seen in Chromium with WebGPU on the SwiftShader software adapter and Skia on GL)`,
    );
  }
}
