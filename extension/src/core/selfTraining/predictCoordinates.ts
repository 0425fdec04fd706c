/**
 * Batched inference: network → heatmaps → integral coordinates (Eq. 2), returned in INPUT pixels.
 */
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../heatmap/integralCoordinates.ts';

/**
 * @param images each inputHeight × inputWidth, row-major, [0, 1]
 * @param inputShape [H, W]
 * @returns per image n × 2 coordinates (x, y) in input pixels (continuous, pixel-corner convention)
 */
export default async function predictCoordinates(
  model: tf.LayersModel,
  images: readonly Float32Array[],
  inputShape: number[],
  batchSize = 4,
): Promise<number[][][]> {
  const [height, width] = inputShape as [number, number];
  const out: number[][][] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const coords = tf.tidy(() => {
      const x = tf.stack(chunk.map((im) => tf.tensor3d(im, [height, width, 1])));
      const heat = model.predict(x) as tf.Tensor;
      return integralCoordinates(heat).mul(tf.tensor1d([width, height]));
    });
    const values = (await coords.array()) as number[][][];
    coords.dispose();
    out.push(...values);
  }
  return out;
}
