/**
 * One forward pass of the network on one letterboxed image or volume: the heatmaps (channel last) and
 * the coordinates in INPUT pixels/voxels (the integral of paper Eq. 2, or near each map's maximum; see
 * selfTraining/predictCoordinates.ts). Coordinates come from the network's logits where it has a logits
 * layer (models/heatmapLogits.ts: cannot underflow); the returned maps are H/γ either way.
 */
import * as tf from '@tensorflow/tfjs';
import normaliseHeatmaps from '../heatmap/normaliseHeatmaps.ts';
import withHeatmapLogits from '../models/heatmapLogits.ts';
import { decodeHeatmaps, type HeatmapDecoding } from '../selfTraining/predictCoordinates.ts';

export interface Prediction {
  /**
   * Normalised heatmaps H/γ (each map sums to 1), [H, W, n] or [D, H, W, n], row-major, channel last.
   * Computed from the logits: a trained map's sigmoid values fall below float32's range (10⁻⁴⁵) far
   * from its peak, and a whole map of them would read as empty.
   */
  heat: Float32Array;
  /** [H, W, n] (images) or [D, H, W, n] (volumes). */
  shape: number[];
  /** n × 2 (x, y) or n × 3 (x, y, z), input pixels/voxels, pixel-corner convention. */
  coords: number[][];
}

/** @param image the input's intensities in [0, 1] (a sample's image: H × W or D × H × W, x fastest) */
export default async function predictHeatmaps(
  model: tf.LayersModel,
  image: Float32Array,
  decoding: HeatmapDecoding = {},
): Promise<Prediction> {
  const spatial = model.inputs[0]!.shape.slice(1, -1) as number[];
  const network = withHeatmapLogits(model);
  const [heat, coords] = tf.tidy(() => {
    const out = network.model.predict(tf.tensor(image, [1, ...spatial, 1])) as tf.Tensor;
    const xy = decodeHeatmaps(out, network.fromLogits, decoding);
    return [
      normaliseHeatmaps(out, { fromLogits: network.fromLogits }),
      xy.mul(tf.tensor1d([...spatial].reverse())),
    ];
  });
  try {
    return {
      heat: (await heat.data()) as Float32Array,
      shape: [...spatial, heat.shape[heat.rank - 1]!],
      coords: ((await coords.array()) as number[][][])[0]!,
    };
  } finally {
    heat.dispose();
    coords.dispose();
  }
}
