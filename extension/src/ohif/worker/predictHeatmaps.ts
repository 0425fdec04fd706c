/**
 * One forward pass of the network on one letterboxed image: the raw heatmaps (channel last) and the
 * integral coordinates of paper Eq. 2 in INPUT pixels.
 */
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../../core/heatmap/integralCoordinates.ts';

export interface Prediction {
  /** Heatmaps [H, W, n], row-major, channel last. */
  heat: Float32Array;
  shape: [number, number, number];
  /** n × 2 (x, y), input pixels, pixel-corner convention. */
  coords: number[][];
}

/** @param image H × W intensities in [0, 1] (a TrainingSample's image) */
export default async function predictHeatmaps(
  model: tf.LayersModel,
  image: Float32Array,
): Promise<Prediction> {
  const [h, w] = model.inputs[0]!.shape.slice(1, 3) as [number, number];
  const [heat, coords] = tf.tidy(() => {
    const out = model.predict(tf.tensor4d(image, [1, h, w, 1])) as tf.Tensor;
    return [out, integralCoordinates(out).mul(tf.tensor1d([w, h]))];
  });
  try {
    const n = heat.shape[3]!;
    return {
      heat: (await heat.data()) as Float32Array,
      shape: [h, w, n],
      coords: ((await coords.array()) as number[][][])[0]!,
    };
  } finally {
    heat.dispose();
    coords.dispose();
  }
}
