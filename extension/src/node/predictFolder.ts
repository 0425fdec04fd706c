/**
 * Node driver of `landmarks predict`: loads a model folder and predicts the landmarks of each image
 * (core/inference/createLandmarkPredictor: refiner and shape review when the folder has them), with a
 * progress bar. Coordinates are original pixels. Volumes go to predictVolumeFolder.
 */
import createLandmarkPredictor from '../core/inference/createLandmarkPredictor.ts';
import type { LandmarkReview } from '../core/inference/reviewLandmarks.ts';
import { parseShapeModel } from '../core/shape/serialiseShapeModel.ts';
import { predictEach, type ItemFailure } from './folderItems.ts';
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
  failed: ItemFailure[];
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
  const landmarks = new Map<string, number[][]>();
  const reviews = new Map<string, LandmarkReview[]>();
  try {
    const failed = await predictEach(
      ids,
      await listImages(imagesDir),
      {
        kind: 'image',
        label: `predict${refined ? ' + refine' : ''}`,
        missing: () => `no .jpg/.png/.dcm file in ${imagesDir}`,
      },
      async (id, file) => {
        const { image, spacingMm } = await readImage(file);
        const spacing =
          spacingMm ??
          options.spacingMm ??
          metadata.training.spacingMm ??
          refined?.metadata.training?.spacingMm;
        if (refined && !spacing)
          throw new Error('no pixel spacing for the refiner; pass --spacing <mm>');
        const result = await predictor.predict(image, spacing, `image "${id}"`);
        landmarks.set(id, result.landmarksPx);
        if (result.reviews) reviews.set(id, result.reviews);
      },
    );
    return { landmarks, reviews, landmarkNames: metadata.landmarkNames, failed };
  } finally {
    predictor.dispose();
  }
}
