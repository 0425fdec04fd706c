/**
 * The volume heatmap's grid (the 3D network's input voxels, [D, H, W]) ↔ patient coordinates (mm, DICOM
 * LPS: Cornerstone's world frame), and a viewport's canvas → grid. Grid coordinates are continuous,
 * (x, y, z) with cell i covering [i, i+1) (as the letterbox and the integral coordinates).
 *
 * The chain is the one training and pseudo-labelling use: grid → original voxel by inverting the 3D
 * letterbox (original = (input − offset) / scale, core/data/computeLetterbox.ts), original voxel →
 * patient by ImagePositionPatient, spacing and direction cosines (volume/patientVoxels.ts). Both steps
 * are affine, so the whole map is one affine {@link Affine3}, written out here in closed form (the
 * direction cosines are orthonormal, so the inverse is their transpose: no matrix inversion needed).
 */
import type { VolumeLetterbox } from '../../core/data/types.ts';
import type { VolumeGeometry } from '../volume/patientVoxels.ts';

/** out = origin + Σₐ inₐ · axes[a]: an affine map of 3D points (axes[a] is the image of unit vector a). */
export interface Affine3 {
  origin: [number, number, number];
  axes: [number[], number[], number[]];
}

/** Applies an affine map to one point. */
export function applyAffine(a: Affine3, p: readonly number[]): [number, number, number] {
  return [0, 1, 2].map(
    (k) => a.origin[k]! + p[0]! * a.axes[0][k]! + p[1]! * a.axes[1][k]! + p[2]! * a.axes[2][k]!,
  ) as [number, number, number];
}

/** Per-axis (x, y, z) scale and offset of a volume letterbox. */
const boxAxes = (box: VolumeLetterbox) => ({
  scale: [box.scaleX, box.scaleY, box.scaleZ],
  offset: [box.offsetX, box.offsetY, box.offsetZ],
});

/**
 * Grid (input voxels) → patient mm. patient = IPP + Σₐ (vₐ − 0.5)·sₐ·dirₐ with vₐ = (gₐ − offₐ)/scaleₐ.
 */
export function gridToPatient(box: VolumeLetterbox, g: VolumeGeometry): Affine3 {
  const { scale, offset } = boxAxes(box);
  const step = [0, 1, 2].map((a) => g.spacingMm[a]! / scale[a]!);
  const axes = [0, 1, 2].map((a) => g.direction[a]!.map((d) => d * step[a]!)) as Affine3['axes'];
  const origin = [0, 1, 2].map(
    (k) =>
      g.origin[k]! +
      [0, 1, 2].reduce(
        (s, a) => s + (-offset[a]! / scale[a]! - 0.5) * g.spacingMm[a]! * g.direction[a]![k]!,
        0,
      ),
  ) as Affine3['origin'];
  return { origin, axes };
}

/**
 * Patient mm → grid (input voxels), the inverse of {@link gridToPatient}:
 * gₐ = (((p − IPP)·dirₐ)/sₐ + 0.5)·scaleₐ + offₐ.
 */
export function patientToGrid(box: VolumeLetterbox, g: VolumeGeometry): Affine3 {
  const { scale, offset } = boxAxes(box);
  const row = (a: number) => g.direction[a]!.map((d) => (d * scale[a]!) / g.spacingMm[a]!);
  const rows = [0, 1, 2].map(row);
  // Column k of the linear part is the image of patient unit vector k.
  const axes = [0, 1, 2].map((k) => rows.map((r) => r[k]!)) as Affine3['axes'];
  const origin = [0, 1, 2].map(
    (a) => offset[a]! + scale[a]! * 0.5 - rows[a]!.reduce((s, c, k) => s + c * g.origin[k]!, 0),
  ) as Affine3['origin'];
  return { origin, axes };
}

/**
 * A viewport's canvas (CSS px, x right, y down) → grid, from three canvasToWorld points of its
 * orthographic camera (world at canvas (0, 0), (1, 0) and (0, 1): the camera is a parallel projection,
 * so canvas → world is affine and these three points fix it) and the volume's patient → grid map.
 * The result maps (cx, cy, 0) → grid; its third axis is unused (0).
 */
export function canvasToGrid(
  world00: readonly number[],
  world10: readonly number[],
  world01: readonly number[],
  toGrid: Affine3,
): Affine3 {
  const o = applyAffine(toGrid, world00);
  const x = applyAffine(toGrid, world10).map((v, k) => v - o[k]!);
  const y = applyAffine(toGrid, world01).map((v, k) => v - o[k]!);
  return { origin: o, axes: [x, y, [0, 0, 0]] };
}
