/**
 * The one-file export format of a browser-trained landmark model ("model bundle"): a JSON document with
 * the tfjs layers topology, the weights as base64, the landmark-model metadata of the CLI's model folder
 * (core/models/landmarkModelMetadata.ts) and the shape model's serialisation. One file (no zip) so the
 * panel can download and re-import it with plain browser APIs; {@link bundleToModelFolder} turns it into
 * the CLI's model folder files (model.json + weights.bin + landmarks-model.json + shape-model.json).
 * Version 2 adds the model folder's coarse-to-fine refiner (`refiner/`: its refiner.json and its patch
 * network, weights as base64 like the network's); a bundle without a refiner is still written as
 * version 1, and both versions are read.
 *
 * Pure: no tfjs at run time (types only), no DOM, no network. Every error names the source and the field.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  checkMetadata,
  type LandmarkModelMetadata,
} from '../../core/models/landmarkModelMetadata.ts';
import { checkRefinerMetadata } from '../../core/refinement/refinerMetadata.ts';
import type { RefinerMetadata } from '../../core/refinement/types.ts';
import { parseShapeModel } from '../../core/shape/index.ts';

export const BUNDLE_FORMAT = 'ohif-landmarks-model-bundle';
/** The newest version written (2: with a refiner); a bundle without a refiner is written as 1. */
export const BUNDLE_VERSION = 2;
/** The versions this viewer reads. */
export const READABLE_BUNDLE_VERSIONS: readonly number[] = [1, 2];
/** The model folder's refiner files (node/refinerStore.ts), as bundleToModelFolder names them. */
export const REFINER_FILES = {
  modelJson: 'refiner/model.json',
  weights: 'refiner/weights.bin',
  metadata: 'refiner/refiner.json',
} as const;

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
  /**
   * The model's coarse-to-fine refiner description (its refiner.json, as written), when it has one; its
   * weights are in the artifacts' `refiner`.
   */
  refiner?: RefinerMetadata;
}

/** How many landmarks a refiner refines (its gate) of how many. */
export function refinerSummary(refiner: RefinerMetadata): { refined: number; total: number } {
  const total = refiner.config.landmarkCount;
  const gate = refiner.config.useRefined;
  return { refined: gate ? gate.filter(Boolean).length : total, total };
}

/** The tfjs layers artifacts in memory (weights as one buffer). */
export interface ModelArtifactsLike {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** The refiner's patch network (tfjs layers artifacts), when the model has a refiner. */
  refiner?: Omit<ModelArtifactsLike, 'refiner'>;
}

/** A tfjs layers network in a bundle: topology, weight specs, weights as base64. */
export interface BundledNetwork {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** Base64 of the little-endian weight bytes, in weightSpecs order. */
  weightData: string;
}

