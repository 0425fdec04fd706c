/**
 * The browser's model library: one landmark model per anatomy template, tfjs layers artifacts in
 * `indexeddb://ohif-landmarks-model/<templateId>` (tfjs' own IndexedDB store) with the {@link ModelInfo}
 * (metadata, shape model, id, source, template) in the artifacts' userDefinedMetadata under
 * `ohifLandmarks`, and the model's coarse-to-fine refiner network (when it has one) beside it under
 * `ohifLandmarksRefiner` (weights as base64, as in a bundle): saved, exported and deleted with the
 * model. The one model of earlier versions (`indexeddb://ohif-landmarks-model`) is filed under
 * its template once ({@link migrateLegacyModel}). Used inside the worker only; keys and filing rules are
 * in services/modelLibrary.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../../core/models/upSampling3d.ts';
import createRefiner, { type LandmarkRefiner } from '../../core/refinement/createRefiner.ts';
import { checkRefinerMetadata } from '../../core/refinement/refinerMetadata.ts';
import {
  decodeNetwork,
  encodeNetwork,
  modelIdOf,
  refinerSummary,
  type BundledNetwork,
  type ModelArtifactsLike,
  type ModelInfo,
} from '../services/modelBundle.ts';
import {
  LEGACY_MODEL_URL,
  modelUrlFor,
  templateIdOfModel,
  templateIdOfUrl,
  type TemplateRef,
} from '../services/modelLibrary.ts';

const KEY = 'ohifLandmarks';
const REFINER_KEY = 'ohifLandmarksRefiner';

/** Writes artifacts + info as the model of `info.templateId` (replacing only that template's model). */
export async function saveModelArtifacts(
  artifacts: ModelArtifactsLike,
  info: ModelInfo & { templateId: string },
): Promise<void> {
  const url = modelUrlFor(info.templateId);
  const [handler] = tf.io.getSaveHandlers(url);
  if (!handler?.save) throw new Error('this browser has no IndexedDB model storage');
  const { refiner, ...network } = artifacts;
  // A refiner description without its network (or the reverse) is not kept: the pair or nothing.
  const withRefiner = !!(refiner && info.refiner);
  const { refiner: refinerInfo, ...rest } = info;
  const stored = withRefiner ? { ...rest, refiner: refinerInfo } : rest;
  await handler.save({
    ...network,
    convertedBy: network.convertedBy ?? null,
    userDefinedMetadata: {
      [KEY]: stored as unknown as object,
      ...(withRefiner ? { [REFINER_KEY]: encodeNetwork(refiner!) } : {}),
    },
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
  const meta = a.userDefinedMetadata as Record<string, unknown> | undefined;
  const info = meta?.[KEY] as ModelInfo | undefined;
  if (!info?.metadata)
    throw new Error(`${url}: the stored model has no landmark metadata (import it again)`);
  // A damaged refiner is left out (buildRefiner then says so); the network still loads.
  let refiner: Omit<ModelArtifactsLike, 'refiner'> | undefined;
  try {
    const bundled = meta?.[REFINER_KEY] as BundledNetwork | undefined;
    if (bundled) refiner = decodeNetwork(bundled, url, 'refiner');
  } catch {
    refiner = undefined;
  }
  return {
    artifacts: {
      ...(refiner ? { refiner } : {}),
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

/** A template's model's refiner, built (or why it could not be). */
export interface LoadedRefiner {
  refiner?: LandmarkRefiner;
  /** Why the model's refiner cannot be applied (absent when it can, or when the model has none). */
  error?: string;
}

/**
 * Builds the refiner of a stored model (its description checked with checkRefinerMetadata, its network's
 * output checked against it). Never throws: a refiner that cannot be built is reported in `error`.
 */
export async function buildRefiner(
  artifacts: ModelArtifactsLike,
  info: ModelInfo,
  source: string,
): Promise<LoadedRefiner> {
  if (!info.refiner) return {};
  if (!artifacts.refiner)
    return { error: `${source}: the refiner's network is missing or damaged` };
  let model: tf.LayersModel | undefined;
  try {
    const { config } = checkRefinerMetadata(info.refiner, `${source} refiner`);
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts.refiner));
    const [h, w, n] = model.outputs[0]!.shape.slice(1) as number[];
    if (h !== config.patchShape[0] || w !== config.patchShape[1] || n !== config.landmarkCount)
      throw new Error(`network output ${h}×${w}×${n} does not match its refiner.json`);
    if (n !== info.metadata.landmarkNames.length)
      throw new Error(`${n} landmarks, the model ${info.metadata.landmarkNames.length}`);
    return { refiner: createRefiner(model, config) };
  } catch (err) {
    model?.dispose();
    return {
      error: `${source}: the refiner cannot be built (${err instanceof Error ? err.message : String(err)})`,
    };
  }
}

/** What the Train section says about a pseudo-label pass's refiner ("" without one). */
export function refinerNote(info: ModelInfo, loaded: LoadedRefiner): string {
  if (!info.refiner) return '';
  if (loaded.error) return `refiner not applied: ${loaded.error}`;
  const { refined, total } = refinerSummary(info.refiner);
  return `refiner applied (${refined}/${total} landmarks)`;
}

/** Networks built per template (cached by weights' id: a heatmap request after another reuses it). */
const cached = new Map<
  string,
  { id: string; model: tf.LayersModel; info: ModelInfo; refiner: LoadedRefiner }
>();

/**
 * The network of a template's model. `missing` is the error when the template has none (it names the
 * template by its label, which the worker does not know).
 */
export async function loadNetwork(
  templateId: string,
  missing: () => Error = () => new Error(`no model for the template "${templateId}"`),
): Promise<{ model: tf.LayersModel; info: ModelInfo; refiner: LoadedRefiner }> {
  const stored = await loadModelArtifacts(templateId);
  if (!stored) throw missing();
  const hit = cached.get(templateId);
  if (
    hit?.id === stored.info.id &&
    hit.info.trainedAt === stored.info.trainedAt &&
    !!hit.info.refiner === !!stored.info.refiner
  )
    return hit;
  forgetNetwork(templateId);
  const url = modelUrlFor(templateId);
  const model = await buildNetwork(stored.artifacts, stored.info, url);
  const refiner = await buildRefiner(stored.artifacts, stored.info, url);
  const entry = { id: stored.info.id, model, info: stored.info, refiner };
  cached.set(templateId, entry);
  return entry;
}

/** Drops the cached network of one template, or of all (after a backend change). */
export function forgetNetwork(templateId?: string): void {
  for (const [id, entry] of cached) {
    if (templateId !== undefined && id !== templateId) continue;
    entry.model.dispose();
    entry.refiner.refiner?.dispose();
    cached.delete(id);
  }
}
