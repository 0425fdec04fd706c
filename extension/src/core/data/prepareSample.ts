import letterboxImage from './letterboxImage.ts';
import { toInputPixels } from './computeLetterbox.ts';
import type { GrayImage, TrainingSample } from './types.ts';

/**
 * Turns an original image (+ optional landmarks in original pixels and the original pixel spacing in mm)
 * into a network-ready sample: letterboxed intensities, landmarks and spacing in INPUT pixels.
 */
export default function prepareSample(
  id: string,
  image: GrayImage,
  inputShape: number[],
  spacingMm: readonly number[],
  landmarksPx?: readonly (readonly number[])[],
): TrainingSample {
  const { input, letterbox } = letterboxImage(image, inputShape, `image "${id}"`);
  const [sx, sy] = [spacingMm[0]!, spacingMm[1] ?? spacingMm[0]!];
  if (!(sx > 0 && sy > 0))
    throw new Error(`image "${id}": pixel spacing must be positive, got [${spacingMm}]`);
  return {
    id,
    image: input,
    landmarks: landmarksPx === undefined ? undefined : toInputPixels(landmarksPx, letterbox),
    spacingMm: [sx / letterbox.scaleX, sy / letterbox.scaleY],
    letterbox,
  };
}
