/**
 * Public types of the landmark metrics (ISBI 2015 challenge conventions: Wang et al., IEEE TMI 34 (2015)
 * and Medical Image Analysis 31 (2016) 63–76).
 */

/** Default success-detection-rate thresholds, millimetres (the challenge's 2, 2.5, 3 and 4 mm). */
export const DEFAULT_SDR_THRESHOLDS_MM: readonly number[] = [2, 2.5, 3, 4];

/** One success detection rate: the fraction of valid errors ≤ `thresholdMm`. */
export interface SuccessRate {
  /** Threshold, millimetres. */
  thresholdMm: number;
  /** Fraction in [0, 1] of valid errors with error ≤ threshold; undefined when there is no valid error. */
  rate: number | undefined;
  /** Number of valid errors with error ≤ threshold. */
  hits: number;
}

/**
 * Statistics of a set of radial errors (one landmark over all cases, or everything pooled).
 * Numeric fields are undefined (never NaN) when there are too few valid errors to define them.
 */
export interface ErrorStatistics {
  /** Valid (finite) errors used. */
  count: number;
  /** Errors excluded because truth or prediction was missing (NaN / non-finite). */
  missing: number;
  /** Mean radial error, millimetres; undefined when count = 0. */
  mreMm: number | undefined;
  /**
   * Sample standard deviation (divisor count − 1, as in the ISBI challenge papers), millimetres;
   * undefined when count < 2.
   */
  sdMm: number | undefined;
  /** Median radial error, millimetres; undefined when count = 0. */
  medianMm: number | undefined;
  /** Largest radial error, millimetres; undefined when count = 0. */
  maxMm: number | undefined;
  /** Success detection rates, one per threshold, in the order of the thresholds given. */
  sdr: SuccessRate[];
}

/** Statistics of one landmark over all cases. */
export interface LandmarkStatistics extends ErrorStatistics {
  /** Landmark name (or L1..Ln). */
  name: string;
}

/** Metrics of a prediction set: per landmark and overall (all valid errors pooled). */
export interface LandmarkMetrics {
  /** One entry per landmark, in landmark order. */
  perLandmark: LandmarkStatistics[];
  /** All valid (case, landmark) errors pooled, as the challenge reports its overall MRE and SD. */
  overall: ErrorStatistics;
  /** Thresholds used for SDR, millimetres. */
  thresholdsMm: number[];
  /** Number of cases. */
  caseCount: number;
}

/** Options of the metric summaries. */
export interface MetricsOptions {
  /** SDR thresholds in millimetres; default {@link DEFAULT_SDR_THRESHOLDS_MM}. */
  thresholdsMm?: readonly number[];
  /** Landmark names, one per landmark; default L1..Ln. */
  landmarkNames?: readonly string[];
}

/** One case to evaluate: predicted and true landmarks in pixels (or voxels) with the spacing per axis. */
export interface EvaluationCase {
  /** Case identifier, used in error messages. */
  id: string;
  /** n rows of d pixel coordinates (x, y[, z]); a non-finite coordinate marks a missing landmark. */
  predictedPx: readonly (readonly number[])[];
  /** n rows of d pixel coordinates (x, y[, z]); a non-finite coordinate marks a missing landmark. */
  truthPx: readonly (readonly number[])[];
  /** Millimetres per pixel along each axis (x, y[, z]); use [1, 1(, 1)] for inputs already in mm. */
  spacingMm: readonly number[];
}
