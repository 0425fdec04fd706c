/**
 * The whole 2D prediction of a trained model folder (tfjs-models style: `predict(image, spacingMm)`):
 * letterbox → heatmaps → points (decoded as the network was trained) → review against the model's
 * shape model (robust outliers re-read from their heatmap near the fit of the others, the paper's
 * deviation, the heatmap confidence, the review flag) → coarse-to-fine refiner on the reviewed points
 * (when the model has one). The review's flags describe the points before refinement.
 * {@link reviewAndRefine} is the part after the network, shared with the viewer's pseudo-labelling
 * (ohif/worker/pseudoLabelInWorker.ts), which letterboxes and predicts the image itself.
 */
import type * as tf from '@tensorflow/tfjs';
import { toOriginalPixels } from '../data/computeLetterbox.ts';
import letterboxImage from '../data/letterboxImage.ts';
import type { GrayImage, Letterbox } from '../data/types.ts';
import type { LandmarkModelMetadata } from '../models/landmarkModelMetadata.ts';
import type { LandmarkRefiner } from '../refinement/createRefiner.ts';
import { decodingFor } from '../selfTraining/predictCoordinates.ts';
import type { ShapeModel } from '../shape/types.ts';
import predictHeatmaps, { type Prediction } from './predictHeatmaps.ts';
import reviewPrediction from './reviewPrediction.ts';
import type { LandmarkReview, ReviewThresholds } from './reviewLandmarks.ts';

export interface PredictorConfig {
  model: tf.LayersModel;
  metadata: LandmarkModelMetadata;
  shapeModel?: ShapeModel;
  refiner?: LandmarkRefiner;
  thresholds?: Partial<ReviewThresholds>;
}

export interface PredictedLandmarks {
  /** Final points, n × 2 original pixels (pixel-corner convention). */
  landmarksPx: number[][];
  /** The network's own points before refinement and review, original pixels. */
  coarsePx: number[][];
  /** Per landmark; absent without a shape model or a pixel spacing. */
  reviews?: LandmarkReview[];
}

export interface LandmarkPredictor {
  /** @param spacingMm mm per original pixel (x, y); needed for the refiner and the review */
  predict(image: GrayImage, spacingMm?: number[], label?: string): Promise<PredictedLandmarks>;
  /** Frees the network (and refiner) weights. */
  dispose(): void;
}

/** The review's result (reviewPrediction) and the final points. */
export interface ReviewedAndRefined {
  /** Final points: the reviewed ones, refined when there is a refiner; original pixels. */
  landmarksPx: number[][];
  /** The review (its points are before refinement, its flags describe them). */
  review: ReturnType<typeof reviewPrediction>;
}

/**
 * The steps after the network for an image with a pixel spacing and a shape model: the robust review of
 * the network's points, then the refiner on the reviewed points (patches cut from the ORIGINAL image).
 * @param coarsePx the network's points, original pixels
 * @param options.image the original image: the refiner cuts its patches from it (needed with a refiner)
 */
export async function reviewAndRefine(
  heat: Pick<Prediction, 'heat' | 'shape'>,
  coarsePx: readonly (readonly number[])[],
  letterbox: Letterbox,
  spacingMm: readonly number[],
  shapeModel: ShapeModel,
  options: {
    refiner?: LandmarkRefiner;
    image?: GrayImage;
    thresholds?: Partial<ReviewThresholds>;
    label?: string;
  } = {},
): Promise<ReviewedAndRefined> {
  const { refiner, image, label = 'image' } = options;
  if (refiner && !image) throw new Error(`${label}: the refiner needs the original image`);
  const review = reviewPrediction(heat, coarsePx, letterbox, spacingMm, shapeModel, {
    thresholds: options.thresholds,
    label,
  });
  // Refined after the review: a landmark the network put on another structure is first re-read
  // near the shape of the others, so its patch is cut where the landmark is.
  const landmarksPx =
    refiner && image
      ? await refiner.refine(image, spacingMm, review.landmarksPx, label)
      : review.landmarksPx;
  return { landmarksPx, review };
}

export default function createLandmarkPredictor(config: PredictorConfig): LandmarkPredictor {
  const { model, metadata, shapeModel, refiner } = config;
  const inputShape = metadata.network.inputShape;
  if (inputShape.length !== 2)
    throw new Error(`predictor: a 2D network is needed, got input [${inputShape}]`);
  const decoding = decodingFor(metadata.training.heatmapTarget);
  return {
    async predict(image, spacingMm, label = 'image') {
      const { input, letterbox } = letterboxImage(image, inputShape, label);
      const heat = await predictHeatmaps(model, input, decoding);
      const coarsePx = toOriginalPixels(heat.coords, letterbox);
      if (!coarsePx.flat().every(Number.isFinite))
        throw new Error(`${label}: prediction is not finite`);
      if (!spacingMm) return { landmarksPx: coarsePx, coarsePx };
      if (!shapeModel) {
        const refinedPx = refiner
          ? await refiner.refine(image, spacingMm, coarsePx, label)
          : coarsePx;
        return { landmarksPx: refinedPx, coarsePx };
      }
      const { landmarksPx, review } = await reviewAndRefine(
        heat,
        coarsePx,
        letterbox,
        spacingMm,
        shapeModel,
        { refiner, image, thresholds: config.thresholds, label },
      );
      return { landmarksPx, reviews: review.reviews, coarsePx };
    },
    dispose() {
      model.dispose();
      refiner?.dispose();
    },
  };
}
