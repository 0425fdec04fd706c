import type { Letterbox } from './types.ts';

/**
 * Letterbox geometry for an original image of width × height pixels into an input of
 * inputShape = [inputHeight, inputWidth]: one scale for both axes (aspect kept), content centred, the
 * rest zero. `poolFactor` > 1 means the image is first average-pooled by that integer factor (after
 * zero-padding to a multiple of k), so the effective scale is resized / (ceil(width / k) · k).
 */
export default function computeLetterbox(
  width: number,
  height: number,
  inputShape: number[],
): Letterbox & {
  poolFactor: number;
  resizedWidth: number;
  resizedHeight: number;
} {
  const [inputHeight, inputWidth] = inputShape as [number, number];
  if (!(width > 0 && height > 0))
    throw new Error(`letterbox: image size ${width}×${height} is empty`);
  const scale = Math.min(inputWidth / width, inputHeight / height);
  const resizedWidth = Math.max(1, Math.min(inputWidth, Math.round(width * scale)));
  const resizedHeight = Math.max(1, Math.min(inputHeight, Math.round(height * scale)));
  const poolFactor = Math.max(1, Math.floor(1 / scale / 2));
  const pooledWidth = Math.ceil(width / poolFactor);
  const pooledHeight = Math.ceil(height / poolFactor);
  return {
    scaleX: resizedWidth / (pooledWidth * poolFactor),
    scaleY: resizedHeight / (pooledHeight * poolFactor),
    offsetX: Math.floor((inputWidth - resizedWidth) / 2),
    offsetY: Math.floor((inputHeight - resizedHeight) / 2),
    inputWidth,
    inputHeight,
    poolFactor,
    resizedWidth,
    resizedHeight,
  };
}

/** Original pixels → input pixels (continuous, pixel-corner convention). NaN stays NaN. */
export function toInputPixels(shape: readonly (readonly number[])[], box: Letterbox): number[][] {
  return shape.map(([x, y]) => [x! * box.scaleX + box.offsetX, y! * box.scaleY + box.offsetY]);
}

/** Input pixels → original pixels (inverse of {@link toInputPixels}). */
export function toOriginalPixels(
  shape: readonly (readonly number[])[],
  box: Letterbox,
): number[][] {
  return shape.map(([x, y]) => [(x! - box.offsetX) / box.scaleX, (y! - box.offsetY) / box.scaleY]);
}
