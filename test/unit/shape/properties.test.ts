// Properties of the regulator (issue 2): invariance under similarity transforms, model shapes come back
// unchanged, a far-displaced landmark is the one flagged, no reflection. Shapes come from seeded
// generated populations (extension/src/core/shape/randomShapes.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applySimilarity,
  fitShapeModel,
  fitSimilarity,
  regulateShape,
  synthesizeShape,
  type ShapeModel,
  type Similarity,
} from '../../../extension/src/core/shape/index.ts';
import {
  makeShapePopulation,
  randomSimilarity,
  seededRandom,
} from '../../../extension/src/core/shape/randomShapes.ts';

const model2d = fitShapeModel(
  makeShapePopulation({ landmarks: 12, dimension: 2, count: 80, modes: 3, noiseMm: 0.05, seed: 7 }),
);
const model3d = fitShapeModel(
  makeShapePopulation({ landmarks: 10, dimension: 3, count: 60, modes: 3, noiseMm: 0.05, seed: 8 }),
);

/** fast-check arbitrary: a seed, turned into a random similarity (scale 0.8–1.25, any rotation). */
const similarity = (d: 2 | 3, rigid = false): fc.Arbitrary<Similarity> =>
  fc.integer().map((seed) => {
    const t = randomSimilarity(d, seededRandom(seed));
    return rigid ? { ...t, scale: 1 } : t;
  });

/** fast-check arbitrary: shape parameters within ±limit·σ_k. */
const params = (model: ShapeModel, limit: number): fc.Arbitrary<number[]> =>
  fc.tuple(...model.sigma.map((s) => fc.double({ min: -limit * s, max: limit * s, noNaN: true })));

const maxDistance = (a: number[][], b: number[][]): number =>
  Math.max(...a.map((p, i) => Math.hypot(...p.map((v, k) => v - b[i]![k]!))));

describe.each([
  ['2D', model2d],
  ['3D', model3d],
])('%s regulation properties', (_name, model) => {
  const d = model.dimension;

  it('a model shape inside ±3σ, placed anywhere, comes back unchanged and unflagged', () => {
    fc.assert(
      fc.property(params(model, 2.99), similarity(d), (b, t) => {
        const shape = synthesizeShape(model, b, t);
        const r = regulateShape(model, shape);
        expect(maxDistance(r.beta, shape)).toBeLessThan(1e-6);
        expect(r.gamma).toEqual(r.beta);
        expect(r.abnormal.some(Boolean)).toBe(false);
        r.bAlpha.forEach((v, k) => expect(v).toBeCloseTo(b[k]!, 6));
        expect(r.bBeta).toEqual(r.bAlpha);
      }),
      { numRuns: 60 },
    );
  });

  it('b and the Mahalanobis distance are invariant under similarity transforms of the input', () => {
    fc.assert(
      fc.property(params(model, 6), similarity(d), similarity(d), (b, t1, t2) => {
        const shape = synthesizeShape(model, b, t1);
        shape[0] = shape[0]!.map((v) => v + 3); // off the model, so the clamp matters
        const r1 = regulateShape(model, shape);
        const r2 = regulateShape(model, applySimilarity(t2, shape));
        r1.bAlpha.forEach((v, k) => expect(r2.bAlpha[k]).toBeCloseTo(v, 6));
        r1.bBeta.forEach((v, k) => expect(r2.bBeta[k]).toBeCloseTo(v, 6));
        expect(r2.mahalanobis).toBeCloseTo(r1.mahalanobis, 6);
        // Deviations are millimetres in the input's frame, so they scale with the transform.
        r1.deviationMm.forEach((v, i) => expect(r2.deviationMm[i]).toBeCloseTo(v * t2.scale, 6));
      }),
      { numRuns: 40 },
    );
  });

  it('the flags are invariant under rigid transforms (deviations are physical mm)', () => {
    fc.assert(
      fc.property(params(model, 5), similarity(d, true), fc.nat(), (b, t, seed) => {
        const shape = synthesizeShape(model, b);
        shape[seed % shape.length]![0]! += 10;
        const r1 = regulateShape(model, shape);
        const r2 = regulateShape(model, applySimilarity(t, shape));
        expect(r2.abnormal).toEqual(r1.abnormal);
      }),
      { numRuns: 40 },
    );
  });

  it('a single landmark displaced 25–40 mm from a plausible shape is the one flagged', () => {
    fc.assert(
      fc.property(
        params(model, 2),
        similarity(d, true),
        fc.nat(),
        fc.double({ min: 25, max: 40, noNaN: true }),
        fc.integer(),
        (b, t, which, distance, seed) => {
          const shape = synthesizeShape(model, b, t);
          const l = which % shape.length;
          const direction = randomSimilarity(d, seededRandom(seed)).rotation[0]!;
          shape[l] = shape[l]!.map((v, k) => v + distance * direction[k]!);
          const r = regulateShape(model, shape);
          expect(r.abnormal[l]).toBe(true);
          expect(r.deviationMm.indexOf(Math.max(...r.deviationMm))).toBe(l);
          // X_γ = X_α when a landmark is abnormal: its coordinates are the input's.
          expect(r.gamma).toEqual(shape);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('no reflection', () => {
  it('never aligns a mirrored shape by reflection: rotation has det +1 and a residual remains', () => {
    const shape = synthesizeShape(
      model2d,
      model2d.sigma.map(() => 0),
    );
    const mirrored = shape.map(([x, y]) => [-x!, y!]);
    const t = fitSimilarity(mirrored, shape);
    const [[a, b], [c, e]] = t.rotation as [[number, number], [number, number]];
    expect(a * e - b * c).toBeCloseTo(1, 12);
    expect(maxDistance(applySimilarity(t, mirrored), shape)).toBeGreaterThan(1);
    const rotated = applySimilarity(randomSimilarity(2, seededRandom(3)), shape);
    expect(
      maxDistance(applySimilarity(fitSimilarity(rotated, shape), rotated), shape),
    ).toBeLessThan(1e-9);
  });

  it('flags a mirrored 3D shape as implausible while its rotated copy passes', () => {
    const shape = synthesizeShape(
      model3d,
      model3d.sigma.map(() => 0),
    );
    const mirrored = shape.map(([x, y, z]) => [-x!, y!, z!]);
    expect(regulateShape(model3d, mirrored).abnormal.some(Boolean)).toBe(true);
    const rotated = applySimilarity(randomSimilarity(3, seededRandom(4)), shape);
    expect(regulateShape(model3d, rotated).abnormal.some(Boolean)).toBe(false);
  });
});
