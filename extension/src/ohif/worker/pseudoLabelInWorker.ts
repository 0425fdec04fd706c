/**
 * Pseudo-labelling in the worker (paper Eq. 7): predict each unannotated image, map the prediction back
 * to original pixels, regulate it in mm with the shape model, and attach the per-landmark heatmap
 * confidence. Runs after training, or alone with the stored (e.g. imported) model.
 */
import type * as tf from '@tensorflow/tfjs';
import { toOriginalPixels } from '../../core/data/computeLetterbox.ts';
import prepareSample from '../../core/data/prepareSample.ts';
import type { TrainingSample } from '../../core/data/types.ts';
import {
  fitShapeModel,
  MIN_TRAINING_SHAPES,
  parseShapeModel,
  regulateShape,
  type ShapeModel,
} from '../../core/shape/index.ts';
import heatmapConfidence from '../services/heatmapConfidence.ts';
import type { ModelInfo } from '../services/modelBundle.ts';
import { inferenceBackend, type Post } from './backend.ts';
import { loadCurrentNetwork } from './browserModelStore.ts';
import loadRenderedImage from './loadRenderedImage.ts';
import predictHeatmaps from './predictHeatmaps.ts';
import type { ImageItem, PseudoLabelRequest, PseudoLabelResult } from './protocol.ts';

/** Pseudo label of one prepared image. */
export async function pseudoLabelOne(
  model: tf.LayersModel,
  sample: TrainingSample,
  item: ImageItem,
  shapeModel: ShapeModel,
): Promise<PseudoLabelResult> {
  const p = await predictHeatmaps(model, sample.image);
  const predicted = toOriginalPixels(p.coords, sample.letterbox);
  const [sx, sy] = item.spacingMm;
  const c = heatmapConfidence(p.heat, p.shape, [sample.spacingMm[0]!, sample.spacingMm[1]!]);
  const r = regulateShape(
    shapeModel,
    predicted.map(([x, y]) => [x! * sx, y! * sy]),
  );
  return {
    item,
    predicted,
    adjusted: r.beta.map(([x, y]) => [x! / sx, y! / sy]),
    abnormal: r.abnormal,
    deviationMm: r.deviationMm,
    mahalanobis: r.mahalanobis,
    confidence: c.map((l) => l.confidence),
    spreadMm: c.map((l) => l.spreadMm),
  };
}

/** The model's shape model, or one fitted on the annotated studies (mm) when it has none. */
export function shapeModelFor(info: ModelInfo, labelled: readonly ImageItem[]): ShapeModel {
  if (info.shapeModel) return parseShapeModel(info.shapeModel, { source: 'the model' });
  const shapes = labelled
    .filter((i) => i.landmarks?.length === info.metadata.landmarkNames.length)
    .filter((i) => i.landmarks!.every((p) => p.every(Number.isFinite)))
    .map((i) => i.landmarks!.map(([x, y]) => [x! * i.spacingMm[0], y! * i.spacingMm[1]]));
  if (shapes.length < MIN_TRAINING_SHAPES) {
    throw new Error(
      `the model has no shape model and the PACS has ${shapes.length} complete annotations ` +
        `with its ${info.metadata.landmarkNames.length} landmarks (at least ${MIN_TRAINING_SHAPES} needed)`,
    );
  }
  return fitShapeModel(shapes, { landmarkNames: info.metadata.landmarkNames });
}

/** Pseudo-labels `req.items` with the stored model; posts each result as soon as it is ready. */
export async function pseudoLabel(
  req: PseudoLabelRequest,
  post: Post,
  signal: AbortSignal,
): Promise<void> {
  await inferenceBackend(req.backends, post);
  const { model, info } = await loadCurrentNetwork();
  const shapeModel = shapeModelFor(info, req.labelled);
  post({ type: 'stage', stage: 'pseudo-label' });
  const inputShape = info.metadata.network.inputShape;
  const results: PseudoLabelResult[] = [];
  const t0 = performance.now();
  for (const item of req.items) {
    if (signal.aborted) break;
    const image = await loadRenderedImage(req.wadoRoot, req.headers, item);
    const sample = prepareSample(item.sopUid, image, inputShape, item.spacingMm);
    const result = await pseudoLabelOne(model, sample, item, shapeModel);
    results.push(result);
    post({ type: 'pseudo-labelled', result, done: results.length, total: req.items.length });
  }
  post({
    type: 'done',
    status: signal.aborted ? 'cancelled' : 'completed',
    results: [],
    msPerStep: 0,
    pseudoLabelMsPerImage: results.length ? (performance.now() - t0) / results.length : 0,
    model: info,
  });
}
