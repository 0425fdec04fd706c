/**
 * Resumable training state on disk: `<dir>/training-state.json` (loop state + weight specs) and
 * `<dir>/training-state.bin` (model and Adam weights).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SavedTrainingState } from '../core/selfTraining/trainingState.ts';

const JSON_NAME = 'training-state.json';
const BIN_NAME = 'training-state.bin';

export async function writeTrainingState(
  dir: string,
  state: SavedTrainingState,
  extra: Record<string, unknown>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, BIN_NAME), new Uint8Array(state.weightData));
  await writeFile(path.join(dir, JSON_NAME), JSON.stringify({ ...extra, ...state.manifest }));
}

/** @returns the saved state and the extra fields written with it, or undefined when there is none */
export async function readTrainingState(
  dir: string,
): Promise<{ state: SavedTrainingState; extra: Record<string, unknown> } | undefined> {
  const jsonPath = path.join(dir, JSON_NAME);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Record<string, unknown> & SavedTrainingState['manifest'];
  if (!parsed.loop || !Array.isArray(parsed.weightSpecs))
    throw new Error(`${jsonPath}: not a training state`);
  const bytes = await readFile(path.join(dir, BIN_NAME));
  const { loop, weightSpecs, ...extra } = parsed;
  return {
    state: {
      manifest: { loop, weightSpecs },
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    },
    extra,
  };
}

export async function removeTrainingState(dir: string): Promise<void> {
  await rm(path.join(dir, JSON_NAME), { force: true });
  await rm(path.join(dir, BIN_NAME), { force: true });
}
