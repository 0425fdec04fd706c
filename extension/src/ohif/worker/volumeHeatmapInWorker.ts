/**
 * The volume heatmap overlay's request: load the displayed CT/CBCT series as training and
 * pseudo-labelling load it (volume/loadVolumeItem.ts, then the 3D letterbox of
 * core/data/prepareVolumeSample.ts), predict it with the stored 3D model, and return the overlay map on
 * the network's grid [D, H, W] (max over landmarks, or one landmark; 0 over the letterbox padding), the
 * grid ↔ patient maps, and the per-landmark confidence (3D services/heatmapConfidence.ts).
 */
import prepareVolumeSample from '../../core/data/prepareVolumeSample.ts';
import type { VolumeLetterbox } from '../../core/data/types.ts';
import heatmapConfidence from '../../core/heatmap/heatmapConfidence.ts';
import heatmapOverlayMap, { type CellRegion } from '../services/heatmapOverlayMap.ts';
import { applyAffine, gridToPatient, patientToGrid } from '../services/volumeHeatmapGrid.ts';
import { peakCell } from '../services/volumeHeatmapPlane.ts';
import loadVolumeItem, { pacsClientFor } from '../volume/loadVolumeItem.ts';
import { inferenceBackend, type Post } from './backend.ts';
import { loadNetwork } from './browserModelStore.ts';
import { noModelError } from '../services/modelLibrary.ts';
import predictHeatmaps from '../../core/inference/predictHeatmaps.ts';
import type { VolumeHeatmapRequest, VolumeHeatmapResult } from './protocol.ts';

/** The grid cells over the volume (input voxels): the letterbox padding around it means nothing. */
function volumeRegion(
  box: VolumeLetterbox,
  size: { width: number; height: number; depth: number },
): CellRegion {
  return {
    x0: box.offsetX,
    x1: box.offsetX + size.width * box.scaleX,
    y0: box.offsetY,
    y1: box.offsetY + size.height * box.scaleY,
    z0: box.offsetZ,
    z1: box.offsetZ + size.depth * box.scaleZ,
  };
}

export async function volumeHeatmap(
  req: VolumeHeatmapRequest,
  post: Post,
): Promise<VolumeHeatmapResult> {
  const t0 = performance.now();
  await inferenceBackend(req.backends, post);
  const { model, info } = await loadNetwork(req.templateId, () =>
    noModelError(req.templateId, req.templateLabel),
  );
  const inputShape = info.metadata.network.inputShape;
  if (inputShape.length !== 3)
    throw new Error(
      `series ${req.item.seriesUid}: the "${req.templateLabel}" model is a 2D (image) model; the volume heatmap needs a 3D model`,
    );
  const volume = await loadVolumeItem(await pacsClientFor(req), req.item);
  const sample = prepareVolumeSample(req.item.seriesUid, volume, inputShape);
  const t1 = performance.now();
  const p = await predictHeatmaps(model, sample.image);
  const predictMs = performance.now() - t1;
  const dims = p.shape.slice(0, 3) as [number, number, number];
  const region = volumeRegion(sample.letterbox, volume);
  const map = heatmapOverlayMap(p.heat, p.shape, req.landmark, region);
  const toPatient = gridToPatient(sample.letterbox, volume);
  const result: VolumeHeatmapResult = {
    studyUid: req.item.studyUid,
    seriesUid: req.item.seriesUid,
    map,
    dims,
    volumeBox: {
      lo: [region.x0, region.y0, region.z0!],
      hi: [region.x1, region.y1, region.z1!],
    },
    gridToPatient: toPatient,
    patientToGrid: patientToGrid(sample.letterbox, volume),
    voxelMm: sample.spacingMm.slice(0, 3) as [number, number, number],
    peakPatient: applyAffine(toPatient, peakCell(map, dims)),
    confidence: heatmapConfidence(p.heat, p.shape, sample.spacingMm),
    ms: performance.now() - t0,
    predictMs,
  };
  post({ type: 'volume-heatmap', result });
  return result;
}
