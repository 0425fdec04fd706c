/**
 * The heatmap overlay's request: predict one displayed image with the stored model and return the
 * overlay map at network resolution (max over landmarks, or one landmark), the letterbox that maps it to
 * the image's pixels, and the per-landmark confidence.
 */
import prepareSample from '../../core/data/prepareSample.ts';
import type { Letterbox } from '../../core/data/types.ts';
import heatmapConfidence from '../services/heatmapConfidence.ts';
import heatmapOverlayMap from '../services/heatmapOverlayMap.ts';
import { inferenceBackend, type Post } from './backend.ts';
import { loadCurrentNetwork } from './browserModelStore.ts';
import loadRenderedImage from './loadRenderedImage.ts';
import predictHeatmaps from './predictHeatmaps.ts';
import type { HeatmapRequest, HeatmapResult } from './protocol.ts';

/**
 * A copy of the heatmaps with the letterbox padding (cells whose centre lies outside the image) set to
 * 0, so that the overlay's per-map peak is taken over the image only.
 */
function maskPadding(
  heat: Float32Array,
  [h, w, n]: [number, number, number],
  box: Letterbox,
  imageWidth: number,
  imageHeight: number,
): Float32Array {
  const out = heat.slice();
  const [x0, x1] = [box.offsetX, box.offsetX + imageWidth * box.scaleX];
  const [y0, y1] = [box.offsetY, box.offsetY + imageHeight * box.scaleY];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = x + 0.5 >= x0 && x + 0.5 <= x1 && y + 0.5 >= y0 && y + 0.5 <= y1;
      if (!inside) out.fill(0, (y * w + x) * n, (y * w + x + 1) * n);
    }
  }
  return out;
}

export async function heatmap(req: HeatmapRequest, post: Post): Promise<HeatmapResult> {
  const t0 = performance.now();
  await inferenceBackend(req.backends, post);
  const { model, info } = await loadCurrentNetwork();
  const image = await loadRenderedImage(req.wadoRoot, req.headers, req.item);
  const sample = prepareSample(
    req.item.sopUid,
    image,
    info.metadata.network.inputShape,
    req.item.spacingMm,
  );
  const p = await predictHeatmaps(model, sample.image);
  const map = heatmapOverlayMap(
    maskPadding(p.heat, p.shape, sample.letterbox, image.width, image.height),
    p.shape,
    req.landmark,
  );
  const result: HeatmapResult = {
    sopUid: req.item.sopUid,
    map,
    width: p.shape[1],
    height: p.shape[0],
    letterbox: sample.letterbox,
    imageWidth: image.width,
    imageHeight: image.height,
    confidence: heatmapConfidence(p.heat, p.shape, [sample.spacingMm[0]!, sample.spacingMm[1]!]),
    ms: performance.now() - t0,
  };
  post({ type: 'heatmap', result });
  return result;
}
