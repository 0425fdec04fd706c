/**
 * tfjs IOHandlers that read and write the standard tfjs layers format in a folder (model.json +
 * weights.bin), since `file://` needs tfjs-node. The browser uses tfjs's own `indexeddb://`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Save handler writing `<dir>/model.json` and `<dir>/weights.bin` (plus userDefinedMetadata). */
export function fileSaveHandler(
  dir: string,
  userDefinedMetadata?: Record<string, unknown>,
): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    await mkdir(dir, { recursive: true });
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      ...(userDefinedMetadata ? { userDefinedMetadata } : {}),
    };
    await writeFile(path.join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
    await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/** Load handler for a folder written by {@link fileSaveHandler}; errors name the file. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const jsonPath = path.join(dir, MODEL_JSON);
      let json: {
        modelTopology: object;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
        userDefinedMetadata?: Record<string, unknown>;
      };
      try {
        json = JSON.parse(await readFile(jsonPath, 'utf8'));
      } catch (error) {
        throw new Error(`${jsonPath}: cannot read the model (${(error as Error).message})`);
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new Error(
          `${jsonPath}: not a tfjs layers model (modelTopology/weightsManifest missing)`,
        );
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const bytes = await readFile(path.join(dir, p));
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        }
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: tf.io.CompositeArrayBuffer.join(buffers),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        userDefinedMetadata: json.userDefinedMetadata as Record<string, object> | undefined,
      };
    },
  };
}
