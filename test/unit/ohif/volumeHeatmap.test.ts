/**
 * The volume heatmap overlay's pure parts (issue 5, session 4): the 3D overlay map and confidence, the
 * grid ↔ patient maps (checked by hand and against the letterbox + patientVoxels chain that training
 * and pseudo-labelling use), the canvas → grid map, trilinear sampling of the plane a viewport shows,
 * and the overlay colours. Hand-computed cases on non-cubic grids (a swapped axis fails).
 */
import { describe, expect, it } from 'vitest';
import computeVolumeLetterbox from '../../../extension/src/core/data/computeVolumeLetterbox.ts';
import { toOriginalPixels } from '../../../extension/src/core/data/computeLetterbox.ts';
import type { VolumeLetterbox } from '../../../extension/src/core/data/types.ts';
import heatmapConfidence from '../../../extension/src/core/heatmap/heatmapConfidence.ts';
import heatmapOverlayMap from '../../../extension/src/ohif/services/heatmapOverlayMap.ts';
import heatmapRgba, { ALPHA, FLOOR } from '../../../extension/src/ohif/services/heatmapRgba.ts';
import {
  applyAffine,
  canvasToGrid,
  gridToPatient,
  patientToGrid,
} from '../../../extension/src/ohif/services/volumeHeatmapGrid.ts';
import volumeHeatmapPlane, {
  peakCell,
  trilinear,
} from '../../../extension/src/ohif/services/volumeHeatmapPlane.ts';
import {
  voxelsToPatient,
  type VolumeGeometry,
} from '../../../extension/src/ohif/volume/patientVoxels.ts';

/** [D, H, W, n] maps, channel last, from { 'z,y,x,t': value }. */
function maps(shape: [number, number, number, number], values: Record<string, number>) {
  const [, h, w, n] = shape;
  const out = new Float32Array(shape.reduce((p, v) => p * v, 1));
  for (const [key, v] of Object.entries(values)) {
    const [z, y, x, t] = key.split(',').map(Number) as [number, number, number, number];
    out[((z * h + y) * w + x) * n + t] = v;
  }
  return out;
}

describe('heatmapOverlayMap on volumes', () => {
  // D=2, H=1, W=3, n=2.
  const shape: [number, number, number, number] = [2, 1, 3, 2];
  const heat = maps(shape, { '1,0,2,0': 4, '0,0,1,0': 1, '0,0,0,1': 2, '1,0,0,1': 1 });

  it('max over landmarks of each rescaled map, x fastest then y then z', () => {
    // Cells in order (z, x): (0,0): max(0, 2/2) = 1; (0,1): 1/4; (0,2): 0; (1,0): 1/2; (1,1): 0; (1,2): 1.
    expect(Array.from(heatmapOverlayMap(heat, shape))).toEqual([1, 0.25, 0, 0.5, 0, 1]);
    expect(Array.from(heatmapOverlayMap(heat, shape, 1))).toEqual([1, 0, 0, 0.5, 0, 0]);
  });

  it('a region in z: min and max over the slices inside it, 0 in the others', () => {
    // Only slice z=0 (centre 0.5 in [0, 1]): channel 0 there: 0, 1, 0; channel 1: 2, 0, 0.
    const region = { x0: 0, x1: 3, y0: 0, y1: 1, z0: 0, z1: 1 };
    expect(Array.from(heatmapOverlayMap(heat, shape, undefined, region))).toEqual([
      1, 1, 0, 0, 0, 0,
    ]);
  });

  it('refuses a shape that is not [(D,) H, W, n] or does not fit the values', () => {
    expect(() => heatmapOverlayMap(heat, [12])).toThrow(/not \[\(D,\) H, W, n\]/);
    expect(() => heatmapOverlayMap(heat, [2, 3, 1, 1])).toThrow(/12 values for shape/);
  });
});

describe('heatmapConfidence on volumes', () => {
  it('a peak in one voxel: confidence 1, spread 0', () => {
    const heat = maps([2, 3, 4, 1], { '1,2,3,0': 7 });
    expect(heatmapConfidence(heat, [2, 3, 4, 1], [1, 1, 1])).toEqual([
      { confidence: 1, spreadMm: 0 },
    ]);
  });

  it('two voxels two slices apart: spread one slice distance each way, in z spacing only', () => {
    // D=3, H=1, W=1: equal mass at z=0 and z=2, mean z=1.5; each 1 slice = 1.5 mm away in z.
    const column = maps([3, 1, 1, 1], { '0,0,0,0': 1, '2,0,0,0': 1 });
    expect(heatmapConfidence(column, [3, 1, 1, 1], [0.5, 0.5, 1.5])).toEqual([
      { confidence: 1, spreadMm: 1.5 },
    ]);
    // z spacing 3 mm: each 3 mm away, and R = max(2 mm, largest spacing) = 3 mm: still inside.
    expect(heatmapConfidence(column, [3, 1, 1, 1], [0.5, 0.5, 3])[0]).toEqual({
      confidence: 1,
      spreadMm: 3,
    });
    // The same masses along x instead (W=3): the x spacing applies, not z's.
    const row = maps([1, 1, 3, 1], { '0,0,0,0': 1, '0,0,2,0': 1 });
    expect(heatmapConfidence(row, [1, 1, 3, 1], [1.5, 0.5, 9])[0]!.spreadMm).toBe(1.5);
  });

  it('mass outside the radius: two voxels 2 slices (2 × 1.5 mm) from the mean, R = 2 mm', () => {
    // D=5: masses at z=0 and z=4, mean 2.5, each 2 slices = 3 mm away; spacing ≤ 1.5 mm so R = 2 mm.
    const column = maps([5, 1, 1, 1], { '0,0,0,0': 1, '4,0,0,0': 1 });
    expect(heatmapConfidence(column, [5, 1, 1, 1], [1, 1, 1.5])).toEqual([
      { confidence: 0, spreadMm: 3 },
    ]);
  });

  it('refuses spacings of the wrong dimension', () => {
    expect(() => heatmapConfidence(new Float32Array(6), [1, 2, 3, 1], [1, 1])).toThrow(
      /2 spacings for a 3D map/,
    );
  });
});

