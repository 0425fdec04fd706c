/**
 * Pseudo-labelling in the worker (paper Eq. 7), for 2D images and volumes alike: predict each
 * unannotated item, map the prediction back to original pixels/voxels, regulate it in mm with the shape
 * model, and return X_α and X_β in the frame the SR stores (2D: original pixels; volumes: patient mm),
 * with the per-landmark heatmap confidence and spread (2D and 3D maps). Images with a model that has a
 * coarse-to-fine refiner: the reviewed points are refined as `landmarks predict` does
 * (core/inference/createLandmarkPredictor.ts reviewAndRefine); the review's flags, X_β and deviations
 * stay those of the review. Runs after training, or alone with the stored (e.g. imported) model.
 */
import type * as tf from '@tensorflow/tfjs';
import { toOriginalPixels } from '../../core/data/computeLetterbox.ts';
import {
  fitShapeModel,
  MIN_TRAINING_SHAPES,
  parseShapeModel,
  regulateShape,
  type RegulateOptions,
  type ShapeModel,
} from '../../core/shape/index.ts';
import type { ModelInfo } from '../services/modelBundle.ts';
import { inferenceBackend, type Post } from './backend.ts';
import { loadNetwork, refinerNote } from './browserModelStore.ts';
import { reviewAndRefine } from '../../core/inference/createLandmarkPredictor.ts';
import type { LandmarkRefiner } from '../../core/refinement/createRefiner.ts';
import { noModelError } from '../services/modelLibrary.ts';
import { sampleLoader, type LoadedSample } from './loadStudySample.ts';
import predictHeatmaps from '../../core/inference/predictHeatmaps.ts';
import { decodingFor, type HeatmapDecoding } from '../../core/selfTraining/predictCoordinates.ts';
import predictionConfidence from './predictionConfidence.ts';
import {
  isVolumeItem,
  type PseudoLabelRequest,
  type PseudoLabelResult,
  type StudyItem,
} from './protocol.ts';

/**
 * The abnormal threshold Z: the paper's 2 mm for images; two INPUT voxels for volumes (as the CLI),
 * whose input voxels are several mm.
 */
export function regulateOptions(inputSpacingMm: readonly number[]): RegulateOptions {
  return inputSpacingMm.length === 3
    ? { abnormalThresholdMm: 2 * Math.max(...inputSpacingMm) }
    : {};
}

/**
 * Pseudo label of one loaded item.
 * @param refiner images: the model's refiner, applied to the reviewed points
 */
export async function pseudoLabelOne(
  model: tf.LayersModel,
  loaded: LoadedSample,
  item: StudyItem,
  shapeModel: ShapeModel,
  decoding: HeatmapDecoding = {},
  refiner?: LandmarkRefiner,
): Promise<PseudoLabelResult> {
  const { sample, spacingMm, toResult, frameOfReferenceUid } = loaded;
  const p = await predictHeatmaps(model, sample.image, decoding);
  let predicted = toOriginalPixels(p.coords, sample.letterbox);
  // Images: the robust review (core/inference/reviewPrediction.ts) re-reads the landmarks the others
  // disagree with and flags them, with those whose heatmap has little mass at the point; then the
  // refiner (if any) on the reviewed points, as `landmarks predict`.
  const reviewed =
    spacingMm.length === 2
      ? await reviewAndRefine(p, predicted, sample.letterbox, spacingMm, shapeModel, {
          ...(refiner ? { refiner, image: loaded.image } : {}),
          label: `image ${item.sopUid}`,
        })
      : undefined;
  const review = reviewed?.review;
  if (review) predicted = review.landmarksPx;
  // A prediction that is no shape of the model has no robust fit: X_β and the deviation stay the paper's.
  const robust = review && !review.implausible ? review : undefined;
  const r = regulateShape(
    shapeModel,
    predicted.map((q) => q.map((v, a) => v * spacingMm[a]!)),
    regulateOptions(sample.spacingMm),
  );
  return {
    item: isVolumeItem(item) && frameOfReferenceUid ? { ...item, frameOfReferenceUid } : item,
    // The refined points (finite: refineLandmarks keeps a non-finite output at the reviewed point).
    predicted: toResult(reviewed ? reviewed.landmarksPx : predicted),
    // Images: X_β is the robust shape fit and the deviation the network's point's distance from it
    // (with all modes kept, the paper's X_β follows the prediction and its deviation reads 0 mm).
    adjusted: toResult(
      robust ? robust.fittedPx : r.beta.map((q) => q.map((v, a) => v / spacingMm[a]!)),
    ),
    abnormal: review ? review.reviews.map((x) => x.flagged) : r.abnormal,
    ...(review ? { flagReasons: review.reviews.map((x) => x.reasons) } : {}),
    deviationMm: robust ? robust.reviews.map((x) => x.robustDeviationMm) : r.deviationMm,
    mahalanobis: r.mahalanobis,
    ...predictionConfidence(p, sample.spacingMm),
  };
}

/** An annotated item's shape in mm (2D: pixels × spacing; volumes: patient mm), if complete. */
function shapeMm(item: StudyItem, n: number): number[][] | undefined {
  const l = item.landmarks;
  if (l?.length !== n || !l.every((p) => p.every(Number.isFinite))) return undefined;
  return isVolumeItem(item)
    ? l
    : l.map(([x, y]) => [x! * item.spacingMm[0], y! * item.spacingMm[1]]);
}

/** The model's shape model, or one fitted on the annotated studies (mm) when it has none. */
export function shapeModelFor(info: ModelInfo, labelled: readonly StudyItem[]): ShapeModel {
  if (info.shapeModel) return parseShapeModel(info.shapeModel, { source: 'the model' });
  const n = info.metadata.landmarkNames.length;
  const shapes = labelled.map((i) => shapeMm(i, n)).filter((s): s is number[][] => !!s);
  if (shapes.length < MIN_TRAINING_SHAPES) {
    throw new Error(
      `the model has no shape model and the PACS has ${shapes.length} complete annotations ` +
        `with its ${n} landmarks (at least ${MIN_TRAINING_SHAPES} needed)`,
    );
  }
  return fitShapeModel(shapes, { landmarkNames: info.metadata.landmarkNames });
}

/** Pseudo-labels `req.items` with the template's stored model; posts each result as soon as it is ready. */
export async function pseudoLabel(
  req: PseudoLabelRequest,
  post: Post,
  signal: AbortSignal,
): Promise<void> {
  await inferenceBackend(req.backends, post);
  const { model, info, refiner } = await loadNetwork(req.templateId, () =>
    noModelError(req.templateId, req.templateLabel),
  );
  const shapeModel = shapeModelFor(info, req.labelled);
  post({ type: 'stage', stage: 'pseudo-label' });
  // The original image stays with each sample only when the refiner needs it (one item at a time).
  const load = sampleLoader(req, info.metadata.network.inputShape, undefined, {
    keepImage: !!refiner.refiner,
  });
  let done = 0;
  const t0 = performance.now();
  for (const item of req.items) {
    if (signal.aborted) break;
    const result = await pseudoLabelOne(
      model,
      await load(item),
      item,
      shapeModel,
      decodingFor(info.metadata.training.heatmapTarget),
      refiner.refiner,
    );
    post({ type: 'pseudo-labelled', result, done: ++done, total: req.items.length });
  }
  post({
    type: 'done',
    status: signal.aborted ? 'cancelled' : 'completed',
    results: [],
    msPerStep: 0,
    pseudoLabelMsPerImage: done ? (performance.now() - t0) / done : 0,
    model: info,
    ...(info.refiner ? { refiner: refinerNote(info, refiner) } : {}),
  });
}
