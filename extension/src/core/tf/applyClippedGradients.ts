import * as tf from '@tensorflow/tfjs';
import clipByGlobalNorm from './clipByGlobalNorm.ts';

/**
 * Applies `grads` with the optimiser after global-norm clipping (clipByGlobalNorm), or skips the step
 * when their norm is not finite. Takes ownership of `grads`: they stay alive while the norm is read
 * asynchronously and are disposed before this resolves, applied or not.
 * @param maxNorm largest global L2 norm of the applied gradients
 * @returns true when the gradients were applied, false when the step was skipped
 */
export default async function applyClippedGradients(
  optimizer: tf.Optimizer,
  grads: tf.NamedTensorMap,
  maxNorm: number,
): Promise<boolean> {
  try {
    const clipped = await clipByGlobalNorm(grads, maxNorm);
    if (clipped === undefined) return false;
    try {
      optimizer.applyGradients(clipped);
    } finally {
      tf.dispose(clipped);
    }
    return true;
  } finally {
    tf.dispose(grads);
  }
}
