/**
 * Module Web Worker for training, pseudo-labelling, heatmaps and the stored model (built to
 * dist/plugins/landmarks/worker.js). One compute job at a time (a second is answered with an error);
 * `model-status` is answered at any time. `cancel` aborts the running job between steps/images. Every
 * message of a job carries the request's id; every failure is posted as `{type: 'error', message}`.
 */
import { bench, inferenceBackend, type Post } from './backend.ts';
import { heatmap } from './heatmapInWorker.ts';
import {
  deleteTemplateModel,
  discardTraining,
  exportModel,
  importModel,
  modelStatus,
} from './modelJobs.ts';
import type { WorkerMessage, WorkerRequest } from './protocol.ts';
import { pseudoLabel } from './pseudoLabelInWorker.ts';
import { volumeHeatmap } from './volumeHeatmapInWorker.ts';
import { resume, train } from './trainInWorker.ts';

let running: AbortController | undefined;

type Job = Exclude<WorkerRequest, { type: 'cancel' }>;

function start(req: Job, post: Post, signal: AbortSignal): Promise<unknown> {
  switch (req.type) {
    case 'train':
      return train(req, post, signal);
    case 'resume':
      return resume(req, post, signal);
    case 'bench':
      return bench(req, post);
    case 'pseudo-label':
      return pseudoLabel(req, post, signal);
    case 'heatmap':
      return heatmap(req, post);
    case 'volume-heatmap':
      return volumeHeatmap(req, post);
    case 'model-status':
      return modelStatus(req.templates, post);
    case 'export-model':
      return exportModel(req.templateId, post);
    case 'import-model':
      return importModel(req.text, req.source, req.origin, req.templates, post, () =>
        inferenceBackend(req.backends, post),
      );
    case 'delete-model':
      return deleteTemplateModel(req.templateId, req.templates, post);
    case 'discard-training-state':
      return discardTraining(req.templates, post);
  }
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  if (req.type === 'cancel') {
    running?.abort();
    return;
  }
  const post: Post = (m) => {
    const message = { ...m, id: req.id } as WorkerMessage;
    const transfer =
      message.type === 'heatmap' || message.type === 'volume-heatmap'
        ? [message.result.map.buffer as ArrayBuffer]
        : [];
    self.postMessage(message, { transfer });
  };
  const fail = (err: unknown) =>
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  if (req.type === 'model-status') {
    modelStatus(req.templates, post).catch(fail);
    return;
  }
  if (running) {
    post({
      type: 'error',
      message: 'the worker is busy (training or pseudo-labelling): try again when it is done',
    });
    return;
  }
  const controller = new AbortController();
  running = controller;
  start(req, post, controller.signal)
    .catch(fail)
    .finally(() => {
      running = undefined;
    });
};
