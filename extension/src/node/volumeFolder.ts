/**
 * Volume folder reader: `<dir>/<id>/` = the DICOM slices of one CT/CBCT series (any file names) →
 * greyscale volume in original voxels with its voxel spacing, assembled by the DICOM adapter
 * (dicom/volume.ts: slices sorted along the slice normal, gaps and inconsistencies reported).
 * Voxel (x, y, z) = (column, row, slice index in that order).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readPart10 } from '../dicom/datasetIo.ts';
import { imageFromDataset } from '../dicom/imageFromDataset.ts';
import { assembleVolume, type VolumeSlice } from '../dicom/volume.ts';
import type { GrayVolume } from '../core/data/types.ts';
import { nodeCodecs } from './codecs/nodeCodecs.ts';
import { listImages } from './imageFolder.ts';

/** Files of a series folder: every regular file except hidden ones and DICOMDIR. */
async function sliceFiles(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).sort();
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || name.toUpperCase() === 'DICOMDIR') continue;
    const file = path.join(folder, name);
    if ((await stat(file)).isFile()) out.push(file);
  }
  return out;
}

/** Volume id (sub-folder name) → folder path, for every sub-folder of `dir` that holds files. */
export async function listVolumes(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(`volume folder ${dir}: ${(error as Error).message}`);
  }
  const out = new Map<string, string>();
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const folder = path.join(dir, name);
    if (!(await stat(folder)).isDirectory()) continue;
    if ((await sliceFiles(folder)).length > 0) out.set(name, folder);
  }
  return out;
}

/**
 * What a folder of studies holds: 'image' (`<id>.jpg|.png|.dcm` files) or 'volume' (`<id>/` series
 * folders). Throws, naming the folder, when it holds both or neither.
 */
export async function folderKind(dir: string): Promise<'image' | 'volume'> {
  const [images, volumes] = await Promise.all([listImages(dir), listVolumes(dir)]);
  if (images.size > 0 && volumes.size > 0) {
    throw new Error(
      `${dir}: holds both image files (${images.size}) and series folders (${volumes.size}); use one kind`,
    );
  }
  if (images.size > 0) return 'image';
  if (volumes.size > 0) return 'volume';
  throw new Error(`${dir}: no .jpg/.png/.dcm images and no series folders of DICOM slices`);
}

/**
 * Reads one series folder into a volume (modality values, e.g. HU). Errors name the file or the series
 * and what is wrong (not DICOM, undecodable, missing slices, mixed series).
 */
export async function readVolume(
  folder: string,
): Promise<GrayVolume & { studyUid: string; seriesUid: string }> {
  const files = await sliceFiles(folder).catch((error: Error) => {
    throw new Error(`${folder}: ${error.message}`);
  });
  const slices: VolumeSlice[] = [];
  for (const file of files) {
    try {
      const bytes = await readFile(file);
      const dataset = readPart10(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        file,
      );
      slices.push({ dataset, image: await imageFromDataset(dataset, nodeCodecs()) });
    } catch (error) {
      throw new Error(`${file}: cannot read as a DICOM slice (${(error as Error).message})`);
    }
  }
  const series = new Set(slices.map((s) => s.image.seriesUid));
  if (series.size > 1)
    throw new Error(`${folder}: slices of ${series.size} series; one series per folder`);
  let volume;
  try {
    volume = assembleVolume(slices);
  } catch (error) {
    throw new Error(`${folder}: ${(error as Error).message}`);
  }
  return {
    width: volume.width,
    height: volume.height,
    depth: volume.depth,
    voxels: volume.voxels,
    spacingMm: volume.spacingMm,
    studyUid: volume.studyUid,
    seriesUid: volume.seriesUid,
  };
}
