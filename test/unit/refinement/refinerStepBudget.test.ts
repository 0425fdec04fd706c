// The refiner's step budget (issue 3, session 3): passes over the (image, landmark) patches, so a
// refiner on 150 images is trained as many times per patch as one on 20 (within the preset's bounds).
// Expected values are worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import refinerStepBudget from '../../../extension/src/core/refinement/refinerStepBudget.ts';
import { REFINER_PRESETS } from '../../../extension/src/core/refinement/presets.ts';

const QUICK = { passes: 20, minSteps: 400, maxSteps: 3000 };

describe('refinerStepBudget', () => {
  it('gives the steps of the wanted passes, within the bounds (hand-computed)', () => {
    // 20 · 16 images · 19 landmarks / 16 per step = 380 → raised to the minimum 400.
    expect(refinerStepBudget(16, 19, 16, QUICK)).toBe(400);
    // 20 · 24 · 19 / 16 = 570.
    expect(refinerStepBudget(24, 19, 16, QUICK)).toBe(570);
    // 20 · 120 · 19 / 16 = 2850.
    expect(refinerStepBudget(120, 19, 16, QUICK)).toBe(2850);
    // 20 · 150 · 19 / 16 = 3562.5 → 3563 → capped at 3000.
    expect(refinerStepBudget(150, 19, 16, QUICK)).toBe(3000);
    // 2.5 · 3 · 5 / 4 = 9.375 → 10 (a partial step is a whole step).
    expect(refinerStepBudget(3, 5, 4, { passes: 2.5, minSteps: 0, maxSteps: 100 })).toBe(10);
  });

  it('gives every unclipped budget at least the passes asked for, and less than one step more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 64 }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (images, n, batch, passes) => {
          const steps = refinerStepBudget(images, n, batch, {
            passes,
            minSteps: 0,
            maxSteps: 1e9,
          });
          const achieved = (steps * batch) / (images * n);
          expect(achieved).toBeGreaterThanOrEqual(passes - 1e-9);
          expect(((steps - 1) * batch) / (images * n)).toBeLessThan(passes);
        },
      ),
    );
  });

  it('gives the quick preset as many passes at 120 training images as at 16 (within its cap)', () => {
    const q = REFINER_PRESETS.quick;
    const budget = { passes: q.trainingPasses, minSteps: q.minSteps, maxSteps: q.maxSteps };
    const passes = (images: number) =>
      (refinerStepBudget(images, 19, q.batchSize, budget) * q.batchSize) / (images * 19);
    expect(passes(120)).toBeCloseTo(q.trainingPasses, 6);
    expect(passes(16)).toBeGreaterThanOrEqual(q.trainingPasses);
  });

  it('names the bad input', () => {
    expect(() => refinerStepBudget(0, 19, 16, QUICK)).toThrow(/images must be a positive integer/);
    expect(() => refinerStepBudget(5, 19, 1.5, QUICK)).toThrow(/batchSize/);
    expect(() => refinerStepBudget(5, 19, 16, { ...QUICK, passes: 0 })).toThrow(/passes/);
    expect(() => refinerStepBudget(5, 19, 16, { ...QUICK, maxSteps: 10 })).toThrow(
      /minSteps ≤ maxSteps/,
    );
  });
});
