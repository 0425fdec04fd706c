/**
 * Summary statistics of radial errors: MRE, sample SD, median, max and SDR. Non-finite errors are
 * excluded and counted as missing; no field is ever NaN.
 */
import type { ErrorStatistics } from './types.ts';

/**
 * Statistics of a list of radial errors in millimetres.
 *
 * SD is the sample standard deviation sqrt(Σ(Rᵢ − MRE)² / (N − 1)), the definition of the ISBI 2015
 * challenge papers (Wang et al. 2016, Eq. for SD); SDR at threshold t is #{Rᵢ ≤ t} / N.
 *
 * @param errorsMm radial errors, millimetres; NaN / non-finite entries are missing.
 * @param thresholdsMm SDR thresholds, millimetres.
 */
export default function errorStatistics(
  errorsMm: readonly number[],
  thresholdsMm: readonly number[],
): ErrorStatistics {
  const valid = errorsMm.filter((e) => Number.isFinite(e));
  const count = valid.length;
  const missing = errorsMm.length - count;
  const sdr = thresholdsMm.map((thresholdMm) => {
    const hits = valid.filter((e) => e <= thresholdMm).length;
    return { thresholdMm, hits, rate: count > 0 ? hits / count : undefined };
  });
  if (count === 0) {
    return {
      count,
      missing,
      mreMm: undefined,
      sdMm: undefined,
      medianMm: undefined,
      maxMm: undefined,
      sdr,
    };
  }
  const mean = valid.reduce((a, b) => a + b, 0) / count;
  const sdMm =
    count >= 2
      ? Math.sqrt(valid.reduce((a, e) => a + (e - mean) ** 2, 0) / (count - 1))
      : undefined;
  const sorted = [...valid].sort((a, b) => a - b);
  const mid = Math.floor(count / 2);
  const medianMm = count % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { count, missing, mreMm: mean, sdMm, medianMm, maxMm: sorted[count - 1], sdr };
}
