import letterboxVolume from './letterboxVolume.ts';
import { toInputPixels } from './computeLetterbox.ts';
import { inputSpacingMm } from './computeVolumeLetterbox.ts';
import type { GrayVolume, VolumeSample } from './types.ts';

/**
 * Turns an original volume (+ optional landmarks in original voxels, n × 3 (x, y, z), continuous with
 * voxel i covering [i, i+1)) into a network-ready sample: resampled intensities, landmarks and spacing
 * in INPUT voxels. The voxel spacing comes with the volume.
 * @param inputShape network input [D, H, W]
 */
export default function prepareVolumeSample(
  id: string,
  volume: GrayVolume,
  inputShape: readonly number[],
  landmarksVoxels?: readonly (readonly number[])[],
): VolumeSample {
  const { input, letterbox } = letterboxVolume(volume, inputShape, `volume "${id}"`);
  if (landmarksVoxels?.some((p) => p.length !== 3))
    throw new Error(`volume "${id}": landmarks must have 3 coordinates (x, y, z) in voxels`);
  return {
    id,
    image: input,
    landmarks:
      landmarksVoxels === undefined ? undefined : toInputPixels(landmarksVoxels, letterbox),
    spacingMm: inputSpacingMm(volume.spacingMm, letterbox),
    letterbox,
  };
}
