/**
 * The main thread's handle on the module Web Worker (dist/plugins/landmarks/worker.js): created on first
 * use (never at import), one request = one id, each job's messages go only to its own listener.
 */
import { FINAL_TYPES, type WorkerMessage, type WorkerRequest } from './protocol.ts';

type Job = Exclude<WorkerRequest, { type: 'cancel' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type JobRequest = DistributiveOmit<Job, 'id'>;

/**
 * app-config `landmarks.wasmThreads`: threads for the worker's wasm backend (default: every core, at
 * most 4, when the page is cross-origin isolated; 1 turns threads off). Undefined when not set.
 */
export function configuredWasmThreads(config: unknown): number | undefined {
  const value = (config as { landmarks?: { wasmThreads?: unknown } } | undefined)?.landmarks
    ?.wasmThreads;
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new Error(`app-config landmarks.wasmThreads: ${String(value)} is not a whole number ≥ 1`);
  return value as number;
}

export class WorkerClient {
  private worker?: Worker;
  private nextId = 1;

  private get(): Worker {
    if (!this.worker) {
      const url = new URL('./worker.js', import.meta.url);
      const threads = configuredWasmThreads((globalThis as { config?: unknown }).config);
      if (threads !== undefined) url.searchParams.set('wasmThreads', String(threads));
      this.worker = new Worker(url, { type: 'module' });
    }
    return this.worker;
  }

  /** Sends one request; resolves with the job's final message ('done', 'error', …, see FINAL_TYPES). */
  run(
    req: JobRequest,
    onMessage: (m: WorkerMessage) => void = () => undefined,
  ): Promise<WorkerMessage> {
    const worker = this.get();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const handler = (event: MessageEvent<WorkerMessage>) => {
        const m = event.data;
        if (m.id !== id) return;
        onMessage(m);
        if (FINAL_TYPES.has(m.type)) {
          worker.removeEventListener('message', handler);
          resolve(m);
        }
      };
      worker.addEventListener('message', handler);
      worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  /** Runs a request and returns its final message of `type`; an 'error' message is thrown. */
  async ask<T extends WorkerMessage['type']>(
    req: JobRequest,
    type: T,
    onMessage?: (m: WorkerMessage) => void,
  ): Promise<Extract<WorkerMessage, { type: T }>> {
    const m = await this.run(req, onMessage);
    if (m.type === 'error') throw new Error(m.message);
    if (m.type !== type) throw new Error(`worker answered ${m.type} where ${type} was expected`);
    return m as Extract<WorkerMessage, { type: T }>;
  }

  /** Asks the running job to stop after its current step or image. */
  cancel(): void {
    this.worker?.postMessage({ type: 'cancel' } satisfies WorkerRequest);
  }
}
