/**
 * A trained refiner on disk: `<modelDir>/refiner/model.json` + `weights.bin` (tfjs layers format, via the
 * file IOHandler) and `<modelDir>/refiner/refiner.json` (patch size, mm per pixel, passes, landmark
 * count, network config, training summary).
 */
import { readFile, writeFile, mkdir, access } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import createRefiner, { type LandmarkRefiner } from '../core/refinement/createRefiner.ts';
import { checkRefinerMetadata } from '../core/refinement/refinerMetadata.ts';
import type { RefinerMetadata } from '../core/refinement/types.ts';
import { fileLoadHandler, fileSaveHandler } from './fileIOHandler.ts';

export const REFINER_DIR = 'refiner';
export const REFINER_JSON = 'refiner.json';

/** Writes `<modelDir>/refiner/` (created if needed). */
export async function saveRefiner(
  modelDir: string,
  model: tf.LayersModel,
  metadata: RefinerMetadata,
): Promise<void> {
  const dir = path.join(modelDir, REFINER_DIR);
  await mkdir(dir, { recursive: true });
  await model.save(fileSaveHandler(dir, metadata as unknown as Record<string, unknown>));
  await writeFile(path.join(dir, REFINER_JSON), JSON.stringify(metadata, null, 2));
}

/**
 * Reads `<modelDir>/refiner/`.
 * @returns undefined when the model folder has no refiner; throws (naming the file) when it is broken
 */
export async function loadRefiner(
  modelDir: string,
): Promise<{ refiner: LandmarkRefiner; metadata: RefinerMetadata } | undefined> {
  const dir = path.join(modelDir, REFINER_DIR);
  const jsonPath = path.join(dir, REFINER_JSON);
  try {
    await access(jsonPath);
  } catch {
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new Error(
      `${jsonPath}: cannot read the refiner description (${(error as Error).message})`,
    );
  }
  const metadata = checkRefinerMetadata(raw, jsonPath);
  const model = await tf.loadLayersModel(fileLoadHandler(dir));
  const [h, w, n] = model.outputs[0]!.shape.slice(1) as number[];
  if (
    h !== metadata.config.patchShape[0] ||
    w !== metadata.config.patchShape[1] ||
    n !== metadata.config.landmarkCount
  ) {
    model.dispose();
    throw new Error(`${dir}: network output ${h}×${w}×${n} does not match ${REFINER_JSON}`);
  }
  return { refiner: createRefiner(model, metadata.config), metadata };
}
