/**
 * Reads images of a folder and turns them into network-ready samples (letterboxed to the input shape),
 * with landmarks from a table when given. An optional cache folder keeps the letterboxed pixels so that
 * large originals (ISBI: 1935 × 2400 JPEG) are decoded once per input shape.
 *
 * With a 3D input shape [D, H, W] the folder holds volumes instead (`<dir>/<id>/` series folders of
 * DICOM slices, landmarks n × 3 in voxels): see loadVolumeSamples.ts; the samples are then
 * VolumeSamples (their letterbox also maps z) and no cache is used.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import prepareSample from '../core/data/prepareSample.ts';
import { toInputPixels } from '../core/data/computeLetterbox.ts';
import type { Letterbox, TrainingSample } from '../core/data/types.ts';
import { itemFinder, landmarkRow } from './folderItems.ts';
import { listImages, readImage } from './imageFolder.ts';
import loadVolumeSamples from './loadVolumeSamples.ts';

export interface LoadOptions {
  imagesDir: string;
  ids: readonly string[];
  /** Network input: [H, W] for images, [D, H, W] for volumes. */
  inputShape: number[];
  /** mm per original pixel (x, y); DICOM spacing wins when the file has one. Unused for volumes. */
  spacingMm?: number[];
  /** Landmarks in original pixels by image id (ids matched with normaliseImageId). */
  landmarks?: Map<string, number[][]>;
  cacheDir?: string;
  onImage?: (done: number, total: number, id: string) => void;
}

interface CacheEntry {
  letterbox: Letterbox;
  spacingMm: number[];
  mtimeMs: number;
}

/** Cache file stem: image id, input shape and the spacing given (a different --spacing re-reads). */
function cacheBase(o: LoadOptions, id: string): string {
  return path.join(o.cacheDir!, `${id}-${o.inputShape.join('x')}-${(o.spacingMm ?? []).join('_')}`);
}

async function cached(
  o: LoadOptions,
  id: string,
  file: string,
): Promise<TrainingSample | undefined> {
  if (!o.cacheDir) return undefined;
  const base = cacheBase(o, id);
  try {
    const entry = JSON.parse(await readFile(`${base}.json`, 'utf8')) as CacheEntry;
    if (entry.mtimeMs !== (await stat(file)).mtimeMs) return undefined;
    const bytes = await readFile(`${base}.f32`);
    const image = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    return { id, image, spacingMm: entry.spacingMm, letterbox: entry.letterbox };
  } catch {
    return undefined;
  }
}

async function store(o: LoadOptions, sample: TrainingSample, file: string): Promise<void> {
  if (!o.cacheDir) return;
  await mkdir(o.cacheDir, { recursive: true });
  const base = cacheBase(o, sample.id);
  await writeFile(
    `${base}.f32`,
    new Uint8Array(sample.image.buffer, sample.image.byteOffset, sample.image.byteLength),
  );
  const entry: CacheEntry = {
    letterbox: sample.letterbox,
    spacingMm: sample.spacingMm,
    mtimeMs: (await stat(file)).mtimeMs,
  };
  await writeFile(`${base}.json`, JSON.stringify(entry));
}

/** Loads the samples named by `ids` (in that order). Errors name the image and what is missing. */
export default async function loadSamples(o: LoadOptions): Promise<TrainingSample[]> {
  if (o.inputShape.length === 3) return loadVolumeSamples(o);
  const find = itemFinder(await listImages(o.imagesDir));
  const out: TrainingSample[] = [];
  for (const [k, wanted] of o.ids.entries()) {
    const listed = find(wanted);
    if (!listed) throw new Error(`image "${wanted}": no .jpg/.png/.dcm file in ${o.imagesDir}`);
    const found = { id: listed.id, file: listed.entry };
    const landmarks = o.landmarks && landmarkRow(o.landmarks, 'image', wanted);
    let sample = await cached(o, found.id, found.file);
    if (sample) {
      if (landmarks) sample.landmarks = toInputPixels(landmarks, sample.letterbox);
    } else {
      const { image, spacingMm } = await readImage(found.file);
      const spacing = spacingMm ?? o.spacingMm;
      if (!spacing)
        throw new Error(`image "${found.id}": no pixel spacing in the file; pass --spacing <mm>`);
      sample = prepareSample(found.id, image, o.inputShape, spacing, landmarks);
      await store(o, sample, found.file);
    }
    out.push(sample);
    o.onImage?.(k + 1, o.ids.length, found.id);
  }
  return out;
}
