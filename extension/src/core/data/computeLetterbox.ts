import type { Letterbox, VolumeLetterbox } from './types.ts';

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

/** Per-axis (x, y[, z]) scales and offsets of a 2D or 3D letterbox. */
function axes(box: Letterbox | VolumeLetterbox): { scale: number[]; offset: number[] } {
  if ('inputDepth' in box) {
    return {
      scale: [box.scaleX, box.scaleY, box.scaleZ],
      offset: [box.offsetX, box.offsetY, box.offsetZ],
    };
  }
  return { scale: [box.scaleX, box.scaleY], offset: [box.offsetX, box.offsetY] };
}

/** Applies `f(value, axis)` to the first 2 (image) or 3 (volume) coordinates of every point. */
function mapPoints(
  shape: readonly (readonly number[])[],
  box: Letterbox | VolumeLetterbox,
  f: (value: number, scale: number, offset: number) => number,
): number[][] {
  const { scale, offset } = axes(box);
  return shape.map((p) => {
    if (p.length < scale.length) {
      throw new Error(
        `letterbox: a ${scale.length}D letterbox needs ${scale.length} coordinates per point, got ${p.length}`,
      );
    }
    return scale.map((s, a) => f(p[a]!, s, offset[a]!));
  });
}

/**
 * Original pixels (voxels) → input pixels (voxels): continuous, pixel-corner convention, (x, y) for an
 * image letterbox, (x, y, z) for a volume letterbox. NaN stays NaN.
 */
export function toInputPixels(
  shape: readonly (readonly number[])[],
  box: Letterbox | VolumeLetterbox,
): number[][] {
  return mapPoints(shape, box, (v, s, o) => v * s + o);
}

/** Input pixels (voxels) → original pixels (voxels) (inverse of {@link toInputPixels}). */
export function toOriginalPixels(
  shape: readonly (readonly number[])[],
  box: Letterbox | VolumeLetterbox,
): number[][] {
  return mapPoints(shape, box, (v, s, o) => (v - o) / s);
}
