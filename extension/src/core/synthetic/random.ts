/**
 * Small seeded PRNG for the synthetic generator: mulberry32 (Tommy Ettinger's 32-bit generator, public
 * domain; https://gist.github.com/tommyettinger/46a874533244883189143505d203312c), plus normal deviates
 * by the Box–Muller transform. Hand-written because the generator must be bit-for-bit deterministic in
 * Node and browsers, and Math.random cannot be seeded.
 */

/** A seeded random source; every method advances the state. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Normal deviate with the given mean and standard deviation. */
  normal(mean?: number, sd?: number): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
}

/** Mixes a seed and a stream index into a new 32-bit seed (splitmix32-style finaliser). */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Creates a mulberry32 generator for a 32-bit integer seed. */
export default function createRandom(seed: number): Random {
  let state = seed >>> 0;
  let spare: number | undefined;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const standardNormal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - next(); // (0, 1], avoids log(0)
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    int: (n) => Math.floor(next() * n),
  };
}
