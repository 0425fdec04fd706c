/**
 * TensorFlow.js backend for Node: wasm (SIMD; one thread, or the threaded-SIMD build with `threads` ≥ 2,
 * see wasmThreads.ts) with the training kernels it lacks provided, the cpu backend (correct, much
 * slower), or webgpu through Dawn's Node bindings (the optional package `webgpu`, webgpuNode.ts: a GPU,
 * or Chromium's SwiftShader Vulkan driver on the CPU). tfjs-node cannot be installed here (its install
 * downloads libtensorflow).
 */
import * as tf from '@tensorflow/tfjs';
import registerCollapsedKernels from '../core/tf/collapsedKernels.ts';
import registerTrainingKernels, {
  CPU_TRAINING_KERNELS,
} from '../core/tf/registerTrainingKernels.ts';
import { prepareWasmThreads } from './wasmThreads.ts';

export type NodeBackend = 'wasm' | 'cpu' | 'webgpu';
export const NODE_BACKENDS: readonly NodeBackend[] = ['wasm', 'cpu', 'webgpu'];

/**
 * Sets the backend. With `fallback` (default true) a webgpu start failure falls back to wasm, and a wasm
 * one to cpu, with a warning on stderr. `threads` (wasm only, default 1) is fixed by the first wasm
 * initialisation of the process. On webgpu the adapter is reported on stderr.
 * @returns the backend in use
 */
export default async function setupNodeBackend(
  name: NodeBackend = 'wasm',
  fallback = true,
  { threads = 1 }: { threads?: number } = {},
): Promise<NodeBackend> {
  if (name === 'webgpu') {
    try {
      const { default: startWebgpuBackend } = await import('./webgpuNode.ts');
      const adapter = await startWebgpuBackend();
      process.stderr.write(
        `webgpu backend on ${adapter.description}${adapter.icd ? ` (VK_ICD_FILENAMES=${adapter.icd})` : ''}${adapter.fallback ? ': software rendering on the CPU, slow' : ''}\n`,
      );
      return 'webgpu';
    } catch (error) {
      if (!fallback) throw new Error(`webgpu backend unavailable: ${(error as Error).message}`);
      process.stderr.write(
        `webgpu backend unavailable (${(error as Error).message}); using wasm\n`,
      );
      name = 'wasm';
    }
  }
  if (name === 'wasm') {
    let restore: (() => void) | undefined;
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (threads > 1) restore = prepareWasmThreads(threads);
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      await tf.ready();
      restore?.();
      registerTrainingKernels('wasm');
      registerCollapsedKernels('wasm');
      return 'wasm';
    } catch (error) {
      restore?.();
      if (!fallback) throw error;
      process.stderr.write(`wasm backend unavailable (${(error as Error).message}); using cpu\n`);
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  await tf.ready();
  // The cpu backend's own conv2d weight gradient takes most of a training step (shared/notes/tfjs.md),
  // and its nearest-resize gradient is wrong for batches of more than one image.
  registerTrainingKernels('cpu', CPU_TRAINING_KERNELS);
  return 'cpu';
}
