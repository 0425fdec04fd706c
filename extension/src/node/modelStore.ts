/**
 * A trained landmark model on disk: `<dir>/model.json` + `weights.bin` (tfjs layers format, metadata in
 * userDefinedMetadata), `landmarks-model.json` (the same metadata, readable without tfjs) and, when
 * trained with shape regulation, `shape-model.json` (the shape module's serialisation).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { checkMetadata, type LandmarkModelMetadata } from '../core/models/landmarkModelMetadata.ts';
import { registerCustomLayers } from '../core/models/upSampling3d.ts';
import { fileLoadHandler, fileSaveHandler } from './fileIOHandler.ts';

export const METADATA_JSON = 'landmarks-model.json';
export const SHAPE_MODEL_JSON = 'shape-model.json';

/** Writes the model folder (created if needed). `shapeModelJson` is the shape module's serialised text. */
export async function saveLandmarkModel(
  dir: string,
  model: tf.LayersModel,
  metadata: LandmarkModelMetadata,
  shapeModelJson?: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(fileSaveHandler(dir, metadata as unknown as Record<string, unknown>));
  await writeFile(path.join(dir, METADATA_JSON), JSON.stringify(metadata, null, 2));
  if (shapeModelJson !== undefined)
    await writeFile(path.join(dir, SHAPE_MODEL_JSON), shapeModelJson);
}

/** Reads a model folder written by {@link saveLandmarkModel}. */
export async function loadLandmarkModel(
  dir: string,
): Promise<{ model: tf.LayersModel; metadata: LandmarkModelMetadata; shapeModelJson?: string }> {
  const metaPath = path.join(dir, METADATA_JSON);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(metaPath, 'utf8'));
  } catch (error) {
    throw new Error(`${metaPath}: cannot read model metadata (${(error as Error).message})`);
  }
  const metadata = checkMetadata(raw, metaPath);
  registerCustomLayers();
  const model = await tf.loadLayersModel(fileLoadHandler(dir));
  const shapeModelJson = await readFile(path.join(dir, SHAPE_MODEL_JSON), 'utf8').catch(
    () => undefined,
  );
  return { model, metadata, shapeModelJson };
}
