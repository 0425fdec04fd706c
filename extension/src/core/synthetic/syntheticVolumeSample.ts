import prepareVolumeSample from '../data/prepareVolumeSample.ts';
import type { VolumeSample } from '../data/types.ts';
import type { SyntheticVolume } from './types.ts';

/**
 * A generated CBCT volume as a network-ready sample, with its true landmarks in original voxels,
 * continuous (voxel i covers [i, i + 1), so the generator's voxel-centre coordinates move by 0.5).
 * `labelled: false` leaves the sample's landmarks out (an unlabelled study); the truth is kept.
 */
export default function syntheticVolumeSample(
  v: SyntheticVolume,
  inputShape: readonly number[],
  { id = `cbct-${v.seed}`, labelled = true }: { id?: string; labelled?: boolean } = {},
): { sample: VolumeSample; truth: number[][] } {
  const truth = v.landmarksPx.map((p) => p.map((x) => x + 0.5));
  const volume = {
    width: v.width,
    height: v.height,
    depth: v.depth,
    voxels: Float32Array.from(v.pixels),
    spacingMm: v.spacingMm,
  };
  return {
    sample: prepareVolumeSample(id, volume, inputShape, labelled ? truth : undefined),
    truth,
  };
}
