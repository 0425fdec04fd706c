/**
 * Standard normal distribution: CDF and quantile, in double precision.
 *
 * Hand-written because no maintained, dependency-free npm package gives both at double precision
 * (the Shapiro–Wilk test below needs them); each is a published algorithm, cited, and is checked
 * against scipy.stats.norm in test/__fixtures__/shape/reference.json.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Lower tail of the standard normal at `x`, Φ(x). Hart (1968) double-precision rational approximation
 * as given by G. West, "Better approximations to cumulative normal functions" (2005); absolute error
 * below 1e-14 and relative error below 1e-8 down to 1e-300 (checked against scipy); the tail is computed
 * directly (no 1 − Φ cancellation).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new Error('normalCdf: x is NaN');
  const ax = Math.abs(x);
  let tail: number;
  if (ax > 37) {
    tail = 0;
  } else if (ax < 7.07106781186547) {
    const e = Math.exp(-(ax * ax) / 2);
    let num = 3.52624965998911e-2 * ax + 0.700383064443688;
    num = num * ax + 6.37396220353165;
    num = num * ax + 33.912866078383;
    num = num * ax + 112.079291497871;
    num = num * ax + 221.213596169931;
    num = num * ax + 220.206867912376;
    let den = 8.83883476483184e-2 * ax + 1.75566716318264;
    den = den * ax + 16.064177579207;
    den = den * ax + 86.7807322029461;
    den = den * ax + 296.564248779674;
    den = den * ax + 637.333633378831;
    den = den * ax + 793.826512519948;
    den = den * ax + 440.413735824752;
    tail = (e * num) / den;
  } else {
    const e = Math.exp(-(ax * ax) / 2);
    let b = ax + 0.65;
    b = ax + 4 / b;
    b = ax + 3 / b;
    b = ax + 2 / b;
    b = ax + 1 / b;
    tail = e / b / 2.506628274631;
  }
  return x > 0 ? 1 - tail : tail;
}

/** Upper tail 1 − Φ(x), without cancellation for large x. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

// P. J. Acklam's rational approximation of the normal quantile (relative error 1.15e-9).
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Horner evaluation of c[0]·xⁿ + … + c[n]. */
function horner(c: readonly number[], x: number): number {
  return c.reduce((acc, v) => acc * x + v, 0);
}

/** Acklam's initial approximation of Φ⁻¹(p). */
function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(C, q) / (horner(D, q) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -horner(C, q) / (horner(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / (horner(B, r) * r + 1);
}

/**
 * Quantile of the standard normal, Φ⁻¹(p) for 0 < p < 1: Acklam's approximation refined by one
 * Halley step on {@link normalCdf}: error below 1e-12 for 1e-3 ≤ p ≤ 0.999, below 1e-9 relative in
 * the tails (limited by the CDF's accuracy).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const x = acklam(p);
  // Beyond |x| = 37 the CDF underflows to 0 and the refinement would be meaningless.
  if (Math.abs(x) > 37) return x;
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
