/**
 * Patient mm (LPS) ↔ original voxels of a volume (ohif/volume/patientVoxels.ts): hand-computed cases on
 * an oblique, anisotropic geometry, and round trips (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  patientToVoxels,
  voxelsToPatient,
  type VolumeGeometry,
} from '../../../extension/src/ohif/volume/patientVoxels.ts';

/** Rows run along +y, columns along −z; normal = row × column = (−1, 0, 0). Spacing 0.5, 0.7, 2 mm. */
const sagittal: VolumeGeometry = {
  origin: [10, 20, 30],
  direction: [
    [0, 1, 0],
    [0, 0, -1],
    [-1, 0, 0],
  ],
  spacingMm: [0.5, 0.7, 2],
};

describe('patient mm ↔ voxels', () => {
  it('puts the centre of voxel (0, 0, 0) at ImagePositionPatient of the first slice', () => {
    expect(voxelsToPatient([[0.5, 0.5, 0.5]], sagittal)).toEqual([[10, 20, 30]]);
  });

  it('steps one spacing along each direction cosine (hand-computed)', () => {
    // x + 1 → +0.5 mm along y; y + 1 → −0.7 mm along z; z + 1 → −2 mm along x.
    const [a, b, c] = voxelsToPatient(
      [
        [1.5, 0.5, 0.5],
        [0.5, 1.5, 0.5],
        [0.5, 0.5, 1.5],
      ],
      sagittal,
    );
    expect(a).toEqual([10, 20.5, 30]);
    expect(b![2]).toBeCloseTo(29.3, 12);
    expect(c).toEqual([8, 20, 30]);
    // Voxel corner (0, 0, 0) is half a voxel before the first centre along every axis.
    const corner = voxelsToPatient([[0, 0, 0]], sagittal)[0]!;
    expect(corner[0]).toBeCloseTo(11, 12);
    expect(corner[1]).toBeCloseTo(19.75, 12);
    expect(corner[2]).toBeCloseTo(30.35, 12);
  });

  it('inverts: patient → voxels → patient and voxels → patient → voxels', () => {
    const point = fc.tuple(
      fc.double({ min: -500, max: 500, noNaN: true }),
      fc.double({ min: -500, max: 500, noNaN: true }),
      fc.double({ min: -500, max: 500, noNaN: true }),
    );
    fc.assert(
      fc.property(point, (p) => {
        const back = voxelsToPatient(patientToVoxels([p], sagittal), sagittal)[0]!;
        p.forEach((v, a) => expect(back[a]).toBeCloseTo(v, 8));
        const again = patientToVoxels(voxelsToPatient([p], sagittal), sagittal)[0]!;
        p.forEach((v, a) => expect(again[a]).toBeCloseTo(v, 8));
      }),
    );
  });

  it('keeps a missing landmark (NaN row) missing', () => {
    expect(patientToVoxels([[NaN, NaN, NaN]], sagittal)[0]!.every(Number.isNaN)).toBe(true);
  });
});
