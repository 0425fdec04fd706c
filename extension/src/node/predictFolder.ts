/**
 * Node driver of `landmarks predict`: loads a model folder and predicts the landmarks of each image
 * (core/inference/createLandmarkPredictor: refiner and shape review when the folder has them), with a
 * progress bar. Coordinates are original pixels. Volumes go to predictVolumeFolder.
 */
import progressBar from './progressBar.ts';
import { normaliseImageId } from '../core/data/landmarkTable.ts';
import createLandmarkPredictor from '../core/inference/createLandmarkPredictor.ts';
import type { LandmarkReview } from '../core/inference/reviewLandmarks.ts';
import { parseShapeModel } from '../core/shape/serialiseShapeModel.ts';
import { listImages, readImage } from './imageFolder.ts';
import { loadLandmarkModel } from './modelStore.ts';
import predictVolumeFolder from './predictVolumeFolder.ts';
import { folderKind } from './volumeFolder.ts';
import { loadRefiner } from './refinerStore.ts';

export interface PredictOptions {
  /** mm per original pixel; DICOM spacing wins, then this, then the model's training spacing. */
  spacingMm?: number[];
  /** Skip the refiner even when the model folder has one. */
  noRefine?: boolean;
  /** Skip the shape review: the network's (and refiner's) points as they are, no reviews. */
  noReview?: boolean;
}

export interface FolderPrediction {
  /** image id → n × d landmarks in original pixels, in the order of the ids */
  landmarks: Map<string, number[][]>;
  /** image id → per-landmark review (2D images with a spacing and a shape model only) */
  reviews: Map<string, LandmarkReview[]>;
  landmarkNames: string[];
  /** Images that could not be predicted, with the reason; the others are still predicted. */
  failed: { id: string; reason: string }[];
}

export default async function predictFolder(
  modelDir: string,
  imagesDir: string,
  ids: readonly string[],
  options: PredictOptions = {},
): Promise<FolderPrediction> {
  if ((await folderKind(imagesDir)) === 'volume') {
    const { landmarks, failed } = await predictVolumeFolder(modelDir, imagesDir, ids);
    return { landmarks, reviews: new Map(), landmarkNames: [], failed };
  }
  const { model, metadata, shapeModelJson } = await loadLandmarkModel(modelDir);
  let refined;
  try {
    refined = options.noRefine ? undefined : await loadRefiner(modelDir);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const predictor = createLandmarkPredictor({
    model,
    metadata,
    refiner: refined?.refiner,
    shapeModel:
      shapeModelJson && !options.noReview
        ? parseShapeModel(shapeModelJson, { source: `${modelDir}/shape-model.json` })
        : undefined,
  });
  const files = await listImages(imagesDir);
  const byKey = new Map([...files].map(([id, file]) => [normaliseImageId(id), { id, file }]));
  const bar = progressBar(`predict${refined ? ' + refine' : ''}`);
  const out: FolderPrediction = {
    landmarks: new Map(),
    reviews: new Map(),
    landmarkNames: metadata.landmarkNames,
    failed: [],
  };
  bar.start(ids.length, 0, { info: '' });
  try {
    for (const wanted of ids) {
      const found = byKey.get(normaliseImageId(wanted));
      try {
        if (!found) throw new Error(`image "${wanted}": no .jpg/.png/.dcm file in ${imagesDir}`);
        const { image, spacingMm } = await readImage(found.file);
        const spacing =
          spacingMm ??
          options.spacingMm ??
          metadata.training.spacingMm ??
          refined?.metadata.training?.spacingMm;
        if (refined && !spacing)
          throw new Error(
            `image "${found.id}": no pixel spacing for the refiner; pass --spacing <mm>`,
          );
        const result = await predictor.predict(image, spacing, `image "${found.id}"`);
        out.landmarks.set(found.id, result.landmarksPx);
        if (result.reviews) out.reviews.set(found.id, result.reviews);
      } catch (error) {
        // One bad image is reported and skipped; the others are still predicted.
        out.failed.push({ id: found?.id ?? wanted, reason: (error as Error).message });
      }
      bar.increment(1, { info: found?.id ?? wanted });
    }
  } finally {
    bar.stop();
    predictor.dispose();
  }
  return out;
}
