/**
 * Multi-threaded wasm (XNNPACK thread pool on Emscripten pthreads) in Node for tfjs 4.22, which turns it
 * off there (tfjs issue #3830): its pthread workers are started from blob: URLs, which Node's
 * worker_threads reject (ERR_WORKER_PATH), and the main script it hands them is a Blob of the bundled
 * factory, which does not run outside the bundle. Here the workers run the same worker source from a
 * string (`eval`) and load the package's own unbundled threaded-SIMD script by path.
 */
import { createRequire } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);
const THREADED_DIR = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd';

/**
 * Prepares the threaded-SIMD wasm build with `threads` threads. Call before `tf.setBackend('wasm')` (the
 * backend reads it once, at initialisation) and call the returned function after `tf.ready()` to undo
 * the temporary patches.
 */
export function prepareWasmThreads(threads: number): () => void {
  if (!Number.isInteger(threads) || threads < 2) throw new Error('prepareWasmThreads: threads ≥ 2');
  const wasm =
    require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const workerThreads = require('node:worker_threads') as { Worker: typeof WorkerThreads.Worker };
  const os = require('node:os') as { cpus: () => unknown[] };
  // The worker source is a template literal in the package: its "\n" escapes became newlines there.
  const workerSource = (
    require(`${THREADED_DIR}.worker.js`) as { wasmWorkerContents: string }
  ).wasmWorkerContents.replace(/\n/g, '\\n');
  const mainScript = require.resolve(`${THREADED_DIR}.js`);
  const NodeWorker = workerThreads.Worker;
  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerThreads.WorkerOptions) {
      const fromBlob = typeof url === 'string' && url.startsWith('blob:');
      super(fromBlob ? workerSource : url, fromBlob ? { ...options, eval: true } : options);
    }

    // Emscripten refs a worker while it runs a pthread; XNNPACK's pool threads run until exit, so they
    // would keep Node alive after the work is done.
    override ref() {
      this.unref();
    }

    override postMessage(message: unknown, transfer?: readonly WorkerThreads.TransferListItem[]) {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      super.postMessage(
        m?.cmd === 'load' && m.urlOrBlob instanceof Blob
          ? { ...m, urlOrBlob: mainScript }
          : message,
        transfer,
      );
    }
  }
  // Emscripten copies worker_threads.Worker to the global Worker when the module is created. On 2 cores
  // the backend started 1 thread when asked for 2 and 2 when 4 cores were reported (it sizes its pool
  // from half the logical cores): report at least twice the threads asked for while it starts.
  const cpus = os.cpus;
  workerThreads.Worker = PthreadWorker;
  os.cpus = () => {
    const real = cpus();
    return Array.from(
      { length: Math.max(real.length, 2 * threads) },
      (_, i) => real[i % real.length],
    );
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  return () => {
    workerThreads.Worker = NodeWorker;
    os.cpus = cpus;
  };
}

/** Threads the wasm backend runs with (1 before it is initialised or without threads). */
export function wasmThreadsCount(): number {
  const wasm =
    require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    return wasm.getThreadsCount();
  } catch {
    return 1;
  }
}
