/**
 * The Model section's worker jobs: the library (every template's model, and the resumable training),
 * export of one template's model as a bundle file, import of a bundle (validated, built, then filed
 * under its template, replacing only that template's model), and delete.
 */
import { decodeModelBundle, encodeModelBundle, type ModelSource } from '../services/modelBundle.ts';
import {
  exportFileName,
  noModelError,
  templateIdOfModel,
  type TemplateRef,
} from '../services/modelLibrary.ts';
import type { Post } from './backend.ts';
import {
  buildNetwork,
  deleteModel,
  listStoredModels,
  loadModelArtifacts,
  saveModelArtifacts,
} from './browserModelStore.ts';
import { readTraining, removeTraining } from './trainingStateStore.ts';

/** Posts every stored model's info and the resumable training's summary (if any). */
export async function modelStatus(templates: TemplateRef[], post: Post): Promise<void> {
  const [models, training] = await Promise.all([listStoredModels(templates), readTraining()]);
  post({ type: 'model-status', models, ...(training ? { training: training.summary } : {}) });
}

/** Deletes the resumable training state, then posts the status. */
export async function discardTraining(templates: TemplateRef[], post: Post): Promise<void> {
  await removeTraining();
  await modelStatus(templates, post);
}

/** Deletes one template's model, then posts the status. */
export async function deleteTemplateModel(
  templateId: string,
  templates: TemplateRef[],
  post: Post,
): Promise<void> {
  await deleteModel(templateId);
  await modelStatus(templates, post);
}

/** Posts a template's model as bundle text with a file name. */
export async function exportModel(templateId: string, post: Post): Promise<void> {
  const t0 = performance.now();
  const stored = await loadModelArtifacts(templateId);
  if (!stored) throw noModelError(templateId);
  const text = JSON.stringify(encodeModelBundle(stored.artifacts, stored.info));
  post({
    type: 'exported',
    text,
    fileName: exportFileName(stored.info, templateId),
    ms: performance.now() - t0,
  });
}

/**
 * Validates a bundle, then (on the backend `backend()` starts) builds its network as a shape check and
 * files it under its template (the one it names, else the one its landmarks fit).
 */
export async function importModel(
  text: string,
  source: string,
  origin: ModelSource,
  templates: TemplateRef[],
  post: Post,
  backend: () => Promise<unknown>,
): Promise<void> {
  const t0 = performance.now();
  const { artifacts, info } = await decodeModelBundle(text, source, origin);
  await backend(); // only a valid file needs tfjs
  const network = await buildNetwork(artifacts, info, source);
  network.dispose();
  const templateId = templateIdOfModel(templates, info);
  const replaced = (await loadModelArtifacts(templateId).catch(() => undefined))?.info;
  const filed = { ...info, templateId };
  await saveModelArtifacts(artifacts, filed);
  post({
    type: 'imported',
    model: filed,
    ...(replaced ? { replaced } : {}),
    ms: performance.now() - t0,
  });
}
