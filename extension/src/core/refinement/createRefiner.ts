/**
 * A refiner over a trained patch network (tfjs-models style): `refine(image, spacingMm, coarse)` prepares
 * the original image (prepareRefinerImage) and runs refineLandmarks. Ownership of the model passes to
 * the refiner.
 */
import type * as tf from '@tensorflow/tfjs';
import type { GrayImage } from '../data/types.ts';
import prepareRefinerImage from './prepareRefinerImage.ts';
import refineLandmarks from './refineLandmarks.ts';
import type { RefinerConfig } from './types.ts';

export interface LandmarkRefiner {
  readonly config: RefinerConfig;
  /**
   * @param image original image
   * @param spacingMm millimetres per original pixel (x, y)
   * @param coarse n × 2 coarse landmarks, original pixels
   * @returns n × 2 refined landmarks, original pixels (finite)
   */
  refine(
    image: GrayImage,
    spacingMm: readonly number[],
    coarse: readonly (readonly number[])[],
    name?: string,
  ): Promise<number[][]>;
  /** Frees the network's weights. */
  dispose(): void;
}

/** Wraps a trained patch network described by `config` (validated by the caller). */
export default function createRefiner(
  model: tf.LayersModel,
  config: RefinerConfig,
): LandmarkRefiner {
  let disposed = false;
  return {
    config,
    async refine(image, spacingMm, coarse, name = 'image') {
      if (disposed) throw new Error('refiner was disposed');
      const prepared = prepareRefinerImage(image, spacingMm, config.mmPerPixel, name);
      return refineLandmarks(model, prepared, coarse, { ...config, name });
    },
    dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}
