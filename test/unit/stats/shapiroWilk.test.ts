// Reference values: scipy.stats (versions in the fixture), made by scripts/fixtures/shape_reference.py.
import { describe, expect, it } from 'vitest';
import reference from '../../__fixtures__/shape/reference.json' with { type: 'json' };
import { normalCdf, normalQuantile } from '../../../extension/src/core/stats/normal.ts';
import { shapiroWilk } from '../../../extension/src/core/stats/shapiroWilk.ts';

describe('normal distribution', () => {
  it.each(reference.normal.cdf)(
    'Φ(%f) matches scipy.stats.norm.cdf (1e-15 abs, 1e-8 rel)',
    (x, p) => {
      const error = Math.abs(normalCdf(x!) - p!);
      expect(error).toBeLessThanOrEqual(1e-15);
      expect(error).toBeLessThanOrEqual(1e-8 * p!);
    },
  );

  it.each(reference.normal.ppf)('Φ⁻¹(%f) matches scipy.stats.norm.ppf', (p, x) => {
    const central = p! >= 1e-3 && p! <= 0.999;
    expect(Math.abs(normalQuantile(p!) - x!)).toBeLessThanOrEqual(
      central ? 1e-12 : 1e-9 * Math.abs(x!),
    );
  });

  it('rejects probabilities outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(/\(0, 1\)/);
    expect(() => normalQuantile(1)).toThrow(/\(0, 1\)/);
  });
});

describe('Shapiro–Wilk (AS R94)', () => {
  it.each(reference.shapiro.map((c) => [c.n, c.distribution, c] as const))(
    'n = %i (%s): W and p match scipy.stats.shapiro',
    (_n, _dist, c) => {
      const { w, p } = shapiroWilk(c.sample);
      // scipy's swilk works in single precision, so W agrees with it to float32 level and to 1e-12
      // with the fixture's double-precision recomputation (numpy, same AS R94 coefficients); p, a
      // steep function of W near 1, agrees to 1e-3 relative.
      expect(Math.abs(w - c.wDouble)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(w - c.w)).toBeLessThanOrEqual(5e-6);
      expect(Math.abs(p - c.p)).toBeLessThanOrEqual(1e-3 * c.p + 1e-7);
    },
  );

  it('is invariant to location and scale and to the order of the sample', () => {
    const x = reference.shapiro[6]!.sample;
    const base = shapiroWilk(x);
    const moved = shapiroWilk([...x].reverse().map((v) => 1000 + 3.5 * v));
    expect(moved.w).toBeCloseTo(base.w, 12);
    expect(moved.p).toBeCloseTo(base.p, 12);
  });

  it('rejects too-small, constant and non-finite samples', () => {
    expect(() => shapiroWilk([1, 2])).toThrow(/at least 3/);
    expect(() => shapiroWilk([4, 4, 4, 4])).toThrow(/identical/);
    expect(() => shapiroWilk([1, NaN, 3])).toThrow(/NaN/);
  });
});
