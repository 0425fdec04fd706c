/**
 * The one-file export format of a browser-trained landmark model ("model bundle"): a JSON document with
 * the tfjs layers topology, the weights as base64, the landmark-model metadata of the CLI's model folder
 * (core/models/landmarkModelMetadata.ts) and the shape model's serialisation. One file (no zip) so the
 * panel can download and re-import it with plain browser APIs; {@link bundleToModelFolder} turns it into
 * the CLI's model folder files (model.json + weights.bin + landmarks-model.json + shape-model.json).
 *
 * Pure: no tfjs at run time (types only), no DOM, no network. Every error names the source and the field.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  checkMetadata,
  type LandmarkModelMetadata,
} from '../../core/models/landmarkModelMetadata.ts';
import { parseShapeModel } from '../../core/shape/index.ts';

export const BUNDLE_FORMAT = 'ohif-landmarks-model-bundle';
export const BUNDLE_VERSION = 1;

/** Where the loaded model came from (shown in the Model section). */
export interface ModelSource {
  kind: 'trained' | 'file' | 'url' | 'builtin';
  /** File name or URL for imports (the bundle URL for a built-in model). */
  name?: string;
}

/** Everything about a model except its weights (kept in IndexedDB's userDefinedMetadata). */
export interface ModelInfo {
  /**
   * First 16 hex digits of the SHA-256 of the weight bytes: identical weights, identical id. Written as
   * the SR's Algorithm Version so pseudo-labelling can skip studies this model already labelled.
   */
  id: string;
  /** ISO 8601 (UTC) time the training finished. */
  trainedAt: string;
  source: ModelSource;
  /**
   * The anatomy template the model is filed under in the browser's library (services/modelLibrary.ts);
   * absent in models from before the library and in CLI bundles (then known by its landmark names).
   */
  templateId?: string;
  metadata: LandmarkModelMetadata;
  /** The shape module's serialisation (text of shape-model.json), when trained with shape regulation. */
  shapeModel?: string;
}

