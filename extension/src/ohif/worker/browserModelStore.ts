/**
 * The browser's model library: one landmark model per anatomy template, tfjs layers artifacts in
 * `indexeddb://ohif-landmarks-model/<templateId>` (tfjs' own IndexedDB store) with the {@link ModelInfo}
 * (metadata, shape model, id, source, template) in the artifacts' userDefinedMetadata under
 * `ohifLandmarks`. The one model of earlier versions (`indexeddb://ohif-landmarks-model`) is filed under
 * its template once ({@link migrateLegacyModel}). Used inside the worker only; keys and filing rules are
 * in services/modelLibrary.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../../core/models/upSampling3d.ts';
import type { ModelArtifactsLike, ModelInfo } from '../services/modelBundle.ts';
import { modelIdOf } from '../services/modelBundle.ts';
import {
  LEGACY_MODEL_URL,
  modelUrlFor,
  templateIdOfModel,
  templateIdOfUrl,
  type TemplateRef,
} from '../services/modelLibrary.ts';

const KEY = 'ohifLandmarks';

/** Writes artifacts + info as the model of `info.templateId` (replacing only that template's model). */
export async function saveModelArtifacts(
  artifacts: ModelArtifactsLike,
  info: ModelInfo & { templateId: string },
): Promise<void> {
  const url = modelUrlFor(info.templateId);
  const [handler] = tf.io.getSaveHandlers(url);
  if (!handler?.save) throw new Error('this browser has no IndexedDB model storage');
  await handler.save({
    ...artifacts,
    convertedBy: artifacts.convertedBy ?? null,
    userDefinedMetadata: { [KEY]: info as unknown as object },
  });
  if (cached.get(info.templateId)?.id !== info.id) forgetNetwork(info.templateId);
}

