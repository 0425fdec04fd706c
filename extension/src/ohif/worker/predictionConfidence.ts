import heatmapConfidence from '../../core/heatmap/heatmapConfidence.ts';
import type { Prediction } from '../../core/inference/predictHeatmaps.ts';
import type { PseudoLabelResult } from './protocol.ts';

/**
 * Per-landmark heatmap confidence (unitless, [0, 1]) and spread (mm) of one prediction, 2D ([H, W, n]
 * maps) or 3D ([D, H, W, n] maps), as a pseudo label carries them (services/heatmapConfidence.ts).
 * heatmapConfidence gives no NaN (an empty or non-finite map: confidence 0, spread Infinity); the SR
 * writer's callers (services/pseudoLabelSet.ts, volume/volumePseudoLabelSet.ts) still drop any
 * non-finite confidence before it reaches the PACS.
 * @param inputSpacingMm millimetres per INPUT pixel/voxel, [x, y] or [x, y, z] (extra axes ignored)
 */
export default function predictionConfidence(
  p: Pick<Prediction, 'heat' | 'shape'>,
  inputSpacingMm: readonly number[],
): Pick<PseudoLabelResult, 'confidence' | 'spreadMm'> {
  const axes = p.shape.length - 1;
  if (inputSpacingMm.length < axes)
    throw new Error(
      `predictionConfidence: ${inputSpacingMm.length} spacings for a ${axes}D heatmap`,
    );
  const c = heatmapConfidence(p.heat, p.shape, inputSpacingMm.slice(0, axes));
  return { confidence: c.map((l) => l.confidence), spreadMm: c.map((l) => l.spreadMm) };
}
