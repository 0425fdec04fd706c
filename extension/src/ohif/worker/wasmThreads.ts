/**
 * Multi-threaded wasm (XNNPACK's thread pool on Emscripten pthreads) in the viewer's worker, for tfjs
 * 4.22. The backend starts its pthread workers with a Blob of the bundled factory function's source as
 * their main script, which cannot run outside our bundle (ReferenceError: _scriptDir: the function's
 * enclosing scope is not in its source). Here each pthread worker is told to load the package's own
 * unbundled threaded-SIMD script instead, which webpack.config.js emits beside the worker. The
 * Node counterpart is node/wasmThreads.ts.
 */
import * as tf from '@tensorflow/tfjs';

/** The package's unbundled threaded-SIMD script, emitted beside worker.js. */
export const THREADED_SCRIPT = 'tfjs-backend-wasm-threaded-simd.js';

/**
 * Threads for the wasm backend here: every logical core, at most 4, when the page is cross-origin
 * isolated (SharedArrayBuffer); 1 otherwise or when `requested` says so.
 */
export function wasmThreadsFor(
  scope: { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } },
  requested?: number,
): number {
  if (!scope.crossOriginIsolated) return 1;
  const cores = Math.max(1, Math.min(4, scope.navigator?.hardwareConcurrency ?? 1));
  return requested !== undefined ? Math.max(1, Math.min(cores, Math.floor(requested))) : cores;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Prepares the threaded-SIMD build with `threads` (≥ 2) threads, loading `scriptUrl` in each pthread.
 * Call before `tf.setBackend('wasm')` (the backend reads it once, at initialisation) and the returned
 * function after `tf.ready()`, to undo the temporary patches.
 */
export async function prepareWasmThreads(threads: number, scriptUrl: string): Promise<() => void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const scope = globalThis as any;
  const BrowserWorker = scope.Worker as typeof Worker;
  class PthreadWorker extends BrowserWorker {
    override postMessage(message: any, transfer?: any): void {
      const load = message?.cmd === 'load' && message.urlOrBlob instanceof Blob;
      super.postMessage(load ? { ...message, urlOrBlob: scriptUrl } : message, transfer);
    }
  }
  // Emscripten sizes its pthread pool from the logical cores and tfjs asks for half of them: report
  // twice the cores while the backend starts, so that `threads` threads start on 2 cores.
  const cores = Object.getOwnPropertyDescriptor(scope.navigator, 'hardwareConcurrency');
  Object.defineProperty(scope.navigator, 'hardwareConcurrency', {
    configurable: true,
    value: 2 * threads,
  });
  scope.Worker = PthreadWorker;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  return () => {
    scope.Worker = BrowserWorker;
    if (cores) Object.defineProperty(scope.navigator, 'hardwareConcurrency', cores);
    else delete scope.navigator.hardwareConcurrency;
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Threads the wasm backend runs with (1 before it is initialised or without threads). */
export async function wasmThreadsCount(): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  try {
    return wasm.getThreadsCount();
  } catch {
    return 1;
  }
}
