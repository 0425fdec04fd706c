// extractPatch / sampleBilinear against hand-computed bilinear values on a tiny NON-square image
// (3 wide × 2 high, so a swapped row/column fails), with the pixel-corner convention of
// computeLetterbox (pixel i covers [i, i + 1), centre i + 0.5), plus a property: bilinear sampling
// reproduces a linear ramp exactly at any centre, rotation and resolution inside the image.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import extractPatch, {
  sampleBilinear,
} from '../../../extension/src/core/refinement/extractPatch.ts';
import { patchToImage } from '../../../extension/src/core/refinement/patchGeometry.ts';
import type { GrayImage } from '../../../extension/src/core/data/types.ts';

// Row-major: row 0 = [0 1 2], row 1 = [3 4 5].
const TINY: GrayImage = { width: 3, height: 2, pixels: Float32Array.from([0, 1, 2, 3, 4, 5]) };

describe('sampleBilinear', () => {
  it('returns pixel values at pixel centres and averages between them', () => {
    expect(sampleBilinear(TINY, 0.5, 0.5)).toBe(0);
    expect(sampleBilinear(TINY, 2.5, 0.5)).toBe(2);
    expect(sampleBilinear(TINY, 0.5, 1.5)).toBe(3);
    // The corner shared by pixels 0, 1, 3, 4: their mean.
    expect(sampleBilinear(TINY, 1, 1)).toBeCloseTo((0 + 1 + 3 + 4) / 4, 6);
    // A quarter of the way from pixel (1,0)'s centre to (2,1)'s: 0.75·0.75·1 + 0.25·0.75·2 + 0.75·0.25·4 + 0.25·0.25·5.
    expect(sampleBilinear(TINY, 1.75, 0.75)).toBeCloseTo(0.5625 + 0.375 + 0.75 + 0.3125, 6);
  });

  it('treats outside pixels as 0', () => {
    // Half way between pixel (2,1) = 5 and the outside column x = 3.
    expect(sampleBilinear(TINY, 3, 1.5)).toBeCloseTo(2.5, 6);
    expect(sampleBilinear(TINY, -5, -5)).toBe(0);
  });
});

describe('extractPatch', () => {
  const base = { patchShape: [1, 3], centre: [1.5, 1], mmPerPixel: 0.5, spacingMm: [1, 1] };

  it('samples a 1 × 3 patch at half-pixel steps', () => {
    // Patch pixel c's centre (c + 0.5, 0.5) → image (1.5 + (c − 1)·0.5, 1): (1, 1), (1.5, 1), (2, 1).
    const patch = extractPatch(TINY, { ...base, angleRad: 0 });
    expect(Array.from(patch)).toEqual([2, 2.5, 3]);
  });

  it('rotates the patch axes (90°: the patch x axis runs down the image)', () => {
    // (1.5, 0.5), (1.5, 1), (1.5, 1.5) → 1, (1 + 4)/2, 4.
    const patch = extractPatch(TINY, { ...base, angleRad: Math.PI / 2 });
    expect(Array.from(patch).map((v) => Number(v.toFixed(5)))).toEqual([1, 2.5, 4]);
  });

  it('honours anisotropic pixel spacing (2 mm wide pixels: 1 mm steps are half pixels)', () => {
    const patch = extractPatch(TINY, { ...base, mmPerPixel: 1, spacingMm: [2, 1], angleRad: 0 });
    expect(Array.from(patch)).toEqual([2, 2.5, 3]);
  });

  it('reproduces a linear ramp exactly inside the image (property)', () => {
    const [w, h] = [40, 30];
    const ramp = (x: number, y: number) => 2 * x - 3 * y + 7;
    const pixels = new Float32Array(w * h);
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++) pixels[j * w + i] = ramp(i + 0.5, j + 0.5);
    const image = { width: w, height: h, pixels };
    fc.assert(
      fc.property(
        fc.double({ min: 15, max: 25, noNaN: true }),
        fc.double({ min: 12, max: 18, noNaN: true }),
        fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
        fc.double({ min: 0.2, max: 1.5, noNaN: true }),
        (cx, cy, angleRad, mmPerPixel) => {
          const g = {
            centre: [cx, cy],
            patchShape: [4, 6],
            mmPerPixel,
            spacingMm: [1, 1.25],
            angleRad,
          };
          const patch = extractPatch(image, g);
          for (let r = 0; r < 4; r++) {
            for (let c = 0; c < 6; c++) {
              const [x, y] = patchToImage([c + 0.5, r + 0.5], g);
              expect(patch[r * 6 + c]).toBeCloseTo(ramp(x!, y!), 3);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => extractPatch(TINY, { ...base, angleRad: 0 }, new Float32Array(4))).toThrow(
      /buffer of 4 for 1×3/,
    );
  });
});
