/**
 * One-call evaluation of predicted against true landmarks given in pixels with per-case spacing.
 */
import landmarkMetrics from './landmarkMetrics.ts';
import radialErrors from './radialErrors.ts';
import type { EvaluationCase, LandmarkMetrics, MetricsOptions } from './types.ts';

/** Result of {@link evaluateLandmarks}: the summary plus the error matrix it came from. */
export interface Evaluation {
  metrics: LandmarkMetrics;
  /** Radial errors, millimetres, one row per case (NaN = missing, excluded from `metrics`). */
  errorsMm: number[][];
  /** Case ids, in row order. */
  caseIds: string[];
}

/**
 * Radial errors (mm) of every case and their MRE / SD / SDR summary.
 *
 * @throws Error naming the case when its landmark counts, dimensions or spacing are wrong, or when
 *   cases disagree on the number of landmarks.
 */
export default function evaluateLandmarks(
  cases: readonly EvaluationCase[],
  options: MetricsOptions = {},
): Evaluation {
  const expected = options.landmarkNames?.length ?? cases[0]?.truthPx.length;
  const errorsMm = cases.map((c) => {
    if (c.truthPx.length !== expected) {
      throw new Error(`${c.id}: ${c.truthPx.length} true landmarks, expected ${expected}`);
    }
    return radialErrors(c.predictedPx, c.truthPx, c.spacingMm, c.id);
  });
  return { metrics: landmarkMetrics(errorsMm, options), errorsMm, caseIds: cases.map((c) => c.id) };
}
