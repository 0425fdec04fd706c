/**
 * Metrics of a prediction set from a matrix of radial errors (cases × landmarks): per landmark and
 * overall (all valid errors pooled, as the ISBI 2015 challenge reports them).
 */
import errorStatistics from './errorStatistics.ts';
import { DEFAULT_SDR_THRESHOLDS_MM, type LandmarkMetrics, type MetricsOptions } from './types.ts';

/**
 * Summarises radial errors per landmark and overall.
 *
 * @param errorsMm one row per case, one column per landmark, millimetres; NaN marks a missing landmark
 *   (excluded from every statistic and counted in `missing`).
 * @param options SDR thresholds (mm) and landmark names.
 * @throws Error when rows have different lengths, names do not match the landmark count, or a
 *   threshold is not a finite non-negative number.
 */
export default function landmarkMetrics(
  errorsMm: readonly (readonly number[])[],
  options: MetricsOptions = {},
): LandmarkMetrics {
  const thresholdsMm = [...(options.thresholdsMm ?? DEFAULT_SDR_THRESHOLDS_MM)];
  thresholdsMm.forEach((t) => {
    if (!Number.isFinite(t) || t < 0) throw new Error(`SDR threshold must be ≥ 0 mm, got ${t}`);
  });
  const n = options.landmarkNames?.length ?? errorsMm[0]?.length ?? 0;
  errorsMm.forEach((row, c) => {
    if (row.length !== n) {
      throw new Error(`case ${c + 1} has ${row.length} landmark errors, expected ${n}`);
    }
  });
  const names = options.landmarkNames ?? Array.from({ length: n }, (_, i) => `L${i + 1}`);
  const perLandmark = names.map((name, i) => ({
    name,
    ...errorStatistics(
      errorsMm.map((row) => row[i]),
      thresholdsMm,
    ),
  }));
  const overall = errorStatistics(errorsMm.flat(), thresholdsMm);
  return { perLandmark, overall, thresholdsMm, caseCount: errorsMm.length };
}
