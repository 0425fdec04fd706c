// Reference values: numpy / scipy / scikit-learn (versions in the fixture), computed by
// scripts/fixtures/shape_reference.py on the same generated shapes (7 × 2D landmarks, 6 × 3D).
import { describe, expect, it } from 'vitest';
import reference from '../../__fixtures__/shape/reference.json' with { type: 'json' };
import {
  fitShapeModel,
  fitSimilarity,
  generalizedProcrustes,
} from '../../../extension/src/core/shape/index.ts';

/** Largest absolute difference between two equally shaped nested arrays. */
function maxDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return Infinity;
  return Math.max(0, ...a.map((v, i) => maxDiff(v, b[i])));
}

describe.each([
  ['2D', reference.twoD],
  ['3D', reference.threeD],
])('%s shapes against numpy/sklearn', (_name, ref) => {
  it('pairwise similarity fit (checked in the script against scipy orthogonal_procrustes)', () => {
    const t = fitSimilarity(ref.shapes[1]!, ref.shapes[0]!);
    expect(t.scale).toBeCloseTo(ref.pair.scale, 12);
    expect(maxDiff(t.rotation, ref.pair.rotation)).toBeLessThan(1e-12);
    expect(maxDiff(t.translation, ref.pair.translation)).toBeLessThan(1e-9);
  });

  it('generalized Procrustes: mean shape and aligned (tangent-projected) shapes', () => {
    const gpa = generalizedProcrustes(ref.shapes, 1e-10, 100);
    expect(gpa.converged).toBe(true);
    expect(maxDiff(gpa.mean, ref.alignedMean)).toBeLessThan(1e-7);
    expect(maxDiff(gpa.aligned, ref.aligned)).toBeLessThan(1e-7);
  });

  it('PCA: mean, eigenvalues, modes kept for 99.99 %, components up to sign', () => {
    const model = fitShapeModel(ref.shapes);
    expect(maxDiff(model.meanShape.flat(), ref.pcaMean)).toBeLessThan(1e-7);
    const rank = ref.eigenvalues.length;
    ref.eigenvalues.forEach((v, k) => {
      expect(Math.abs(model.eigenvalues[k]! - v)).toBeLessThan(1e-7 * ref.eigenvalues[0]!);
    });
    expect(model.eigenvalues.slice(rank).every((v) => v < 1e-9 * ref.eigenvalues[0]!)).toBe(true);
    expect(model.components.length).toBe(ref.modesKept);
    expect(model.sigma.map((s) => s * s)).toEqual(
      model.eigenvalues.slice(0, ref.modesKept).map((v) => expect.closeTo(v, 10)),
    );
    ref.components.forEach((c, k) => {
      const sign = Math.sign(c.reduce((s, v, j) => s + v * model.components[k]![j]!, 0));
      // Near-equal eigenvalues make a component ill-defined; the gap bounds its error (Davis–Kahan).
      const gap = Math.min(
        ...[k - 1, k + 1]
          .filter((j) => j >= 0 && j < rank)
          .map((j) => Math.abs(ref.eigenvalues[j]! - ref.eigenvalues[k]!)),
      );
      const tolerance = Math.max(1e-7, (1e-7 * ref.eigenvalues[0]!) / gap);
      expect(
        maxDiff(
          model.components[k]!.map((v) => sign * v),
          c,
        ),
      ).toBeLessThan(tolerance);
    });
  });

  it('Shapiro–Wilk per mode matches scipy.stats.shapiro on the mode coefficients', () => {
    const model = fitShapeModel(ref.shapes);
    ref.shapiro.forEach((s, k) => {
      expect(Math.abs(model.normality[k]!.w - s.w)).toBeLessThan(1e-5);
      expect(Math.abs(model.normality[k]!.p - s.p)).toBeLessThan(2e-3 * s.p + 1e-6);
    });
  });
});

describe('conventions', () => {
  it('keeps the components orthonormal and the modes ordered by variance', () => {
    const model = fitShapeModel(reference.threeD.shapes);
    model.components.forEach((a, i) =>
      model.components.forEach((b, j) => {
        const dot = a.reduce((s, v, k) => s + v * b[k]!, 0);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
      }),
    );
    expect([...model.sigma].sort((x, y) => y - x)).toEqual(model.sigma);
  });

  it('a smaller variance fraction keeps fewer modes, explaining at least that fraction', () => {
    const model = fitShapeModel(reference.twoD.shapes, { varianceToKeep: 0.9 });
    const total = reference.twoD.eigenvalues.reduce((s, v) => s + v, 0);
    const cumulative = reference.twoD.eigenvalues.map((_, k, e) =>
      e.slice(0, k + 1).reduce((s, v) => s + v / total, 0),
    );
    expect(model.components.length).toBe(cumulative.findIndex((c) => c >= 0.9) + 1);
    expect(model.varianceExplained).toBeGreaterThanOrEqual(0.9);
  });
});
