/**
 * Reads labelled images of a folder at full resolution and prepares them for the refiner
 * (prepareRefinerImage: [0, 1] intensities, box-averaged to the patch resolution). Only the prepared
 * level is kept, so 150 ISBI images take ~170 MB instead of ~2.8 GB.
 */
import { normaliseImageId } from '../core/data/landmarkTable.ts';
import type { GrayImage } from '../core/data/types.ts';
import prepareRefinerImage from '../core/refinement/prepareRefinerImage.ts';
import type { RefinerSample } from '../core/refinement/types.ts';
import { listImages, readImage } from './imageFolder.ts';

export interface RefinerLoadOptions {
  imagesDir: string;
  ids: readonly string[];
  /** Landmarks in ORIGINAL pixels by image id (matched with normaliseImageId). */
  landmarks: Map<string, number[][]>;
  /** mm per original pixel (x, y); DICOM spacing wins when the file has one. */
  spacingMm?: number[];
  mmPerPixel: number;
  onImage?: (done: number, total: number, id: string) => void;
  /** Called with each ORIGINAL image before it is prepared (e.g. to run the coarse network on it). */
  onOriginal?: (id: string, image: GrayImage, spacingMm: number[]) => Promise<void>;
}

/**
 * @returns the samples in the order of `ids`, and the original spacing of the first one (mm)
 * @throws Error naming the image when its file, its landmark row or its spacing is missing
 */
export default async function loadRefinerSamples(
  o: RefinerLoadOptions,
): Promise<{ samples: RefinerSample[]; spacingMm?: number[] }> {
  const files = await listImages(o.imagesDir);
  const byKey = new Map([...files].map(([id, file]) => [normaliseImageId(id), { id, file }]));
  const rows = new Map([...o.landmarks].map(([id, shape]) => [normaliseImageId(id), shape]));
  const samples: RefinerSample[] = [];
  let firstSpacing: number[] | undefined;
  for (const [k, wanted] of o.ids.entries()) {
    const found = byKey.get(normaliseImageId(wanted));
    if (!found) throw new Error(`image "${wanted}": no .jpg/.png/.dcm file in ${o.imagesDir}`);
    const landmarks = rows.get(normaliseImageId(wanted));
    if (!landmarks) throw new Error(`image "${wanted}": no row in the landmark table`);
    const { image, spacingMm } = await readImage(found.file);
    const spacing = spacingMm ?? o.spacingMm;
    if (!spacing)
      throw new Error(`image "${found.id}": no pixel spacing in the file; pass --spacing <mm>`);
    firstSpacing ??= [...spacing];
    await o.onOriginal?.(found.id, image, spacing);
    samples.push({
      id: found.id,
      image: prepareRefinerImage(image, spacing, o.mmPerPixel, `image "${found.id}"`),
      landmarks,
    });
    o.onImage?.(k + 1, o.ids.length, found.id);
  }
  return { samples, spacingMm: firstSpacing };
}