/** The JSON document of a bundle file. */
export interface ModelBundleJson {
  format: typeof BUNDLE_FORMAT;
  /** 1, or 2 when the bundle has a refiner. */
  version: 1 | 2;
  id: string;
  trainedAt: string;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** The template the model was filed under where it was exported (optional). */
  templateId?: string;
  metadata: LandmarkModelMetadata;
  shapeModel?: string;
  model: BundledNetwork;
  /** Version 2: the refiner's refiner.json (as written) and its patch network. */
  refiner?: { metadata: RefinerMetadata; model: BundledNetwork };
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
export function fromBase64(text: string, source: string, field = 'model'): ArrayBuffer {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`${source}: "${field}.weightData" is not valid base64`);
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

/** A network's artifacts as bundled (weights as base64). */
export function encodeNetwork(artifacts: Omit<ModelArtifactsLike, 'refiner'>): BundledNetwork {
  return {
    ...(artifacts.format !== undefined ? { format: artifacts.format } : {}),
    ...(artifacts.generatedBy !== undefined ? { generatedBy: artifacts.generatedBy } : {}),
    ...(artifacts.convertedBy !== undefined ? { convertedBy: artifacts.convertedBy } : {}),
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs,
    weightData: toBase64(artifacts.weightData),
  };
}

/**
 * Builds the bundle document of a model (weights as base64); with its refiner when both the info's
 * description and the artifacts' network are there (version 2).
 */
export function encodeModelBundle(
  artifacts: ModelArtifactsLike,
  info: ModelInfo,
  exportedAt = new Date().toISOString(),
): ModelBundleJson {
  const refiner =
    info.refiner && artifacts.refiner
      ? { metadata: info.refiner, model: encodeNetwork(artifacts.refiner) }
      : undefined;
  return {
    format: BUNDLE_FORMAT,
    version: refiner ? 2 : 1,
    id: info.id,
    trainedAt: info.trainedAt,
    exportedAt,
    ...(info.templateId !== undefined ? { templateId: info.templateId } : {}),
    metadata: info.metadata,
    ...(info.shapeModel !== undefined ? { shapeModel: info.shapeModel } : {}),
    model: encodeNetwork(artifacts),
    ...(refiner ? { refiner } : {}),
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

function checkModelPart(value: unknown, source: string, field = 'model'): BundledNetwork {
  const m = value as Partial<BundledNetwork> | undefined;
  if (!m || typeof m !== 'object') fail(source, `no "${field}" object (tfjs topology and weights)`);
  if (!m.modelTopology || typeof m.modelTopology !== 'object')
    fail(source, `"${field}.modelTopology" is missing (not a tfjs layers model)`);
  if (!Array.isArray(m.weightSpecs) || m.weightSpecs.length === 0)
    fail(source, `"${field}.weightSpecs" must be a non-empty array`);
  m.weightSpecs.forEach((s, i) => {
    if (typeof s?.name !== 'string' || !Array.isArray(s.shape) || typeof s.dtype !== 'string')
      fail(source, `"${field}.weightSpecs[${i}]" needs name, shape and dtype`);
  });
  if (typeof m.weightData !== 'string')
    fail(source, `"${field}.weightData" must be a base64 string`);
  return m as BundledNetwork;
}

/** The in-memory artifacts of a checked bundled network (weights decoded and their length checked). */
export function decodeNetwork(
  m: BundledNetwork,
  source: string,
  field = 'model',
): Omit<ModelArtifactsLike, 'refiner'> {
  const weightData = fromBase64(m.weightData, source, field);
  const expected = weightBytes(m.weightSpecs);
  if (weightData.byteLength !== expected)
    fail(
      source,
      `${field === 'model' ? '' : `${field} `}weights are ${weightData.byteLength} bytes, the specs describe ${expected}`,
    );
  return {
    modelTopology: m.modelTopology,
    weightSpecs: m.weightSpecs,
    weightData,
    ...(m.format !== undefined ? { format: m.format } : {}),
    ...(m.generatedBy !== undefined ? { generatedBy: m.generatedBy } : {}),
    ...(m.convertedBy !== undefined ? { convertedBy: m.convertedBy } : {}),
  };
}

/**
 * The refiner part of a version-2 bundle: its description (checkRefinerMetadata, same landmark count as
 * the model) and its network's artifacts.
 */
function decodeRefiner(
  value: unknown,
  source: string,
  n: number,
): { metadata: RefinerMetadata; artifacts: Omit<ModelArtifactsLike, 'refiner'> } {
  const r = value as { metadata?: unknown; model?: unknown } | undefined;
  if (!r || typeof r !== 'object' || Array.isArray(r))
    fail(source, '"refiner" must be an object with "metadata" and "model"');
  checkRefinerMetadata(r.metadata, `${source} refiner`);
  const metadata = r.metadata as RefinerMetadata; // kept as written (refiner.json round-trips)
  if (metadata.config.landmarkCount !== n)
    fail(source, `refiner has ${metadata.config.landmarkCount} landmarks, the network ${n}`);
  const model = checkModelPart(r.model, source, 'refiner.model');
  return { metadata, artifacts: decodeNetwork(model, source, 'refiner.model') };
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
  if (!READABLE_BUNDLE_VERSIONS.includes(o.version as number))
    fail(
      source,
      `bundle version ${String(o.version)}, this viewer reads ${READABLE_BUNDLE_VERSIONS.join(' and ')}`,
    );
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
  const network = decodeNetwork(model, source);
  const { weightData } = network;
  // Version 1 has no refiner; a refiner field there is ignored like any unknown field.
  const refiner =
    o.version !== 1 && o.refiner !== undefined ? decodeRefiner(o.refiner, source, n) : undefined;
  const id = await modelIdOf(weightData);
  if (typeof o.id === 'string' && o.id !== id)
    fail(source, `weights do not match the bundle id ${o.id} (file damaged or edited)`);
  const trainedAt = typeof o.trainedAt === 'string' ? o.trainedAt : '';
  const templateId = typeof o.templateId === 'string' ? { templateId: o.templateId } : {};
  return {
    artifacts: { ...network, ...(refiner ? { refiner: refiner.artifacts } : {}) },
    info: {
      id,
      trainedAt,
      source: origin,
      ...templateId,
      metadata,
      ...(shapeModel ? { shapeModel } : {}),
      ...(refiner ? { refiner: refiner.metadata } : {}),
    },
  };
}

/**
 * The files of the CLI's model folder (node/modelStore.ts) for a bundle: name -> contents (paths relative
 * to the folder; the refiner's under `refiner/`, as node/refinerStore.ts writes them).
 */
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
    ...(info.refiner && artifacts.refiner
      ? {
          [REFINER_FILES.modelJson]: JSON.stringify({
            format: artifacts.refiner.format,
            generatedBy: artifacts.refiner.generatedBy,
            convertedBy: artifacts.refiner.convertedBy,
            modelTopology: artifacts.refiner.modelTopology,
            weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.refiner.weightSpecs }],
            userDefinedMetadata: info.refiner,
          }),
          [REFINER_FILES.weights]: new Uint8Array(artifacts.refiner.weightData),
          [REFINER_FILES.metadata]: JSON.stringify(info.refiner, null, 2),
        }
      : {}),
  };
}
