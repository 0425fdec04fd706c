/**
 * Browser (and Web Worker) backend selection: webgpu → webgl → wasm → cpu, first one that initialises.
 * No Node imports; backend modules are imported lazily so that importing this file has no side effect.
 * On wasm the missing/wrong training kernels are provided (registerTrainingKernels).
 */
import * as tf from '@tensorflow/tfjs';
import registerTrainingKernels from './registerTrainingKernels.ts';

export type BrowserBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BROWSER_BACKEND_ORDER: readonly BrowserBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

async function loadBackendModule(name: BrowserBackend): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
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
      await loadBackendModule(name);
      if (name === 'wasm' && options.wasmPaths) {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        wasm.setWasmPaths(options.wasmPaths);
      }
      if (!(await tf.setBackend(name))) throw new Error('setBackend returned false');
      await tf.ready();
      if (name === 'wasm') registerTrainingKernels('wasm');
      return name;
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}
