/**
 * The browser's current landmark model: tfjs layers artifacts in `indexeddb://ohif-landmarks-model`
 * (tfjs' own IndexedDB store) with the {@link ModelInfo} (metadata, shape model, id, source) in the
 * artifacts' userDefinedMetadata under `ohifLandmarks`. Used inside the worker only.
 */
import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../../core/models/upSampling3d.ts';
import type { ModelArtifactsLike, ModelInfo } from '../services/modelBundle.ts';
import { modelIdOf } from '../services/modelBundle.ts';

export const MODEL_URL = 'indexeddb://ohif-landmarks-model';
const KEY = 'ohifLandmarks';

/** Writes artifacts + info as the current model (replacing the previous one). */
export async function saveModelArtifacts(
  artifacts: ModelArtifactsLike,
  info: ModelInfo,
): Promise<void> {
  const [handler] = tf.io.getSaveHandlers(MODEL_URL);
  if (!handler?.save) throw new Error('this browser has no IndexedDB model storage');
  await handler.save({
    ...artifacts,
    convertedBy: artifacts.convertedBy ?? null,
    userDefinedMetadata: { [KEY]: info as unknown as object },
  });
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

/** Saves a freshly trained network as the current model; returns its info (with the weights' id). */
export async function saveTrainedModel(
  model: tf.LayersModel,
  partial: Omit<ModelInfo, 'id'>,
): Promise<ModelInfo> {
  const artifacts = await modelArtifacts(model);
  const info: ModelInfo = { ...partial, id: await modelIdOf(artifacts.weightData) };
  await saveModelArtifacts(artifacts, info);
  return info;
}

/** The stored artifacts and info, or undefined when no model is stored. */
export async function loadModelArtifacts(): Promise<
  { artifacts: ModelArtifactsLike; info: ModelInfo } | undefined
> {
  const models = await tf.io.listModels();
  if (!(MODEL_URL in models)) return undefined;
  const [handler] = tf.io.getLoadHandlers(MODEL_URL);
  if (!handler?.load) throw new Error('this browser has no IndexedDB model storage');
  const a = await handler.load();
  const info = (a.userDefinedMetadata as Record<string, unknown> | undefined)?.[KEY] as
    ModelInfo | undefined;
  if (!info?.metadata)
    throw new Error(`${MODEL_URL}: the stored model has no landmark metadata (import it again)`);
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

/** The current network (cached by id: a heatmap request after another reuses it). */
let cached: { id: string; model: tf.LayersModel; info: ModelInfo } | undefined;

export async function loadCurrentNetwork(): Promise<{ model: tf.LayersModel; info: ModelInfo }> {
  const stored = await loadModelArtifacts();
  if (!stored) throw new Error('no model yet: train one or import a model file');
  if (cached?.id === stored.info.id && cached.info.trainedAt === stored.info.trainedAt)
    return cached;
  cached?.model.dispose();
  cached = undefined;
  const model = await buildNetwork(stored.artifacts, stored.info, MODEL_URL);
  cached = { id: stored.info.id, model, info: stored.info };
  return cached;
}

/** Drops the cached network (after a backend change or a new model). */
export function forgetCurrentNetwork(): void {
  cached?.model.dispose();
  cached = undefined;
}
