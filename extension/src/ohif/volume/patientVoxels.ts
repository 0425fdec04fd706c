/**
 * Patient coordinates (mm, DICOM LPS, the frame of ImagePositionPatient and of SR SCOORD3D points) ↔
 * original voxel coordinates of an assembled volume (dicom/volume.ts: x along the row direction, y along
 * the column direction, z along the slice normal; continuous, voxel i covering [i, i+1), so the centre of
 * voxel (0, 0, 0), which ImagePositionPatient of the first slice names, is (0.5, 0.5, 0.5)).
 *
 * patient = origin + Σₐ (vₐ − 0.5) · spacingₐ · directionₐ (PS3.3 C.7.6.2.1.1), and back by projecting
 * on the (orthonormal) direction cosines.
 */
import type { DecodedVolume } from '../../dicom/types.ts';

/** What the mapping needs of a volume. */
export type VolumeGeometry = Pick<DecodedVolume, 'origin' | 'direction' | 'spacingMm'>;

/** Original voxels (n × 3, x y z) → patient mm (n × 3, LPS). NaN stays NaN. */
export function voxelsToPatient(
  points: readonly (readonly number[])[],
  g: VolumeGeometry,
): number[][] {
  return points.map((v) =>
    [0, 1, 2].map(
      (k) =>
        g.origin[k]! +
        [0, 1, 2].reduce(
          (sum, a) => sum + (v[a]! - 0.5) * g.spacingMm[a]! * g.direction[a]![k]!,
          0,
        ),
    ),
  );
}

/** Patient mm (n × 3, LPS) → original voxels (n × 3, x y z); the inverse of {@link voxelsToPatient}. */
export function patientToVoxels(
  points: readonly (readonly number[])[],
  g: VolumeGeometry,
): number[][] {
  return points.map((p) => {
    const d = [0, 1, 2].map((k) => p[k]! - g.origin[k]!);
    return [0, 1, 2].map(
      (a) =>
        (d[0]! * g.direction[a]![0]! + d[1]! * g.direction[a]![1]! + d[2]! * g.direction[a]![2]!) /
          g.spacingMm[a]! +
        0.5,
    );
  });
}
