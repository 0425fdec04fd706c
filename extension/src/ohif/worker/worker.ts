/**
 * Module Web Worker for training and pseudo-labelling in the browser (built to
 * dist/plugins/landmarks/worker.js). One job at a time; `cancel` aborts the running training
 * between steps. Every failure is posted as `{type: 'error', message}`.
 */
import type { WorkerMessage, WorkerRequest } from './protocol.ts';
import { bench, train } from './trainInWorker.ts';

const post = (message: WorkerMessage) => self.postMessage(message);
let running: AbortController | undefined;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  if (req.type === 'cancel') {
    running?.abort();
    return;
  }
  if (running) {
    post({ type: 'error', message: 'a training job is already running' });
    return;
  }
  running = new AbortController();
  const job = req.type === 'train' ? train(req, post, running.signal) : bench(req, post);
  job
    .catch((err: unknown) =>
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    )
    .finally(() => {
      running = undefined;
    });
};