/** The tfjs layers artifacts in memory (weights as one buffer). */
export interface ModelArtifactsLike {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** The JSON document of a bundle file. */
export interface ModelBundleJson {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  id: string;
  trainedAt: string;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** The template the model was filed under where it was exported (optional). */
  templateId?: string;
  metadata: LandmarkModelMetadata;
  shapeModel?: string;
  model: {
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    modelTopology: object;
    weightSpecs: tf.io.WeightsManifestEntry[];
    /** Base64 of the little-endian weight bytes, in weightSpecs order. */
    weightData: string;
  };
}

/** Bytes per element of a stored weight (tfjs dtypes, or the quantised dtype when quantised). */
const BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Base64 of a byte buffer. btoa is in browsers, workers and Node ≥ 16; tfjs keeps its own helper private. */
export function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  const chunk = 0x8000; // String.fromCharCode takes its arguments on the stack
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Bytes of a base64 string; throws naming `source` on characters outside the alphabet. */
export function fromBase64(text: string, source: string): ArrayBuffer {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`${source}: "model.weightData" is not valid base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** Byte length the weight specs describe. */
export function weightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((sum, s) => {
    const dtype = s.quantization?.dtype ?? s.dtype;
    const size = BYTES[dtype];
    if (size === undefined) throw new Error(`weight "${s.name}": unsupported dtype ${dtype}`);
    return sum + size * s.shape.reduce((a, b) => a * b, 1);
  }, 0);
}

/** Model id: the first 16 hex digits of SHA-256 of the weight bytes (Web Crypto, also in Node ≥ 19). */
export async function modelIdOf(weightData: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', weightData));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Builds the bundle document of a model (weights as base64). */
export function encodeModelBundle(
  artifacts: ModelArtifactsLike,
  info: ModelInfo,
  exportedAt = new Date().toISOString(),
): ModelBundleJson {
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    id: info.id,
    trainedAt: info.trainedAt,
    exportedAt,
    ...(info.templateId !== undefined ? { templateId: info.templateId } : {}),
    metadata: info.metadata,
    ...(info.shapeModel !== undefined ? { shapeModel: info.shapeModel } : {}),
    model: {
      ...(artifacts.format !== undefined ? { format: artifacts.format } : {}),
      ...(artifacts.generatedBy !== undefined ? { generatedBy: artifacts.generatedBy } : {}),
      ...(artifacts.convertedBy !== undefined ? { convertedBy: artifacts.convertedBy } : {}),
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs,
      weightData: toBase64(artifacts.weightData),
    },
  };
}

function fail(source: string, what: string): never {
  throw new Error(`${source}: ${what}`);
}

function parseJson(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(source, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(source, 'not a JSON object');
  return value as Record<string, unknown>;
}

function checkModelPart(value: unknown, source: string): ModelBundleJson['model'] {
  const m = value as Partial<ModelBundleJson['model']> | undefined;
  if (!m || typeof m !== 'object') fail(source, 'no "model" object (tfjs topology and weights)');
  if (!m.modelTopology || typeof m.modelTopology !== 'object')
    fail(source, '"model.modelTopology" is missing (not a tfjs layers model)');
  if (!Array.isArray(m.weightSpecs) || m.weightSpecs.length === 0)
    fail(source, '"model.weightSpecs" must be a non-empty array');
  m.weightSpecs.forEach((s, i) => {
    if (typeof s?.name !== 'string' || !Array.isArray(s.shape) || typeof s.dtype !== 'string')
      fail(source, `"model.weightSpecs[${i}]" needs name, shape and dtype`);
  });
  if (typeof m.weightData !== 'string') fail(source, '"model.weightData" must be a base64 string');
  return m as ModelBundleJson['model'];
}

/**
 * Parses and validates a bundle file's text: format and version, the landmark metadata (names match the
 * network's heatmap count), the shape model (parses, same landmark count), and the weights (valid base64
 * of exactly the byte length the specs describe). Returns the artifacts and the model info.
 */
export async function decodeModelBundle(
  text: string,
  source: string,
  origin: ModelSource,
): Promise<{ artifacts: ModelArtifactsLike; info: ModelInfo }> {
  const o = parseJson(text, source);
  if (o.format !== BUNDLE_FORMAT)
    fail(source, `not a landmark model bundle (format ${JSON.stringify(o.format)})`);
  if (o.version !== BUNDLE_VERSION)
    fail(source, `bundle version ${String(o.version)}, this viewer reads ${BUNDLE_VERSION}`);
  const metadata = checkMetadata(o.metadata, `${source} metadata`);
  const n = metadata.landmarkNames.length;
  let shapeModel: string | undefined;
  if (o.shapeModel !== undefined) {
    if (typeof o.shapeModel !== 'string') fail(source, '"shapeModel" must be the shape model text');
    const shape = parseShapeModel(o.shapeModel, { source: `${source} shapeModel` });
    if (shape.meanShape.length !== n)
      fail(source, `shape model has ${shape.meanShape.length} landmarks, the network ${n}`);
    shapeModel = o.shapeModel;
  }
  const model = checkModelPart(o.model, source);
  const weightData = fromBase64(model.weightData, source);
  const expected = weightBytes(model.weightSpecs);
  if (weightData.byteLength !== expected)
    fail(source, `weights are ${weightData.byteLength} bytes, the specs describe ${expected}`);
  const id = await modelIdOf(weightData);
  if (typeof o.id === 'string' && o.id !== id)
    fail(source, `weights do not match the bundle id ${o.id} (file damaged or edited)`);
  const trainedAt = typeof o.trainedAt === 'string' ? o.trainedAt : '';
  const templateId = typeof o.templateId === 'string' ? { templateId: o.templateId } : {};
  return {
    artifacts: {
      modelTopology: model.modelTopology,
      weightSpecs: model.weightSpecs,
      weightData,
      ...(model.format !== undefined ? { format: model.format } : {}),
      ...(model.generatedBy !== undefined ? { generatedBy: model.generatedBy } : {}),
      ...(model.convertedBy !== undefined ? { convertedBy: model.convertedBy } : {}),
    },
    info: {
      id,
      trainedAt,
      source: origin,
      ...templateId,
      metadata,
      ...(shapeModel ? { shapeModel } : {}),
    },
  };
}

/** The files of the CLI's model folder (node/modelStore.ts) for a bundle: name -> contents. */
export function bundleToModelFolder(
  artifacts: ModelArtifactsLike,
  info: ModelInfo,
): Record<string, string | Uint8Array> {
  const modelJson = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    userDefinedMetadata: info.metadata,
  };
  return {
    'model.json': JSON.stringify(modelJson),
    'weights.bin': new Uint8Array(artifacts.weightData),
    'landmarks-model.json': JSON.stringify(info.metadata, null, 2),
    ...(info.shapeModel !== undefined ? { 'shape-model.json': info.shapeModel } : {}),
  };
}
