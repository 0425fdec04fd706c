/**
 * Batched inference: network → heatmaps → integral coordinates (Eq. 2, or near each map's maximum for
 * networks trained with the heatmap loss), returned in INPUT pixels (images) or INPUT voxels (volumes).
 */
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../heatmap/integralCoordinates.ts';
import localIntegralCoordinates from '../heatmap/localIntegralCoordinates.ts';
import withHeatmapLogits from '../models/heatmapLogits.ts';
import type { HeatmapTarget } from './types.ts';

/** How maps become coordinates: `localRadius` (cells) takes the integral near the maximum only. */
export interface HeatmapDecoding {
  localRadius?: number;
}

/**
 * The decoding that suits a network's training: the local integral (3σ around the maximum) for peaked
 * maps trained with the heatmap loss; the plain integral for maps trained on the integral L1 alone,
 * whose maximum is noise.
 */
export function decodingFor(heatmapTarget: HeatmapTarget | undefined): HeatmapDecoding {
  return heatmapTarget ? { localRadius: Math.max(2, 3 * heatmapTarget.sigma) } : {};
}

/** Coordinates [B, n, d] (normalised) of a batch of maps, by the given decoding. */
export function decodeHeatmaps(
  heat: tf.Tensor,
  fromLogits: boolean,
  decoding: HeatmapDecoding = {},
): tf.Tensor3D {
  return decoding.localRadius === undefined
    ? integralCoordinates(heat, { fromLogits })
    : localIntegralCoordinates(heat, { fromLogits, radius: decoding.localRadius });
}

/**
 * @param images each of the input size (H × W or D × H × W, x fastest), [0, 1]
 * @param inputShape [H, W] (images) or [D, H, W] (volumes)
 * @returns per image n × 2 (x, y) or per volume n × 3 (x, y, z) coordinates in input pixels/voxels
 *   (continuous, pixel-corner convention)
 */
export default async function predictCoordinates(
  model: tf.LayersModel,
  images: readonly Float32Array[],
  inputShape: number[],
  batchSize = 4,
  decoding: HeatmapDecoding = {},
): Promise<number[][][]> {
  if (inputShape.length !== 2 && inputShape.length !== 3)
    throw new Error(
      `predictCoordinates: input shape [${inputShape}] is neither [H, W] nor [D, H, W]`,
    );
  const voxels = inputShape.reduce((p, v) => p * v, 1);
  const bad = images.findIndex((im) => im.length !== voxels);
  if (bad >= 0) {
    throw new Error(
      `predictCoordinates: input ${bad + 1} has ${images[bad]!.length} values, expected [${inputShape}]`,
    );
  }
  // Sizes along x, y[, z]: the last spatial axis is x.
  const sizes = inputShape.slice().reverse();
  const network = withHeatmapLogits(model);
  const out: number[][][] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const coords = tf.tidy(() => {
      const x = tf.stack(chunk.map((im) => tf.tensor(im, [...inputShape, 1])));
      const heat = network.model.predict(x) as tf.Tensor;
      return decodeHeatmaps(heat, network.fromLogits, decoding).mul(tf.tensor1d(sizes));
    });
    const values = (await coords.array()) as number[][][];
    coords.dispose();
    out.push(...values);
  }
  return out;
}