/** Captures a model's artifacts in memory (weights as one buffer) without storing them. */
export async function modelArtifacts(model: tf.LayersModel): Promise<ModelArtifactsLike> {
  let captured: ModelArtifactsLike | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = {
        modelTopology: a.modelTopology as object,
        weightSpecs: a.weightSpecs ?? [],
        weightData: tf.io.CompositeArrayBuffer.join(a.weightData),
        ...(a.format !== undefined ? { format: a.format } : {}),
        ...(a.generatedBy !== undefined ? { generatedBy: a.generatedBy } : {}),
        convertedBy: a.convertedBy ?? null,
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (!captured) throw new Error('the network could not be serialised');
  return captured;
}

/** Saves a freshly trained network as its template's model; returns its info (with the weights' id). */
export async function saveTrainedModel(
  model: tf.LayersModel,
  partial: Omit<ModelInfo, 'id'> & { templateId: string },
): Promise<ModelInfo> {
  const artifacts = await modelArtifacts(model);
  const info = { ...partial, id: await modelIdOf(artifacts.weightData) };
  await saveModelArtifacts(artifacts, info);
  return info;
}

/** Reads the artifacts and info stored at `url`; undefined when nothing is stored there. */
async function loadAt(
  url: string,
): Promise<{ artifacts: ModelArtifactsLike; info: ModelInfo } | undefined> {
  const models = await tf.io.listModels();
  if (!(url in models)) return undefined;
  const [handler] = tf.io.getLoadHandlers(url);
  if (!handler?.load) throw new Error('this browser has no IndexedDB model storage');
  const a = await handler.load();
  const info = (a.userDefinedMetadata as Record<string, unknown> | undefined)?.[KEY] as
    ModelInfo | undefined;
  if (!info?.metadata)
    throw new Error(`${url}: the stored model has no landmark metadata (import it again)`);
  return {
    artifacts: {
      modelTopology: a.modelTopology as object,
      weightSpecs: a.weightSpecs ?? [],
      weightData: tf.io.CompositeArrayBuffer.join(a.weightData),
      ...(a.format !== undefined ? { format: a.format } : {}),
      ...(a.generatedBy !== undefined ? { generatedBy: a.generatedBy } : {}),
      convertedBy: a.convertedBy ?? null,
    },
    info,
  };
}

/** The stored artifacts and info of a template's model, or undefined when it has none. */
export function loadModelArtifacts(
  templateId: string,
): Promise<{ artifacts: ModelArtifactsLike; info: ModelInfo } | undefined> {
  return loadAt(modelUrlFor(templateId));
}

/**
 * Files the model of the single-model key of earlier versions under its template (by the landmark
 * names and dimension of its network, see templateIdOfModel), unless that template already has one,
 * then removes the old key. Returns the template it was filed under, if any was stored.
 */
export async function migrateLegacyModel(
  templates: readonly TemplateRef[],
): Promise<string | undefined> {
  const legacy = await loadAt(LEGACY_MODEL_URL).catch(() => undefined);
  if (!legacy) return undefined;
  const templateId = templateIdOfModel(templates, legacy.info);
  if (!(modelUrlFor(templateId) in (await tf.io.listModels())))
    await saveModelArtifacts(legacy.artifacts, { ...legacy.info, templateId });
  await tf.io.removeModel(LEGACY_MODEL_URL);
  return templateId;
}

/** The migration of this worker (once: status requests may come two at a time). */
let migration: Promise<unknown> | undefined;

/** Info of every model of the library (migrating the old single model first). */
export async function listStoredModels(templates: readonly TemplateRef[]): Promise<ModelInfo[]> {
  await (migration ??= migrateLegacyModel(templates).catch((err: unknown) => {
    migration = undefined; // tried again by the next status
    throw err;
  }));
  const urls = Object.keys(await tf.io.listModels()).filter((u) => templateIdOfUrl(u));
  const stored = await Promise.all(urls.map((u) => loadAt(u).catch(() => undefined)));
  return stored.flatMap((s, i) =>
    s ? [{ ...s.info, templateId: s.info.templateId ?? templateIdOfUrl(urls[i]!)! }] : [],
  );
}

/** Deletes a template's model; throws naming the template when it has none. */
export async function deleteModel(templateId: string): Promise<void> {
  const url = modelUrlFor(templateId);
  if (!(url in (await tf.io.listModels())))
    throw new Error(`no stored model for the template "${templateId}" to delete`);
  forgetNetwork(templateId);
  await tf.io.removeModel(url);
}

/** Builds a network from artifacts and checks it has the input size and heatmap count of its info. */
export async function buildNetwork(
  artifacts: ModelArtifactsLike,
  info: ModelInfo,
  source: string,
): Promise<tf.LayersModel> {
  registerCustomLayers();
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw new Error(
      `${source}: the network cannot be built (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const input = model.inputs[0]!.shape.slice(1, 3).join('×');
  const output = model.outputs[0]!.shape;
  const expectInput = info.metadata.network.inputShape.slice(0, 2).join('×');
  const n = info.metadata.landmarkNames.length;
  if (input !== expectInput || output[output.length - 1] !== n) {
    model.dispose();
    throw new Error(
      `${source}: network input ${input} with ${String(output[output.length - 1])} heatmaps, ` +
        `metadata says ${expectInput} with ${n} landmarks`,
    );
  }
  return model;
}

/** Networks built per template (cached by weights' id: a heatmap request after another reuses it). */
const cached = new Map<string, { id: string; model: tf.LayersModel; info: ModelInfo }>();

/**
 * The network of a template's model. `missing` is the error when the template has none (it names the
 * template by its label, which the worker does not know).
 */
export async function loadNetwork(
  templateId: string,
  missing: () => Error = () => new Error(`no model for the template "${templateId}"`),
): Promise<{ model: tf.LayersModel; info: ModelInfo }> {
  const stored = await loadModelArtifacts(templateId);
  if (!stored) throw missing();
  const hit = cached.get(templateId);
  if (hit?.id === stored.info.id && hit.info.trainedAt === stored.info.trainedAt) return hit;
  forgetNetwork(templateId);
  const model = await buildNetwork(stored.artifacts, stored.info, modelUrlFor(templateId));
  const entry = { id: stored.info.id, model, info: stored.info };
  cached.set(templateId, entry);
  return entry;
}

/** Drops the cached network of one template, or of all (after a backend change). */
export function forgetNetwork(templateId?: string): void {
  for (const [id, entry] of cached) {
    if (templateId !== undefined && id !== templateId) continue;
    entry.model.dispose();
    cached.delete(id);
  }
}
