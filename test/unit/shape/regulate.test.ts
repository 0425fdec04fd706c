// Regulation behaviour (Eqs. 4–7) on generated populations: the clamp, options, partial shapes in 2D
// and 3D, and every bad input named in issue 2.
import { describe, expect, it } from 'vitest';
import {
  fitShapeModel,
  invertSimilarity,
  regulateShape,
  synthesizeShape,
} from '../../../extension/src/core/shape/index.ts';
import {
  makeShapePopulation,
  randomSimilarity,
  seededRandom,
} from '../../../extension/src/core/shape/randomShapes.ts';

const training2d = makeShapePopulation({ landmarks: 9, dimension: 2, count: 40, seed: 11 });
const model2d = fitShapeModel(training2d);
/** Few modes for 9 landmarks: 7 visible landmarks still determine every mode. */
const model2dFewModes = fitShapeModel(
  makeShapePopulation({ landmarks: 9, dimension: 2, count: 40, modes: 3, noiseMm: 0.02, seed: 11 }),
);
const model3d = fitShapeModel(
  makeShapePopulation({ landmarks: 33, dimension: 3, count: 40, modes: 5, noiseMm: 0.1, seed: 12 }),
);

const hasNaN = (x: unknown): boolean => JSON.stringify(x).includes('null');
const distance = (p: number[], q: number[]): number => Math.hypot(...p.map((v, k) => v - q[k]!));

describe('shape adjustment (Eqs. 4–6)', () => {
  it('clamps each b component to ±kσ and maps X̄ + P b_β back into the input frame', () => {
    const b = model2d.sigma.map((s, k) => (k === 0 ? 5 * s : k === 1 ? -4 * s : 0.5 * s));
    const t = randomSimilarity(2, seededRandom(5));
    const r = regulateShape(model2d, synthesizeShape(model2d, b, t));
    const clamped = b.map((v, k) =>
      Math.max(-3 * model2d.sigma[k]!, Math.min(3 * model2d.sigma[k]!, v)),
    );
    r.bBeta.forEach((v, k) => expect(v).toBeCloseTo(clamped[k]!, 6));
    const expected = synthesizeShape(model2d, clamped, t);
    r.beta.forEach((p, i) => expect(distance(p, expected[i]!)).toBeLessThan(1e-6));
    expect(r.mahalanobis).toBeCloseTo(Math.hypot(...b.map((v, k) => v / model2d.sigma[k]!)), 6);
  });

  it('a wider limit (--sigma) keeps the shape; a larger Z keeps the flags off', () => {
    const b = model2d.sigma.map((s, k) => (k === 0 ? 4 * s : 0));
    const shape = synthesizeShape(model2d, b);
    const strict = regulateShape(model2d, shape);
    expect(strict.abnormal.some(Boolean)).toBe(true);
    expect(strict.gamma).toEqual(strict.alpha);
    const wide = regulateShape(model2d, shape, { sigmaLimit: 4.5 });
    expect(wide.bBeta).toEqual(wide.bAlpha);
    const maxDev = Math.max(...strict.deviationMm);
    const lenient = regulateShape(model2d, shape, { abnormalThresholdMm: maxDev + 0.01 });
    expect(lenient.abnormal.some(Boolean)).toBe(false);
    expect(lenient.gamma).toEqual(lenient.beta);
  });
});

describe.each([
  ['2D, 9 landmarks', model2dFewModes, [2, 7]],
  ['3D, 33 landmarks', model3d, [0, 5, 17, 30]],
])('partial shapes, %s', (_name, model, missing) => {
  it('aligns on the visible landmarks and returns the missing ones as the model estimate', () => {
    const b = model.sigma.map((s, k) => (k < 3 ? 1.5 * s * (k % 2 ? -1 : 1) : 0));
    const t = randomSimilarity(model.dimension, seededRandom(9));
    const full = synthesizeShape(model, b, t);
    const partial = full.map((p, i) => (missing.includes(i) ? p.map(() => NaN) : p));
    const r = regulateShape(model, partial);
    expect(hasNaN(r)).toBe(false);
    expect(r.estimated).toEqual(full.map((_, i) => missing.includes(i)));
    for (const i of missing) {
      expect(r.deviationMm[i]).toBe(0);
      expect(r.abnormal[i]).toBe(false);
      expect(r.alpha[i]).toEqual(r.beta[i]);
      // K ≤ visible coordinates − similarity d.o.f. here, so a model shape is fully determined by its
      // visible landmarks and the estimate is exact.
      expect(distance(r.alpha[i]!, full[i]!)).toBeLessThan(1e-5);
    }
    expect(r.abnormal.some(Boolean)).toBe(false);
  });

  it('still flags a far-displaced visible landmark', () => {
    const full = synthesizeShape(
      model,
      model.sigma.map(() => 0),
    );
    const partial = full.map((p, i) => (missing.includes(i) ? p.map(() => NaN) : [...p]));
    const l = missing[0]! + 1;
    partial[l]![0]! += 30;
    const r = regulateShape(model, partial);
    expect(r.abnormal[l]).toBe(true);
    expect(hasNaN(r)).toBe(false);
  });
});

