/**
 * The heatmap overlay's request: predict one displayed image with the template's stored model and return the
 * overlay map at network resolution (max over landmarks, or one landmark), the letterbox that maps it to
 * the image's pixels, and the per-landmark confidence.
 */
import prepareSample from '../../core/data/prepareSample.ts';
import heatmapConfidence from '../../core/heatmap/heatmapConfidence.ts';
import heatmapOverlayMap from '../services/heatmapOverlayMap.ts';
import { inferenceBackend, type Post } from './backend.ts';
import { loadNetwork } from './browserModelStore.ts';
import { noModelError } from '../services/modelLibrary.ts';
import loadRenderedImage from './loadRenderedImage.ts';
import predictHeatmaps from '../../core/inference/predictHeatmaps.ts';
import type { HeatmapRequest, HeatmapResult } from './protocol.ts';

export async function heatmap(req: HeatmapRequest, post: Post): Promise<HeatmapResult> {
  const t0 = performance.now();
  await inferenceBackend(req.backends, post);
  const { model, info } = await loadNetwork(req.templateId, () =>
    noModelError(req.templateId, req.templateLabel),
  );
  if (info.metadata.network.inputShape.length !== 2)
    throw new Error(
      `image ${req.item.sopUid}: the "${req.templateLabel}" model is a 3D (volume) model; open a CT/CBCT volume to see its heatmap`,
    );
  const image = await loadRenderedImage(req.wadoRoot, req.headers, req.item);
  const sample = prepareSample(
    req.item.sopUid,
    image,
    info.metadata.network.inputShape,
    req.item.spacingMm,
  );
  const p = await predictHeatmaps(model, sample.image);
  const shape = p.shape as [number, number, number];
  const box = sample.letterbox;
  // Only the cells over the image (the letterbox padding means nothing).
  const map = heatmapOverlayMap(p.heat, shape, req.landmark, {
    x0: box.offsetX,
    x1: box.offsetX + image.width * box.scaleX,
    y0: box.offsetY,
    y1: box.offsetY + image.height * box.scaleY,
  });
  const result: HeatmapResult = {
    sopUid: req.item.sopUid,
    map,
    width: shape[1],
    height: shape[0],
    letterbox: sample.letterbox,
    imageWidth: image.width,
    imageHeight: image.height,
    confidence: heatmapConfidence(p.heat, shape, [sample.spacingMm[0]!, sample.spacingMm[1]!]),
    ms: performance.now() - t0,
  };
  post({ type: 'heatmap', result });
  return result;
}
