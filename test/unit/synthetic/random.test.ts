// The seeded PRNG against an independent implementation and basic distribution properties.
import { describe, expect, it } from 'vitest';
import createRandom, { deriveSeed } from '../../../extension/src/core/synthetic/random.ts';

describe('createRandom (mulberry32)', () => {
  it('matches an independent Python implementation of mulberry32', () => {
    // Python reference (integers masked to 32 bits):
    //   state = (state + 0x6D2B79F5) & M; t = state; t = ((t ^ t >> 15) * (t | 1)) & M
    //   t ^= (t + (((t ^ t >> 7) * (t | 61)) & M)) & M; return ((t ^ t >> 14) & M) / 2**32
    const r = createRandom(42);
    expect([r.next(), r.next(), r.next(), r.next()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693,
    ]);
    const z = createRandom(0);
    expect([z.next(), z.next()]).toEqual([0.26642920868471265, 0.0003297457005828619]);
  });

  it('gives normal deviates with the requested mean and SD', () => {
    const r = createRandom(7);
    const xs = Array.from({ length: 20000 }, () => r.normal(3, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
    // Standard errors: 2/√20000 ≈ 0.014 for the mean, ≈ 0.01 for the SD.
    expect(Math.abs(mean - 3)).toBeLessThan(0.06);
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
  });

  it('derives distinct, deterministic stream seeds', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(5, i)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(5, 3)).toBe(deriveSeed(5, 3));
    expect(deriveSeed(5, 3)).not.toBe(deriveSeed(6, 3));
  });
});
