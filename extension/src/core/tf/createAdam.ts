import * as tf from '@tensorflow/tfjs';

/**
 * Adam with an explicit epsilon of 1e-7: tfjs otherwise derives epsilon from the backend's float
 * precision (1e-4 on 16-bit WebGL), and training then diverges from the other backends
 * (shared/notes/tfjs.md). β₁ = 0.9, β₂ = 0.999 as PyTorch's defaults (paper §3.3).
 */
export default function createAdam(learningRate: number): tf.AdamOptimizer {
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
}
