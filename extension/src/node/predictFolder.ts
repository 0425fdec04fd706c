/**
 * Node driver of `landmarks predict`: loads a model folder and detects landmarks on each image, with a
 * progress bar. When the folder holds a refiner (`<model>/refiner/`), each coarse estimate is refined on
 * the original image (coarse-to-fine). Coordinates are original pixels.
 */
import progressBar from './progressBar.ts';
import { normaliseImageId } from '../core/data/landmarkTable.ts';
import createDetector from '../core/models/createDetector.ts';
import { listImages, readImage } from './imageFolder.ts';
import { loadLandmarkModel } from './modelStore.ts';
import predictVolumeFolder from './predictVolumeFolder.ts';
import { folderKind } from './volumeFolder.ts';
import { loadRefiner } from './refinerStore.ts';

export interface PredictOptions {
  /** mm per original pixel for the refiner; DICOM spacing wins, then this, then the training spacing. */
  spacingMm?: number[];
  /** Skip the refiner even when the model folder has one. */
  noRefine?: boolean;
}

/** @returns image id → n × 2 landmarks in original pixels, in the order of `ids` */
export default async function predictFolder(
  modelDir: string,
  imagesDir: string,
  ids: readonly string[],
  options: PredictOptions = {},
): Promise<Map<string, number[][]>> {
  if ((await folderKind(imagesDir)) === 'volume')
    return predictVolumeFolder(modelDir, imagesDir, ids);
  const { model, metadata } = await loadLandmarkModel(modelDir);
  const detector = createDetector(model, metadata.network.inputShape);
  const refined = options.noRefine
    ? undefined
    : await loadRefiner(modelDir).catch((error) => {
        detector.dispose();
        throw error;
      });
  const files = await listImages(imagesDir);
  const byKey = new Map([...files].map(([id, file]) => [normaliseImageId(id), { id, file }]));
  const bar = progressBar(`predict${refined ? ' + refine' : ''}`);
  const out = new Map<string, number[][]>();
  bar.start(ids.length, 0, { info: '' });
  try {
    for (const wanted of ids) {
      const found = byKey.get(normaliseImageId(wanted));
      if (!found) throw new Error(`image "${wanted}": no .jpg/.png/.dcm file in ${imagesDir}`);
      const { image, spacingMm } = await readImage(found.file);
      let landmarks = await detector.detect(image);
      if (refined) {
        const spacing = spacingMm ?? options.spacingMm ?? refined.metadata.training?.spacingMm;
        if (!spacing)
          throw new Error(
            `image "${found.id}": no pixel spacing for the refiner; pass --spacing <mm>`,
          );
        landmarks = await refined.refiner.refine(image, spacing, landmarks, `image "${found.id}"`);
      }
      if (landmarks.some((p) => !p.every(Number.isFinite)))
        throw new Error(`image "${found.id}": prediction is not finite`);
      out.set(found.id, landmarks);
      bar.increment(1, { info: found.id });
    }
  } finally {
    bar.stop();
    detector.dispose();
    refined?.refiner.dispose();
  }
  return out;
}
