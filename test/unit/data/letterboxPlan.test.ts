// The rank-generic letterbox geometry (core/data/letterboxPlan.ts) that images and volumes share.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import computeLetterbox from '../../../extension/src/core/data/computeLetterbox.ts';
import letterboxPlan from '../../../extension/src/core/data/letterboxPlan.ts';

describe('letterboxPlan', () => {
  it('hand-computed: an ISBI cephalogram, 1935×2400 px, into a 96×128 input', () => {
    // mm per cell = max(1935/96, 2400/128) = 20.15625; y content round(2400/20.15625) = 119 rows;
    // pool factor floor(20.15625/2) = 10; scales 96/(194·10) and 119/(240·10); y offset floor(9/2).
    const plan = letterboxPlan([1935, 2400], [1, 1], [96, 128]);
    expect(plan.resized).toEqual([96, 119]);
    expect(plan.poolFactor).toEqual([10, 10]);
    expect(plan.scale[0]).toBeCloseTo(96 / 1940, 12);
    expect(plan.scale[1]).toBeCloseTo(119 / 2400, 12);
    expect(plan.offset).toEqual([0, 4]);
  });

  it('an image is a volume one thin slice deep: the same x, y geometry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 4, max: 256 }),
        fc.integer({ min: 4, max: 256 }),
        (w, h, iw, ih) => {
          const image = letterboxPlan([w, h], [1, 1], [iw, ih]);
          const volume = letterboxPlan([w, h, 1], [1, 1, 1e-3], [iw, ih, 1]);
          expect(volume.scale.slice(0, 2)).toEqual(image.scale);
          expect(volume.offset.slice(0, 2)).toEqual(image.offset);
          expect(volume.resized.slice(0, 2)).toEqual(image.resized);
          const box = computeLetterbox(w, h, [ih, iw]);
          expect([box.scaleX, box.scaleY, box.offsetX, box.offsetY]).toEqual([
            ...image.scale,
            ...image.offset,
          ]);
        },
      ),
    );
  });

  it('keeps the physical aspect: content mm per input cell equal on every axis within rounding', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 500 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 4, max: 64 }), { minLength: 3, maxLength: 3 }),
        (size, spacing, input) => {
          const plan = letterboxPlan(size, spacing, input);
          const extent = size.map((s, a) => s * spacing[a]!);
          const mmPerCell = Math.max(...extent.map((e, a) => e / input[a]!));
          plan.resized.forEach((r, a) => {
            expect(r).toBeGreaterThanOrEqual(1);
            expect(r).toBeLessThanOrEqual(input[a]!);
            if (r > 1) expect(Math.abs(r - extent[a]! / mmPerCell)).toBeLessThanOrEqual(0.5 + 1e-9);
            expect(plan.offset[a]! + r).toBeLessThanOrEqual(input[a]!);
          });
        },
      ),
    );
  });
});
