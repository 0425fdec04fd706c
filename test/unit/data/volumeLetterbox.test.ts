// The volume letterbox (core/data/computeVolumeLetterbox + letterboxVolume): anisotropic voxels are
// resampled to isotropic input voxels with the physical aspect kept, and coordinates map exactly between
// input voxels, original voxels and millimetres. Expected values are worked out by hand in the comments.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import computeVolumeLetterbox, {
  inputSpacingMm,
  mmToVoxels,
  voxelsToMm,
} from '../../../extension/src/core/data/computeVolumeLetterbox.ts';
import {
  toInputPixels,
  toOriginalPixels,
} from '../../../extension/src/core/data/computeLetterbox.ts';
import letterboxVolume from '../../../extension/src/core/data/letterboxVolume.ts';
import prepareVolumeSample from '../../../extension/src/core/data/prepareVolumeSample.ts';
import type { GrayVolume } from '../../../extension/src/core/data/types.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

/** Brightest voxel of an x-fastest [D, H, W] array, as its continuous centre (x, y, z). */
function argmax3(values: ArrayLike<number>, width: number, height: number): number[] {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  const x = best % width;
  const y = Math.floor(best / width) % height;
  const z = Math.floor(best / (width * height));
  return [x + 0.5, y + 0.5, z + 0.5];
}