describe('under-determined partial shapes', () => {
  it('with more modes than visible degrees of freedom: finite output, visible landmarks kept', () => {
    // model2d: 12 modes; 4 visible landmarks give 8 coordinates, 4 of them taken by the similarity.
    const full = synthesizeShape(
      model2d,
      model2d.sigma.map((s) => 0.5 * s),
      randomSimilarity(2, seededRandom(2)),
    );
    const partial = full.map((p, i) => (i < 5 ? p.map(() => NaN) : p));
    const r = regulateShape(model2d, partial);
    expect(hasNaN(r)).toBe(false);
    expect(r.estimated.filter(Boolean)).toHaveLength(5);
    expect(r.abnormal.some(Boolean)).toBe(false);
    // Some b matches the visible rows exactly: without the clamp, X_β reproduces them (up to the
    // solver's 1e-6 ridge: well under 0.01 mm, against ~0.5 mm with the clamp).
    const unclamped = regulateShape(model2d, partial, { sigmaLimit: 100 });
    expect(Math.max(...unclamped.deviationMm)).toBeLessThan(0.01);
  });
});

describe('3D with all landmarks', () => {
  it('recovers a placed model shape and flags a displaced one', () => {
    const t = randomSimilarity(3, seededRandom(21));
    const shape = synthesizeShape(
      model3d,
      model3d.sigma.map((s) => 0.7 * s),
      t,
    );
    const r = regulateShape(model3d, shape);
    expect(r.abnormal.some(Boolean)).toBe(false);
    r.beta.forEach((p, i) => expect(distance(p, shape[i]!)).toBeLessThan(1e-6));
    shape[12] = shape[12]!.map((v) => v + 12);
    expect(regulateShape(model3d, shape).abnormal[12]).toBe(true);
    expect(invertSimilarity(t).scale).toBeCloseTo(1 / t.scale, 12);
  });
});

describe('bad input', () => {
  const good = training2d.slice(0, 5);
  it.each([
    [() => fitShapeModel(good.slice(0, 2)), /at least 3 training shapes, got 2/],
    [() => fitShapeModel([...good, good[0]!.slice(1)]), /training shape 6: has 8 landmarks/],
    [
      () => fitShapeModel([...good, good[0]!.map((p) => [...p, 0])]),
      /training shape 6: landmark 1 has 3 coordinates, expected 2/,
    ],
    [
      () => fitShapeModel([...good, good[0]!.map((p, i) => (i === 3 ? [NaN, 1] : p))]),
      /training shape 6: landmark 4 is \["NaN","1"\]/,
    ],
    [
      () =>
        fitShapeModel([good[0]!, good[1]!, good[2]!.map((p, i) => (i ? p : [Infinity, 0]))], {
          shapeIds: ['a', 'b', 'c.jpg'],
        }),
      /c\.jpg: landmark 1 is \["Infinity","0"\]/,
    ],
    [() => fitShapeModel([...good, good[0]!.map(() => [1, 2])]), /all landmarks coincide/],
    [
      () => fitShapeModel([...good, good[0]!.map((_, i) => [i, 2 * i])]),
      /training shape 6: landmarks are collinear/,
    ],
    [() => fitShapeModel(good, { varianceToKeep: 1.5 }), /varianceToKeep must be in \(0, 1\]/],
    [() => fitShapeModel(good.map((s) => s.slice(0, 2))), /at least 3 landmarks/],
    [() => fitShapeModel(good, { landmarkNames: ['a'] }), /1 landmark names for 9 landmarks/],
    [() => regulateShape(model2d, training2d[0]!.slice(1), { label: 'img 7' }), /img 7: has 8/],
    [
      () =>
        regulateShape(
          model2d,
          training2d[0]!.map(() => [NaN, NaN]),
        ),
      /only 0 landmarks visible/,
    ],
    [
      () =>
        regulateShape(
          model2d,
          training2d[0]!.map((p) => [p[0]!, NaN]),
        ),
      /landmark 1 is/,
    ],
    [
      () =>
        regulateShape(
          model2d,
          training2d[0]!.map(() => [3, 3]),
        ),
      /coincide/,
    ],
    [() => regulateShape(model2d, training2d[0]!, { sigmaLimit: 0 }), /sigma limit/],
    [() => regulateShape(model2d, training2d[0]!, { abnormalThresholdMm: NaN }), /threshold Z/],
    [() => regulateShape(model3d, training2d[0]!), /has 9 landmarks, the model has 33/],
  ])('%# throws a clear error', (call, message) => {
    expect(call).toThrow(message);
  });
});
