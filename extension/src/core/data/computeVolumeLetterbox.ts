import letterboxPlan from './letterboxPlan.ts';
import type { VolumeLetterbox } from './types.ts';

/** A volume letterbox with the resampling plan that {@link letterboxVolume} follows. */
export interface VolumeLetterboxPlan extends VolumeLetterbox {
  /** Integer average-pooling factor per axis (x, y, z), 1 = none (anti-aliasing of large reductions). */
  poolFactor: [number, number, number];
  /** Size of the resampled content per axis (x, y, z), input voxels. */
  resized: [number, number, number];
}

/**
 * Letterbox geometry of a volume of `size` = [width, height, depth] voxels of `spacingMm` = [x, y, z] mm
 * into a network input of inputShape = [inputDepth, inputHeight, inputWidth]: every input voxel covers
 * the same millimetres along the three axes (the largest mm per voxel that fits the whole volume), so
 * the physical aspect is kept even when the original voxels are anisotropic; content centred, the rest
 * zero (letterboxPlan.ts, as in 2D). The mm per input voxel may differ between axes by the rounding of
 * the content to whole input voxels (at most half an input voxel over the whole extent; the sample's
 * spacing states it exactly).
 */
export default function computeVolumeLetterbox(
  size: readonly number[],
  spacingMm: readonly number[],
  inputShape: readonly number[],
): VolumeLetterboxPlan {
  if (size.length !== 3 || !size.every((s) => Number.isInteger(s) && s > 0))
    throw new Error(`volume letterbox: volume size [${size}] is not 3 positive integers`);
  if (spacingMm.length !== 3 || !spacingMm.every((s) => Number.isFinite(s) && s > 0))
    throw new Error(`volume letterbox: voxel spacing [${spacingMm}] mm is not 3 positive numbers`);
  if (inputShape.length !== 3 || !inputShape.every((s) => Number.isInteger(s) && s > 0))
    throw new Error(`volume letterbox: input shape [${inputShape}] is not [D, H, W]`);
  const input = [inputShape[2]!, inputShape[1]!, inputShape[0]!]; // x, y, z
  const { scale, offset, resized, poolFactor } = letterboxPlan(size, spacingMm, input);
  return {
    scaleX: scale[0]!,
    scaleY: scale[1]!,
    scaleZ: scale[2]!,
    offsetX: offset[0]!,
    offsetY: offset[1]!,
    offsetZ: offset[2]!,
    inputWidth: input[0]!,
    inputHeight: input[1]!,
    inputDepth: input[2]!,
    poolFactor: poolFactor as [number, number, number],
    resized: resized as [number, number, number],
  };
}

/** Millimetres per INPUT voxel along (x, y, z) for a volume of `spacingMm` letterboxed by `box`. */
export function inputSpacingMm(spacingMm: readonly number[], box: VolumeLetterbox): number[] {
  return [spacingMm[0]! / box.scaleX, spacingMm[1]! / box.scaleY, spacingMm[2]! / box.scaleZ];
}

/**
 * Original voxels → millimetres from the volume's corner (voxel (0,0,0)'s outer corner), per axis:
 * mm = voxel · spacing. With continuous voxel coordinates (voxel i covering [i, i+1)), a voxel centre
 * i + 0.5 lies at (i + 0.5) · spacing. NaN stays NaN.
 */
export function voxelsToMm(
  shape: readonly (readonly number[])[],
  spacingMm: readonly number[],
): number[][] {
  return shape.map((p) => [0, 1, 2].map((a) => p[a]! * spacingMm[a]!));
}

/** Millimetres from the volume's corner → original voxels (inverse of {@link voxelsToMm}). */
export function mmToVoxels(
  shape: readonly (readonly number[])[],
  spacingMm: readonly number[],
): number[][] {
  return shape.map((p) => [0, 1, 2].map((a) => p[a]! / spacingMm[a]!));
}
