// The robust shape fit on generated populations (known truth): gross errors are found and left out,
// the fit of the rest recovers their true place, and a clean shape keeps every landmark.
import { describe, expect, it } from 'vitest';
import { fitShapeModel, regulateShape } from '../../../extension/src/core/shape/index.ts';
import {
  ImplausibleShapeError,
  robustShapeFit,
} from '../../../extension/src/core/shape/robustShapeFit.ts';
import {
  gaussian,
  makeShapePopulation,
  seededRandom,
} from '../../../extension/src/core/shape/randomShapes.ts';

// 19 landmarks with 8 true modes and 0.5 mm noise: the 99.99 % model keeps most of the 34 shape dof.
const population = makeShapePopulation({
  landmarks: 19,
  dimension: 2,
  count: 160,
  modes: 8,
  noiseMm: 0.5,
  seed: 21,
});
const model = fitShapeModel(population.slice(0, 150));
const unseen = population.slice(150);
const distance = (p: number[], q: number[]) => Math.hypot(...p.map((v, a) => v - q[a]!));

describe('robust shape fit', () => {
  it('keeps almost every landmark of unseen shapes with 1 mm noise per coordinate', () => {
    // Radial noise of 1.25 mm on average, 3.4 mm at the 99.7th percentile: a few landmarks of 190 may
    // lie beyond 4 mm of the others' fit by chance, never many.
    const normal = gaussian(seededRandom(3));
    let outliers = 0;
    for (const truth of unseen) {
      const noisy = truth.map((p) => p.map((v) => v + normal()));
      const fit = robustShapeFit(model, noisy);
      outliers += fit.outliers.length;
      fit.deviationMm.forEach((d) => expect(d).toBeLessThan(6));
    }
    console.log(`false outliers: ${outliers} of ${19 * unseen.length}`);
    expect(outliers).toBeLessThanOrEqual(6); // ≤ 3 %
  });

  it('finds two gross errors (25 and 40 mm), and the fit of the others puts them within 3 mm of the truth', () => {
    const normal = gaussian(seededRandom(4));
    for (const truth of unseen) {
      const predicted = truth.map((p) => p.map((v) => v + 0.5 * normal()));
      predicted[4] = [truth[4]![0]! + 25, truth[4]![1]!];
      predicted[11] = [truth[11]![0]!, truth[11]![1]! - 40];
      const fit = robustShapeFit(model, predicted);
      expect([...fit.outliers].sort((a, b) => a - b)).toEqual([4, 11]);
      expect(distance(fit.fitted[4]!, truth[4]!)).toBeLessThan(3);
      expect(distance(fit.fitted[11]!, truth[11]!)).toBeLessThan(3);
      expect(fit.deviationMm[4]).toBeGreaterThan(20);
      // The paper's plain regulator, on the same shape, is pulled by the errors: it moves far more of
      // the good landmarks (or, clamped, cannot follow them), which is why review uses the robust fit.
      const plain = regulateShape(model, predicted, { abnormalThresholdMm: 2 });
      const goodFlagged = plain.abnormal.filter((a, i) => a && i !== 4 && i !== 11).length;
      const robustGoodOff = fit.deviationMm.filter((d, i) => d > 2 && i !== 4 && i !== 11).length;
      expect(robustGoodOff).toBeLessThanOrEqual(goodFlagged);
    }
  });

  it('missing landmarks are never kept and get the fit; at least minKept landmarks stay', () => {
    const truth = unseen[0]!;
    const shape = truth.map((p, i) => (i === 2 ? [Number.NaN, Number.NaN] : [...p]));
    const fit = robustShapeFit(model, shape);
    expect(fit.deviationMm[2]).toBe(0);
    expect(distance(fit.fitted[2]!, truth[2]!)).toBeLessThan(3);
    // Everything displaced at random by 30 mm: the fit stops at minKept.
    const normal = gaussian(seededRandom(5));
    const scrambled = truth.map((p) => p.map((v) => v + 30 * normal()));
    const worst = robustShapeFit(model, scrambled, { minKept: 12 });
    expect(19 - worst.outliers.length).toBeGreaterThanOrEqual(12);
  });

  it('refuses a shape far off the model size (a pile of points) instead of fitting it', () => {
    const pile = unseen[0]!.map((_, i) => [10 + 0.05 * i, 20 - 0.03 * i]);
    expect(() => robustShapeFit(model, pile)).toThrow(ImplausibleShapeError);
  });

  it('refuses shapes with fewer than 3 landmarks or the wrong count', () => {
    const nan = [Number.NaN, Number.NaN];
    expect(() => robustShapeFit(model, unseen[0]!.slice(0, 5))).toThrow(/5 landmarks/);
    const two = unseen[0]!.map((p, i) => (i < 2 ? p : nan));
    expect(() => robustShapeFit(model, two)).toThrow(/only 2 landmarks/);
  });
});
