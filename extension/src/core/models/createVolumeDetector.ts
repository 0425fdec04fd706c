/**
 * A landmark detector over a trained 3D network (tfjs-models style, the volume counterpart of
 * createDetector): `detect(volume)` resamples the volume into the network input with its physical
 * aspect kept, predicts heatmaps, takes integral coordinates (Eq. 2, or near each map's maximum: `decoding`) and maps them back to ORIGINAL
 * voxels.
 */
import type * as tf from '@tensorflow/tfjs';
import letterboxVolume from '../data/letterboxVolume.ts';
import { toOriginalPixels } from '../data/computeLetterbox.ts';
import type { GrayVolume } from '../data/types.ts';
import predictCoordinates, { type HeatmapDecoding } from '../selfTraining/predictCoordinates.ts';

export interface VolumeLandmarkDetector {
  /**
   * n × 3 landmark coordinates (x, y, z) in the volume's original voxels (continuous, voxel i covering
   * [i, i+1); multiply by the spacing for millimetres from the volume's corner). Throws rather than
   * return a non-finite coordinate.
   */
  detect(volume: GrayVolume): Promise<number[][]>;
  /** Frees the network's weights. The detector cannot be used afterwards. */
  dispose(): void;
  /** No state between calls; kept for API symmetry with tfjs-models detectors. */
  reset(): void;
}

/**
 * Wraps a 3D heatmap network (ownership passes to the detector).
 * @param inputShape the network's input [D, H, W], voxels
 */
export default function createVolumeDetector(
  model: tf.LayersModel,
  inputShape: number[],
  decoding: HeatmapDecoding = {},
): VolumeLandmarkDetector {
  if (inputShape.length !== 3)
    throw new Error(`volume detector: input shape [${inputShape}] is not [D, H, W]`);
  const modelShape = model.inputs[0]!.shape.slice(1, -1);
  if (modelShape.join() !== inputShape.join())
    throw new Error(`volume detector: the network takes [${modelShape}], not [${inputShape}]`);
  let disposed = false;
  return {
    async detect(volume) {
      if (disposed) throw new Error('detector was disposed');
      const { input, letterbox } = letterboxVolume(volume, inputShape);
      const [coords] = await predictCoordinates(model, [input], inputShape, 1, decoding);
      const out = toOriginalPixels(coords!, letterbox);
      // Never hand NaN to a caller that draws or stores the result.
      if (!out.every((p) => p.every(Number.isFinite)))
        throw new Error('volume detector: prediction is not finite');
      return out;
    },
    dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
    reset() {},
  };
}
