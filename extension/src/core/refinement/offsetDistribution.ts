/**
 * The distribution of a coarse estimate's error around the truth, as the refiner uses it twice: its
 * training patches are centred on truth + an offset drawn from it (drawOffsetMm), and at inference the
 * patch map is weighted by it around the patch centre before the point is read (a MAP read-out: a
 * second structure far from the coarse estimate no longer wins over the landmark near it).
 *
 * The model is a two-component normal mixture per axis (drawOffsetMm): with probability 1 − tailFraction
 * N(0, sdMm²), else N(0, tailSdMm²).
 */
import type { RefinerTrainingOptions } from './types.ts';

export type OffsetDistribution = Pick<
  RefinerTrainingOptions,
  'offsetSdMm' | 'offsetTailSdMm' | 'offsetTailFraction'
>;

/** Errors beyond this many robust SDs count as the tail. */
const TAIL_FROM_SDS = 3;
/** Fewer error values than this give no fit (the caller keeps its preset). */
export const MIN_ERRORS_FOR_FIT = 20;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Fits the mixture to measured errors: the core SD is 1.4826 × the median absolute per-axis error (the
 * SD of a normal, robust to the tail); values beyond 3 core SDs are the tail, whose SD is their RMS.
 * Missing (non-finite) errors are left out.
 *
 * @param errorsMm (dx, dy) of estimate − truth in mm, one per landmark and image
 * @throws Error when fewer than MIN_ERRORS_FOR_FIT finite errors are given
 */
export function fitOffsetDistribution(
  errorsMm: readonly (readonly number[])[],
): OffsetDistribution {
  const values = errorsMm
    .filter((e) => Number.isFinite(e[0]) && Number.isFinite(e[1]))
    .flatMap((e) => [e[0]!, e[1]!]);
  if (values.length < 2 * MIN_ERRORS_FOR_FIT)
    throw new Error(
      `fitting the coarse error distribution needs ${MIN_ERRORS_FOR_FIT} measured errors, got ${values.length / 2}`,
    );
  const sd = Math.max(1.4826 * median(values.map(Math.abs)), 1e-3);
  const tail = values.filter((v) => Math.abs(v) > TAIL_FROM_SDS * sd);
  return {
    offsetSdMm: sd,
    offsetTailSdMm: tail.length ? Math.sqrt(tail.reduce((a, v) => a + v * v, 0) / tail.length) : 0,
    offsetTailFraction: tail.length / values.length,
  };
}

/**
 * The mixture's density on a patch, relative to its centre, scaled to 1 at the centre: row-major
 * [H, W], pixel (i, j) at ((j + 0.5 − W/2), (i + 0.5 − H/2)) patch pixels from the centre (the
 * convention of patchGeometry).
 */
export function offsetPriorMap(
  patchShape: readonly number[],
  mmPerPixel: number,
  d: OffsetDistribution,
): Float32Array {
  const [h, w] = patchShape as [number, number];
  const f = d.offsetTailFraction ?? 0;
  const components = [
    { weight: 1 - f, sd: d.offsetSdMm },
    { weight: f, sd: d.offsetTailSdMm ?? 0 },
  ].filter((c) => c.weight > 0 && c.sd > 0);
  // 2D density of each component: weight / (2π sd²) · exp(−r² / (2 sd²)).
  const density = (r2: number) =>
    components.reduce(
      (a, c) => a + (c.weight / (c.sd * c.sd)) * Math.exp(-r2 / (2 * c.sd * c.sd)),
      0,
    );
  const peak = density(0);
  const out = new Float32Array(h * w);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++) {
      const dx = (j + 0.5 - w / 2) * mmPerPixel;
      const dy = (i + 0.5 - h / 2) * mmPerPixel;
      out[i * w + j] = peak > 0 ? density(dx * dx + dy * dy) / peak : 1;
    }
  return out;
}
