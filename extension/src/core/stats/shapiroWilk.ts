/**
 * Shapiro–Wilk test of normality, Royston's algorithm AS R94 (Applied Statistics 44(4), 1995), the one
 * scipy.stats.shapiro and R's shapiro.test use.
 *
 * Hand-written: no maintained npm package implements it. Checked against scipy.stats.shapiro in
 * test/__fixtures__/shape/reference.json (script: scripts/fixtures/shape_reference.py).
 */
import { normalQuantile, normalSf } from './normal.ts';

/** Result of the test: the statistic W in (0, 1] and its p-value (small p: not normal). */
export interface ShapiroWilkResult {
  w: number;
  p: number;
}

// Polynomial coefficients of AS R94, lowest degree first.
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];

/** c[0] + c[1]·x + c[2]·x² + … */
function poly(c: readonly number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + c[i]!;
  return v;
}

/** The n/2 Shapiro–Wilk coefficients a_1 ≥ a_2 ≥ … > 0 for sample size n (AS R94 approximation). */
export function shapiroWilkCoefficients(n: number): number[] {
  const half = Math.floor(n / 2);
  if (n === 3) return [Math.SQRT1_2];
  const m: number[] = [];
  for (let i = 1; i <= half; i++) m.push(normalQuantile((i - 0.375) / (n + 0.25)));
  const summ2 = 2 * m.reduce((s, v) => s + v * v, 0);
  const ssumm2 = Math.sqrt(summ2);
  const rsn = 1 / Math.sqrt(n);
  const a1 = poly(C1, rsn) - m[0]! / ssumm2;
  const a = [a1];
  let first: number;
  let fac: number;
  if (n > 5) {
    const a2 = -m[1]! / ssumm2 + poly(C2, rsn);
    fac = Math.sqrt((summ2 - 2 * m[0]! ** 2 - 2 * m[1]! ** 2) / (1 - 2 * a1 ** 2 - 2 * a2 ** 2));
    a.push(a2);
    first = 2;
  } else {
    fac = Math.sqrt((summ2 - 2 * m[0]! ** 2) / (1 - 2 * a1 ** 2));
    first = 1;
  }
  for (let i = first; i < half; i++) a.push(-m[i]! / fac);
  return a;
}

/** W = (Σ a_i (x_(n+1−i) − x_(i)))² / Σ (x − x̄)², on the sorted sample. */
function statistic(sorted: readonly number[], a: readonly number[]): number {
  const n = sorted.length;
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  let num = 0;
  for (let i = 0; i < a.length; i++) num += a[i]! * (sorted[n - 1 - i]! - sorted[i]!);
  return Math.min(1, (num * num) / ss);
}

/** p-value of W for sample size n (AS R94: exact for n = 3, normalising transforms otherwise). */
function pValue(w: number, n: number): number {
  if (n === 3) {
    const p = (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.asin(Math.sqrt(0.75)));
    return Math.min(1, Math.max(0, p));
  }
  let y = Math.log(1 - w);
  let mean: number;
  let sd: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return 1e-99;
    y = -Math.log(gamma - y);
    mean = poly(C3, n);
    sd = Math.exp(poly(C4, n));
  } else {
    const ln = Math.log(n);
    mean = poly(C5, ln);
    sd = Math.exp(poly(C6, ln));
  }
  return normalSf((y - mean) / sd);
}

/**
 * Shapiro–Wilk test of the hypothesis that `sample` comes from a normal distribution.
 * Valid for 3 ≤ n ≤ 5000 (the algorithm's range); throws on fewer than 3 values, non-finite values
 * or a sample with zero range.
 */
export function shapiroWilk(sample: readonly number[]): ShapiroWilkResult {
  const n = sample.length;
  if (n < 3) throw new Error(`Shapiro–Wilk needs at least 3 values, got ${n}`);
  if (sample.some((v) => !Number.isFinite(v))) {
    throw new Error('Shapiro–Wilk: the sample contains NaN or Infinity');
  }
  const sorted = [...sample].sort((x, y) => x - y);
  const range = sorted[n - 1]! - sorted[0]!;
  if (!(range > 1e-19 * Math.max(1, Math.abs(sorted[0]!)))) {
    throw new Error('Shapiro–Wilk: all values are identical');
  }
  // Centre and scale first: W is location/scale invariant and this keeps the sums well conditioned.
  const scaled = sorted.map((v) => (v - sorted[0]!) / range);
  const w = statistic(scaled, shapiroWilkCoefficients(n));
  return { w, p: pValue(w, n) };
}
