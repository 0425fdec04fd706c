/**
 * Browser (and Web Worker) backend selection: webgpu → webgl → wasm → cpu, first one that initialises
 * and reads results back correctly (verifySyncReadback). No Node imports; backend modules are imported
 * lazily so that importing this file has no side effect. On wasm the missing/wrong training kernels are
 * provided (registerTrainingKernels).
 */
import * as tf from '@tensorflow/tfjs';
import registerCollapsedKernels from './collapsedKernels.ts';
import registerTrainingKernels, { CPU_TRAINING_KERNELS } from './registerTrainingKernels.ts';
import verifySyncReadback from './verifySyncReadback.ts';

export type BrowserBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BROWSER_BACKEND_ORDER: readonly BrowserBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Backends whose read-back check failed, with the reason: that failure loses the WebGPU device, so the
 * backend is not tried again in this context (the same message is repeated instead).
 */
const unusable = new Map<BrowserBackend, string>();

async function loadBackendModule(name: BrowserBackend): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
}

/**
 * Starts one backend: imports its module, sets it, provides the wasm training kernels, and checks the
 * synchronous read-back (not on cpu).
 * @param options.wasmPaths where the tfjs wasm binaries are served (prefix URL ending in '/'), if not beside the bundle
 * @throws with the reason this backend cannot be used (without the backend's name)
 */
export async function startBrowserBackend(
  name: BrowserBackend,
  options: { wasmPaths?: string } = {},
): Promise<void> {
  const known = unusable.get(name);
  if (known !== undefined) throw new Error(known);
  await loadBackendModule(name);
  if (name === 'wasm' && options.wasmPaths) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(options.wasmPaths);
  }
  if (!(await tf.setBackend(name))) throw new Error('setBackend returned false');
  await tf.ready();
  if (name === 'wasm') {
    registerTrainingKernels('wasm');
    registerCollapsedKernels('wasm');
  }
  if (name === 'cpu') registerTrainingKernels('cpu', CPU_TRAINING_KERNELS);
  if (name !== 'cpu') checkReadback(name);
}

/**
 * Tries each backend in `order` and keeps the first that works.
 * @param options.wasmPaths where the tfjs wasm binaries are served (prefix URL ending in '/'), if not beside the bundle
 * @returns the backend in use
 */
export default async function selectBrowserBackend(
  order: readonly BrowserBackend[] = BROWSER_BACKEND_ORDER,
  options: { wasmPaths?: string } = {},
): Promise<BrowserBackend> {
  const failures: string[] = [];
  for (const name of order) {
    try {
      await startBrowserBackend(name, options);
      return name;
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

/** Runs verifySyncReadback on the active backend; remembers a failure (see `unusable`). */
function checkReadback(name: BrowserBackend): void {
  try {
    verifySyncReadback();
  } catch (error) {
    unusable.set(name, (error as Error).message);
    throw error;
  }
}
