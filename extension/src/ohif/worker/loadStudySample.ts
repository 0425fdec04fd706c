/**
 * One study item → a network-ready sample, for either kind: a 2D image (WADO-RS rendered PNG,
 * letterboxed, labels in original pixels) or a CT/CBCT volume (WADO-RS frames, assembled, letterboxed in
 * 3D, labels converted from patient mm to original voxels). Also says how the sample's ORIGINAL
 * coordinates map to millimetres (shape regulation) and to the frame the results are stored in (2D:
 * original pixels; volumes: patient mm, as SCOORD3D).
 */
import prepareSample from '../../core/data/prepareSample.ts';
import prepareVolumeSample from '../../core/data/prepareVolumeSample.ts';
import type { GrayImage, TrainingSample, VolumeSample } from '../../core/data/types.ts';
import type { PacsClient } from '../../pacs/pacsClient.ts';
import loadVolumeItem, { pacsClientFor } from '../volume/loadVolumeItem.ts';
import { patientToVoxels, voxelsToPatient } from '../volume/patientVoxels.ts';
import loadRenderedImage from './loadRenderedImage.ts';
import { isVolumeItem, type PacsRoots, type StudyItem } from './protocol.ts';

/** A prepared sample with the mappings of its original coordinates. */
export interface LoadedSample {
  sample: TrainingSample | VolumeSample;
  /** Images, with `keepImage`: the original image (the refiner cuts its patches from it). */
  image?: GrayImage;
  /** Millimetres per ORIGINAL pixel/voxel along x, y[, z]. */
  spacingMm: number[];
  /** Original pixels/voxels (n × 2 or n × 3) → the frame results are stored in. */
  toResult(points: number[][]): number[][];
  /** Volumes: the series' Frame of Reference UID (the 3D SR's frame). */
  frameOfReferenceUid?: string;
}

/**
 * Loads items one at a time (a DICOMweb client is made on the first volume).
 * @param inputShape network input: [H, W] for images, [D, H, W] for volumes
 * @param makeClient the DICOMweb client for volumes (default: the product's client on the roots)
 * @param options.keepImage images: keep the original image with the sample (the refiner's patches; not
 *   for training sets, an original cephalogram is some 18 MB of floats)
 */
export function sampleLoader(
  roots: PacsRoots,
  inputShape: readonly number[],
  makeClient: (roots: PacsRoots) => Promise<PacsClient> = pacsClientFor,
  options: { keepImage?: boolean } = {},
): (item: StudyItem) => Promise<LoadedSample> {
  let client: Promise<PacsClient> | undefined;
  return async (item) => {
    if (!isVolumeItem(item)) {
      const image = await loadRenderedImage(roots.wadoRoot, roots.headers, item);
      return {
        sample: prepareSample(item.sopUid, image, [...inputShape], item.spacingMm, item.landmarks),
        ...(options.keepImage ? { image } : {}),
        spacingMm: item.spacingMm,
        toResult: (points) => points,
      };
    }
    if (inputShape.length !== 3)
      throw new Error(`series ${item.seriesUid}: a volume needs a 3D network, not [${inputShape}]`);
    client ??= makeClient(roots);
    const volume = await loadVolumeItem(await client, item);
    const landmarks = item.landmarks && patientToVoxels(item.landmarks, volume);
    return {
      sample: prepareVolumeSample(item.seriesUid, volume, inputShape, landmarks),
      spacingMm: volume.spacingMm,
      toResult: (points) => voxelsToPatient(points, volume),
      ...(volume.frameOfReferenceUid ? { frameOfReferenceUid: volume.frameOfReferenceUid } : {}),
    };
  };
}

/** Loads `items` in order, calling `progress` after each. */
export async function loadSamples(
  load: (item: StudyItem) => Promise<LoadedSample>,
  items: readonly StudyItem[],
  progress: () => void,
): Promise<LoadedSample[]> {
  const out: LoadedSample[] = [];
  for (const item of items) {
    out.push(await load(item));
    progress();
  }
  return out;
}