/** A letterbox by hand: scale 0.5 on every axis, offsets (1, 2, 0). */
const BOX: VolumeLetterbox = {
  scaleX: 0.5,
  scaleY: 0.5,
  scaleZ: 0.5,
  offsetX: 1,
  offsetY: 2,
  offsetZ: 0,
  inputWidth: 8,
  inputHeight: 8,
  inputDepth: 4,
};
const AXIAL: VolumeGeometry = {
  origin: [-10, -20, 30],
  spacingMm: [2, 2, 4],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

describe('grid ↔ patient', () => {
  it('hand-computed: grid (0,0,0) is original voxel (−2, −4, 0), i.e. patient (−15, −29, 28)', () => {
    // v = (g − offset) / 0.5; patient = IPP + (v − 0.5)·spacing; one grid voxel = spacing / 0.5.
    expect(gridToPatient(BOX, AXIAL)).toEqual({
      origin: [-15, -29, 28],
      axes: [
        [4, 0, 0],
        [0, 4, 0],
        [0, 0, 8],
      ],
    });
    expect(applyAffine(patientToGrid(BOX, AXIAL), [-15, -29, 28])).toEqual([0, 0, 0]);
    expect(applyAffine(patientToGrid(BOX, AXIAL), [-11, -29, 36])).toEqual([1, 0, 1]);
  });

  it('agrees with the letterbox inverse + voxelsToPatient chain on an oblique, anisotropic volume', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const g: VolumeGeometry = {
      origin: [12.5, -40, 7],
      spacingMm: [0.8, 0.6, 2.5],
      direction: [
        [c, s, 0],
        [-s, c, 0],
        [0, 0, 1],
      ],
    };
    const box = computeVolumeLetterbox([60, 50, 20], g.spacingMm, [12, 20, 24]);
    const toPatient = gridToPatient(box, g);
    const toGrid = patientToGrid(box, g);
    for (const p of [
      [0, 0, 0],
      [24, 20, 12],
      [3.25, 17.5, 5.75],
    ]) {
      const expected = voxelsToPatient(toOriginalPixels([p], box), g)[0]!;
      const got = applyAffine(toPatient, p);
      got.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 9));
      applyAffine(toGrid, got).forEach((v, k) => expect(v).toBeCloseTo(p[k]!, 9));
    }
  });

  it('canvas → grid from three canvasToWorld points (a coronal-like view: canvas y = patient z)', () => {
    // World at canvas (0,0), (1,0), (0,1): patient (−15, −29, 28), one mm right, one mm down in z.
    const a = canvasToGrid(
      [-15, -29, 28],
      [-14, -29, 28],
      [-15, -29, 27],
      patientToGrid(BOX, AXIAL),
    );
    expect(a.origin).toEqual([0, 0, 0]);
    expect(a.axes).toEqual([
      [0.25, 0, 0],
      [0, 0, -0.125],
      [0, 0, 0],
    ]);
  });
});

