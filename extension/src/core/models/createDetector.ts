/**
 * A landmark detector over a trained 2D network (tfjs-models style): `detect(image)` letterboxes the
 * image, predicts heatmaps, takes integral coordinates (Eq. 2, or near each map's maximum: `decoding`) and maps them back to ORIGINAL pixels.
 */
import type * as tf from '@tensorflow/tfjs';
import letterboxImage from '../data/letterboxImage.ts';
import { toOriginalPixels } from '../data/computeLetterbox.ts';
import type { GrayImage } from '../data/types.ts';
import predictCoordinates, { type HeatmapDecoding } from '../selfTraining/predictCoordinates.ts';

export interface LandmarkDetector {
  /** n × 2 landmark coordinates (x, y) in the image's original pixels (continuous, pixel-corner convention). */
  detect(image: GrayImage): Promise<number[][]>;
  /** Frees the network's weights. The detector cannot be used afterwards. */
  dispose(): void;
  /** No state between calls; kept for API symmetry with tfjs-models detectors. */
  reset(): void;
}

/** Wraps `model` (ownership passes to the detector). */
export default function createDetector(
  model: tf.LayersModel,
  inputShape: number[],
  decoding: HeatmapDecoding = {},
): LandmarkDetector {
  let disposed = false;
  return {
    async detect(image) {
      if (disposed) throw new Error('detector was disposed');
      const { input, letterbox } = letterboxImage(image, inputShape);
      const [coords] = await predictCoordinates(model, [input], inputShape, 1, decoding);
      const out = toOriginalPixels(coords!, letterbox);
      // Never hand NaN to a caller that draws or stores the result.
      if (!out.every((p) => p.every(Number.isFinite)))
        throw new Error('detector: prediction is not finite');
      return out;
    },
    dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
    reset() {},
  };
}
