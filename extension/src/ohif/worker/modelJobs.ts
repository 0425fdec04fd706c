/**
 * The Model section's worker jobs: what is stored (model and resumable training), export of the model
 * as one bundle file, import of a bundle (validated, built, then stored as the current model).
 */
import { decodeModelBundle, encodeModelBundle, type ModelSource } from '../services/modelBundle.ts';
import type { Post } from './backend.ts';
import {
  buildNetwork,
  forgetCurrentNetwork,
  loadModelArtifacts,
  saveModelArtifacts,
} from './browserModelStore.ts';
import { readTraining, removeTraining } from './trainingStateStore.ts';

/** Posts the stored model's info and the resumable training's summary (either may be absent). */
export async function modelStatus(post: Post): Promise<void> {
  const [stored, training] = await Promise.all([loadModelArtifacts(), readTraining()]);
  post({
    type: 'model-status',
    ...(stored ? { model: stored.info } : {}),
    ...(training ? { training: training.summary } : {}),
  });
}

/** Deletes the resumable training state, then posts the status. */
export async function discardTraining(post: Post): Promise<void> {
  await removeTraining();
  await modelStatus(post);
}

/** Posts the stored model as bundle text with a file name. */
export async function exportModel(post: Post): Promise<void> {
  const t0 = performance.now();
  const stored = await loadModelArtifacts();
  if (!stored) throw new Error('no model to export: train one or import a model file');
  const text = JSON.stringify(encodeModelBundle(stored.artifacts, stored.info));
  const date = (stored.info.trainedAt || new Date().toISOString()).slice(0, 10);
  post({
    type: 'exported',
    text,
    fileName: `landmarks-model-${date}-${stored.info.id.slice(0, 8)}.json`,
    ms: performance.now() - t0,
  });
}

/**
 * Validates a bundle, then (on the backend `backend()` starts) builds its network as a shape check and
 * stores it as the current model.
 */
export async function importModel(
  text: string,
  source: string,
  origin: ModelSource,
  post: Post,
  backend: () => Promise<unknown>,
): Promise<void> {
  const t0 = performance.now();
  const { artifacts, info } = await decodeModelBundle(text, source, origin);
  await backend(); // only a valid file needs tfjs
  const network = await buildNetwork(artifacts, info, source);
  network.dispose();
  forgetCurrentNetwork();
  await saveModelArtifacts(artifacts, info);
  post({ type: 'imported', model: info, ms: performance.now() - t0 });
}
