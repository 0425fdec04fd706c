/**
 * Resizes an image into the network input with the aspect kept (computeLetterbox), normalising
 * intensities to [0, 1] by the image's own minimum and maximum. Large reductions average-pool first
 * (anti-aliasing), then resize bilinearly with half-pixel centres, which matches the pixel-corner
 * coordinate convention of computeLetterbox.
 */
import * as tf from '@tensorflow/tfjs';
import computeLetterbox from './computeLetterbox.ts';
import type { GrayImage, Letterbox } from './types.ts';

/** @returns input-size intensities in [0, 1] (row-major) and the letterbox geometry */
export default function letterboxImage(
  image: GrayImage,
  inputShape: number[],
  name = 'image',
): { input: Float32Array; letterbox: Letterbox } {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height) {
    throw new Error(`${name}: ${pixels.length} pixels for a ${width}×${height} image`);
  }
  const box = computeLetterbox(width, height, inputShape);
  let min = Infinity;
  let max = -Infinity;
  for (const v of pixels) {
    if (!Number.isFinite(v)) throw new Error(`${name}: pixel value ${v} is not finite`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max > min ? max - min : 1;
  const data = tf.tidy(() => {
    let t = tf.tensor4d(pixels, [1, height, width, 1]).sub(min).div(range) as tf.Tensor4D;
    const k = box.poolFactor;
    if (k > 1) {
      const padH = Math.ceil(height / k) * k - height;
      const padW = Math.ceil(width / k) * k - width;
      t = tf.avgPool(
        tf.pad(t, [
          [0, 0],
          [0, padH],
          [0, padW],
          [0, 0],
        ]),
        k,
        k,
        'valid',
      );
    }
    const resized = tf.image.resizeBilinear(t, [box.resizedHeight, box.resizedWidth], false, true);
    const padded = tf.pad(resized, [
      [0, 0],
      [box.offsetY, box.inputHeight - box.resizedHeight - box.offsetY],
      [box.offsetX, box.inputWidth - box.resizedWidth - box.offsetX],
      [0, 0],
    ]);
    return padded.clipByValue(0, 1).dataSync() as Float32Array;
  });
  const letterbox: Letterbox = {
    scaleX: box.scaleX,
    scaleY: box.scaleY,
    offsetX: box.offsetX,
    offsetY: box.offsetY,
    inputWidth: box.inputWidth,
    inputHeight: box.inputHeight,
  };
  return { input: Float32Array.from(data), letterbox };
}
