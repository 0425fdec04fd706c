import letterboxPlan from './letterboxPlan.ts';
import type { Letterbox, VolumeLetterbox } from './types.ts';

/**
 * Letterbox geometry for an original image of width × height pixels into an input of
 * inputShape = [inputHeight, inputWidth]: one scale for both axes (aspect kept in pixels), content
 * centred, the rest zero (letterboxPlan.ts, with square pixels). `poolFactor` > 1 means the image is
 * first average-pooled by that integer factor (after zero-padding to a multiple of k), so the effective
 * scale is resized / (ceil(width / k) · k).
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
  const plan = letterboxPlan([width, height], [1, 1], [inputWidth, inputHeight]);
  return {
    scaleX: plan.scale[0]!,
    scaleY: plan.scale[1]!,
    offsetX: plan.offset[0]!,
    offsetY: plan.offset[1]!,
    inputWidth,
    inputHeight,
    // Square pixels: the same factor along both axes.
    poolFactor: plan.poolFactor[0]!,
    resizedWidth: plan.resized[0]!,
    resizedHeight: plan.resized[1]!,
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