describe('volume letterbox', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('hand-computed anisotropic case: 40×30×10 voxels of 0.5×0.5×2 mm into [D, H, W] = [8, 8, 16]', () => {
    // Extents 20 × 15 × 20 mm; mm per input voxel = max(20/16, 15/8, 20/8) = 2.5 (z limits).
    // Content: x 20/2.5 = 8, y 15/2.5 = 6, z 20/2.5 = 8 input voxels, centred: offsets 4, 1, 0.
    // x and y shrink 5× → average-pooled by floor(5/2) = 2 first; z shrinks 1.25× → no pooling.
    const box = computeVolumeLetterbox([40, 30, 10], [0.5, 0.5, 2], [8, 8, 16]);
    expect(box).toEqual({
      scaleX: 0.2,
      scaleY: 0.2,
      scaleZ: 0.8,
      offsetX: 4,
      offsetY: 1,
      offsetZ: 0,
      inputWidth: 16,
      inputHeight: 8,
      inputDepth: 8,
      poolFactor: [2, 2, 1],
      resized: [8, 6, 8],
    });
    expect(inputSpacingMm([0.5, 0.5, 2], box)).toEqual([2.5, 2.5, 2.5]);
    // Voxel (10, 15, 5) → (10·0.2 + 4, 15·0.2 + 1, 5·0.8) = (6, 4, 4); in mm (5, 7.5, 10).
    expect(toInputPixels([[10, 15, 5]], box)).toEqual([[6, 4, 4]]);
    expect(toOriginalPixels([[6, 4, 4]], box)[0]!.map((v) => +v.toFixed(12))).toEqual([10, 15, 5]);
    expect(voxelsToMm([[10, 15, 5]], [0.5, 0.5, 2])).toEqual([[5, 7.5, 10]]);
    expect(mmToVoxels([[5, 7.5, 10]], [0.5, 0.5, 2])).toEqual([[10, 15, 5]]);
  });

  it('hand-computed trilinear values with half-voxel centres (2×1×2 voxels → 4×2×4)', () => {
    // Scale 2 on every axis, no offset. Along x (and z) input voxel i samples the original at
    // (i + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25, clamped to [0, 1]: weights of voxel 1 are
    // 0, 0.25, 0.75, 1. Voxels (x, z): (0,0) = 0, (1,0) = 4, (0,1) = 8, (1,1) = 12, normalised by 12.
    const volume: GrayVolume = {
      width: 2,
      height: 1,
      depth: 2,
      voxels: Float32Array.of(0, 4, 8, 12),
      spacingMm: [1, 1, 1],
    };
    const { input, letterbox } = letterboxVolume(volume, [4, 2, 4]);
    expect([letterbox.scaleX, letterbox.scaleY, letterbox.scaleZ]).toEqual([2, 2, 2]);
    const w = [0, 0.25, 0.75, 1];
    const expected: number[] = [];
    for (let z = 0; z < 4; z++)
      for (let y = 0; y < 2; y++)
        for (let x = 0; x < 4; x++) expected.push((4 * w[x]! + 8 * w[z]!) / 12);
    Array.from(input).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('a bright block lands where its coordinate maps (anisotropic, pooled, padded)', () => {
    const [w, h, d] = [90, 70, 24];
    const volume: GrayVolume = {
      width: w,
      height: h,
      depth: d,
      voxels: new Float32Array(w * h * d),
      spacingMm: [0.4, 0.4, 1.5],
    };
    const [cx, cy, cz] = [61, 20, 15];
    for (let z = cz - 2; z <= cz + 2; z++)
      for (let y = cy - 6; y <= cy + 6; y++)
        for (let x = cx - 6; x <= cx + 6; x++) volume.voxels[(z * h + y) * w + x] = 300;
    const { input, letterbox } = letterboxVolume(volume, [16, 24, 20]);
    const found = argmax3(input, 20, 24);
    const expected = toInputPixels([[cx + 0.5, cy + 0.5, cz + 0.5]], letterbox)[0]!;
    found.forEach((v, a) => expect(Math.abs(v - expected[a]!)).toBeLessThanOrEqual(1));
    expect(Math.max(...input)).toBeLessThanOrEqual(1);
    expect(Math.min(...input)).toBeGreaterThanOrEqual(0);
  });

  it('round trip input ↔ original ↔ mm, physical aspect kept (random sizes and spacings)', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 8, max: 600 }),
          fc.integer({ min: 8, max: 600 }),
          fc.integer({ min: 8, max: 400 }),
        ),
        fc.tuple(
          fc.double({ min: 0.1, max: 3, noNaN: true }),
          fc.double({ min: 0.1, max: 3, noNaN: true }),
          fc.double({ min: 0.1, max: 3, noNaN: true }),
        ),
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        (size, spacing, f) => {
          const box = computeVolumeLetterbox(size, spacing, [32, 48, 40]);
          const p = [f.map((v, a) => v * size[a]!)];
          const input = toInputPixels(p, box);
          toOriginalPixels(input, box)[0]!.forEach((v, a) => expect(v).toBeCloseTo(p[0]![a]!, 6));
          // Inside the input, and mm distances agree in both frames.
          [box.inputWidth, box.inputHeight, box.inputDepth].forEach((n, a) => {
            expect(input[0]![a]).toBeGreaterThanOrEqual(-1e-9);
            expect(input[0]![a]).toBeLessThanOrEqual(n + 1e-9);
          });
          const mmIn = inputSpacingMm(spacing, box);
          const mmOriginal = voxelsToMm(p, spacing)[0]!;
          mmOriginal.forEach((v, a) => {
            const offset = [box.offsetX, box.offsetY, box.offsetZ][a]!;
            expect((input[0]![a]! - offset) * mmIn[a]!).toBeCloseTo(v, 6);
          });
          // Aspect kept: axes that are not clamped to one voxel cover the same mm per input voxel,
          // up to rounding the content to whole voxels.
          const wide = mmIn.filter((_, a) => box.resized[a]! >= 8);
          expect(Math.max(...wide) / Math.min(...wide)).toBeLessThan(1.15);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('samples carry landmarks and spacing in input voxels; bad volumes are named', () => {
    const volume: GrayVolume = {
      width: 40,
      height: 30,
      depth: 10,
      voxels: Float32Array.from({ length: 12000 }, (_, i) => i % 7),
      spacingMm: [0.5, 0.5, 2],
    };
    const s = prepareVolumeSample('cbct-1', volume, [8, 8, 16], [[10, 15, 5]]);
    expect(s.landmarks).toEqual([[6, 4, 4]]);
    expect(s.spacingMm).toEqual([2.5, 2.5, 2.5]);
    expect(s.image).toHaveLength(8 * 8 * 16);
    expect(() =>
      prepareVolumeSample('cbct-2', { ...volume, voxels: new Float32Array(11999) }, [8, 8, 16]),
    ).toThrow(/volume "cbct-2": 11999 voxels for a 40×30×10 volume/);
    const nan = Float32Array.from(volume.voxels);
    nan[5] = Number.NaN;
    expect(() => prepareVolumeSample('cbct-3', { ...volume, voxels: nan }, [8, 8, 16])).toThrow(
      /volume "cbct-3": voxel value NaN/,
    );
    expect(() =>
      prepareVolumeSample('cbct-4', { ...volume, spacingMm: [0.5, 0, 2] }, [8, 8, 16]),
    ).toThrow(/volume "cbct-4": .*spacing/);
    expect(() => prepareVolumeSample('cbct-5', volume, [8, 8, 16], [[1, 2]])).toThrow(
      /volume "cbct-5": landmarks must have 3 coordinates/,
    );
  });
});