describe('sampling the map on a viewport plane', () => {
  it('trilinear between cell centres, edge value up to the grid box, 0 outside', () => {
    const dims: [number, number, number] = [1, 1, 2];
    const map = [0, 1];
    expect(trilinear(map, dims, 0.5, 0.5, 0.5)).toBe(0);
    expect(trilinear(map, dims, 1, 0.5, 0.5)).toBe(0.5);
    expect(trilinear(map, dims, 1.5, 0.5, 0.5)).toBe(1);
    expect(trilinear(map, dims, 1.9, 0.2, 0.9)).toBe(1);
    expect(trilinear(map, dims, 2, 1, 1)).toBe(1);
    expect(trilinear(map, dims, 2.1, 0.5, 0.5)).toBe(0);
    expect(trilinear(map, dims, -0.1, 0.5, 0.5)).toBe(0);
    // z and y interpolate on their own axes: [D=2, H=2, W=1], values z·10 + y.
    const zy = [0, 1, 10, 11];
    expect(trilinear(zy, [2, 2, 1], 0.5, 1.25, 0.5)).toBeCloseTo(0.75, 12);
    expect(trilinear(zy, [2, 2, 1], 0.5, 0.5, 1.25)).toBeCloseTo(7.5, 12);
  });

  it('clipped to a box (the volume inside the letterbox): edge value up to its faces, 0 beyond', () => {
    // W=4 cells, values 0 (padding), 5, 7, 0 (padding); the volume spans x in [1, 3].
    const map = [0, 5, 7, 0];
    const box = { lo: [1, 0, 0] as const, hi: [3, 1, 1] as const };
    expect(trilinear(map, [1, 1, 4], 1.2, 0.5, 0.5, box)).toBe(5);
    expect(trilinear(map, [1, 1, 4], 2, 0.5, 0.5, box)).toBe(6);
    expect(trilinear(map, [1, 1, 4], 2.9, 0.5, 0.5, box)).toBe(7);
    expect(trilinear(map, [1, 1, 4], 0.9, 0.5, 0.5, box)).toBe(0);
    expect(trilinear(map, [1, 1, 4], 3.1, 0.5, 0.5, box)).toBe(0);
    // Without the box the padding blends in at the edge.
    expect(trilinear(map, [1, 1, 4], 1.2, 0.5, 0.5)).toBeCloseTo(3.5, 12);
  });

  // D=2, H=3, W=4, value of (z, y, x) = 100z + 10y + x: every cell distinct.
  const dims: [number, number, number] = [2, 3, 4];
  const map = Float32Array.from({ length: 24 }, (_, i) => {
    const [x, y, z] = [i % 4, Math.floor(i / 4) % 3, Math.floor(i / 12)];
    return 100 * z + 10 * y + x;
  });

  it('an axial plane through slice 1: samples at cell centres give that slice, row by row', () => {
    // canvas (cx, cy) → grid (cx/10, cy/10, 1.5): 40 × 30 px, step 10 → 4 × 3 samples at centres.
    const toGrid = {
      origin: [0, 0, 1.5] as [number, number, number],
      axes: [
        [0.1, 0, 0],
        [0, 0.1, 0],
        [0, 0, 0],
      ] as [number[], number[], number[]],
    };
    const s = volumeHeatmapPlane(map, dims, toGrid, 40, 30, 10);
    expect([s.cols, s.rows]).toEqual([4, 3]);
    expect(Array.from(s.values)).toEqual(Array.from(map.subarray(12, 24)));
  });

  it('a sagittal plane (canvas x = grid y, canvas y = grid z), outside the box is 0', () => {
    // Plane x = 2.5 (column 2); canvas 40 × 30, step 10: grid y = cx/10, z = cy/10 (z ≥ 2 outside).
    const toGrid = {
      origin: [2.5, 0, 0] as [number, number, number],
      axes: [
        [0, 0.1, 0],
        [0, 0, 0.1],
        [0, 0, 0],
      ] as [number[], number[], number[]],
    };
    const s = volumeHeatmapPlane(map, dims, toGrid, 40, 30, 10);
    // Rows = z 0.5, 1.5, 2.5; columns = y 0.5, 1.5, 2.5, 3.5 (y = 3.5 is outside H = 3).
    expect(Array.from(s.values)).toEqual([2, 12, 22, 0, 102, 112, 122, 0, 0, 0, 0, 0]);
  });

  it('refuses a map of the wrong size or a step below 1 px', () => {
    const id = {
      origin: [0, 0, 0] as [number, number, number],
      axes: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 0],
      ] as [number[], number[], number[]],
    };
    expect(() => volumeHeatmapPlane(map, [2, 3, 3], id, 4, 4, 1)).toThrow(
      /24 values for a \[2, 3, 3\]/,
    );
    expect(() => volumeHeatmapPlane(map, dims, id, 4, 4, 0)).toThrow(/step 0/);
  });

  it('peakCell: the centre of the largest cell (x, y, z)', () => {
    expect(peakCell(map, dims)).toEqual([3.5, 2.5, 1.5]);
    const one = new Float32Array(24);
    one[(1 * 3 + 0) * 4 + 2] = 1; // z=1, y=0, x=2
    expect(peakCell(one, dims)).toEqual([2.5, 0.5, 1.5]);
  });
});

describe('heatmapRgba', () => {
  it('red → yellow with the value, alpha ∝ value; below the floor and NaN stay transparent', () => {
    const rgba = new Uint8ClampedArray(16);
    heatmapRgba([1, 0.5, FLOOR / 2, Number.NaN], rgba);
    expect(Array.from(rgba.subarray(0, 8))).toEqual([
      255,
      255,
      0,
      Math.round(255 * ALPHA),
      255,
      128,
      0,
      Math.round(255 * ALPHA * 0.5),
    ]);
    expect(Array.from(rgba.subarray(8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => heatmapRgba([1, 1], new Uint8ClampedArray(4))).toThrow(/4 bytes for 2 values/);
  });
});
