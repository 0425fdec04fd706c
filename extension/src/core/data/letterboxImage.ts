/**
 * Resizes an image into the network input with the aspect kept (computeLetterbox), normalising
 * intensities to [0, 1] by the image's own minimum and maximum, and resamples it as a volume one slice
 * deep (letterboxVolume.ts: average pooling for large reductions, then bilinear with half-pixel
 * centres, which matches the pixel-corner coordinate convention of computeLetterbox).
 */
import * as tf from '@tensorflow/tfjs';
import syncReadable from '../tf/syncReadable.ts';
import computeLetterbox from './computeLetterbox.ts';
import { resampleGrid } from './letterboxVolume.ts';
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
  // The image is a volume one slice deep (letterboxVolume.ts); its pool factor is the same along x, y.
  const k = box.poolFactor;
  const input = syncReadable(() =>
    tf.tidy(() =>
      resampleGrid(tf.tensor3d(pixels, [1, height, width]).sub(min).div(range), {
        resized: [box.resizedWidth, box.resizedHeight, 1],
        poolFactor: [k, k, 1],
        offset: [box.offsetX, box.offsetY, 0],
        input: [box.inputWidth, box.inputHeight, 1],
      }),
    ),
  );
  const letterbox: Letterbox = {
    scaleX: box.scaleX,
    scaleY: box.scaleY,
    offsetX: box.offsetX,
    offsetY: box.offsetY,
    inputWidth: box.inputWidth,
    inputHeight: box.inputHeight,
  };
  return { input, letterbox };
}
