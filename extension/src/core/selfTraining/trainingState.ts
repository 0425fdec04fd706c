/**
 * Serialisable training state for resume: the loop state (JSON) plus model and Adam weights encoded with
 * tf.io.encodeWeights into one binary blob. Pure: the caller stores the two parts where it likes.
 */
import * as tf from '@tensorflow/tfjs';
import type { LoopState } from './types.ts';

export interface SavedTrainingState {
  /** JSON-serialisable: loop state and the weight specs of `weightData`. */
  manifest: { loop: LoopState; weightSpecs: tf.io.WeightsManifestEntry[] };
  weightData: ArrayBuffer;
}

/** Encodes the current model and optimizer weights with the loop state. */
export async function exportTrainingState(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  loop: LoopState,
  bestWeights?: readonly tf.Tensor[],
): Promise<SavedTrainingState> {
  const named: tf.NamedTensorMap = {};
  bestWeights?.forEach((t, i) => (named[`best/${i}`] = t));
  // By position: layer names carry a global counter and differ between two builds of the same network.
  model.weights.forEach((w, i) => (named[`model/${i}`] = w.read()));
  for (const { name, tensor } of await optimizer.getWeights()) named[`optimizer/${name}`] = tensor;
  const { data, specs } = await tf.io.encodeWeights(named);
  return { manifest: { loop: structuredClone(loop), weightSpecs: specs }, weightData: data };
}

/**
 * Restores model and optimizer weights from a saved state; returns the loop state to resume with and the
 * best-validation weights saved with it (caller disposes them).
 */
export async function importTrainingState(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  saved: SavedTrainingState,
): Promise<{ loop: LoopState; bestWeights?: tf.Tensor[] }> {
  const decoded = tf.io.decodeWeights(saved.weightData, saved.manifest.weightSpecs);
  try {
    const modelWeights = model.weights.map((w, i) => {
      const t = decoded[`model/${i}`];
      if (t === undefined || t.shape.join() !== w.shape.join()) {
        throw new Error(
          `training state does not fit the network at weight ${i} (${w.originalName}): different network?`,
        );
      }
      return t;
    });
    model.setWeights(modelWeights);
    const optimizerWeights = Object.entries(decoded)
      .filter(([k]) => k.startsWith('optimizer/'))
      .map(([k, tensor]) => ({ name: k.slice('optimizer/'.length), tensor }));
    if (optimizerWeights.length > 0) await optimizer.setWeights(optimizerWeights);
    const best = Object.keys(decoded)
      .filter((k) => k.startsWith('best/'))
      .map((k) => decoded[k]!.clone());
    return {
      loop: structuredClone(saved.manifest.loop),
      bestWeights: best.length > 0 ? best : undefined,
    };
  } finally {
    // setWeights copies into variables; the decoded tensors are ours to free.
    Object.values(decoded).forEach((t) => t.dispose());
  }
}
