import * as tf from '@tensorflow/tfjs';

/**
 * Element-wise sum of same-shaped tensors, added one at a time from the first to the last.
 *
 * Hand-written instead of `tf.addN` because the WebGPU backend of tfjs 4.22 compiles addN into one
 * shader that binds every input as a storage buffer, and the device allows only 8 per shader stage
 * (WebGPU's default limit; tfjs does not request more). With more inputs the pipeline is invalid
 * ("The number of storage buffers (27) in the Compute stage exceeds the maximum per-stage limit (8)",
 * headless Chromium 156, SwiftShader adapter) and the result is silently wrong. The left-to-right
 * order is the order of the cpu and wasm addN kernels (float32 accumulation, input by input), so the
 * result there is bit-identical to tf.addN.
 * @param tensors at least one tensor; all of the same shape (no broadcasting)
 * @returns a new tensor (the caller disposes it; the inputs are not disposed)
 */
export default function sumTensors<T extends tf.Tensor>(tensors: readonly T[]): T {
  if (tensors.length === 0) throw new Error('sumTensors: no tensors to add');
  const shape = tensors[0]!.shape;
  const bad = tensors.findIndex((t) => !tf.util.arraysEqual(t.shape, shape));
  if (bad >= 0)
    throw new Error(`sumTensors: tensor ${bad} has shape [${tensors[bad]!.shape}], not [${shape}]`);
  return tf.tidy(
    () => tensors.slice(1).reduce<tf.Tensor>((s, t) => s.add(t), tensors[0]!.clone()) as T,
  );
}
