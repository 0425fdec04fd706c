/**
 * Public types of the shape regulator (paper section 3.1, Eqs. 3–7).
 * All coordinates are physical millimetres (pixel × spacing); a shape is n landmarks × d coordinates.
 */

export type Dimension = 2 | 3;

/** n rows of d coordinates, millimetres. NaN in a row marks a missing landmark (input only). */
export type Shape = number[][];

export interface FitOptions {
  /** Fraction of the total variance the kept modes must explain (paper: 0.9999). */
  varianceToKeep?: number;
  /** Landmark names, one per row; defaults to L1..Ln. */
  landmarkNames?: string[];
  /** Generalized Procrustes stops when the mean shape moves less than this (Procrustes distance). */
  tolerance?: number;
  /** Upper bound on Generalized Procrustes iterations. */
  maxIterations?: number;
  /** Names of the training shapes (e.g. image ids), quoted in error messages; defaults to "shape i". */
  shapeIds?: string[];
}

/** Shapiro–Wilk test of one mode's coefficients over the training shapes. */
export interface ModeNormality {
  /** W statistic, (0, 1]. */
  w: number;
  /** p-value; below 0.05 the ±kσ rule for this mode rests on a non-normal distribution. */
  p: number;
}

/**
 * A fitted PCA shape model (Eq. 3), plain JSON data. Coordinates in millimetres, in the frame of the
 * Procrustes mean (centred at the origin). Saved and loaded bit for bit (see serialiseShapeModel).
 */
export interface ShapeModel {
  format: 'landmarks-shape-model';
  version: 1;
  units: 'mm';
  dimension: Dimension;
  landmarkNames: string[];
  /** Number of training shapes N. */
  trainingCount: number;
  /** X̄: mean of the aligned training shapes, n × d, mm. */
  meanShape: Shape;
  /** P: the K kept unit principal directions, each flattened (x1, y1[, z1], x2, …). */
  components: number[][];
  /** σ_k: standard deviation of mode k's coefficient over the training shapes (N − 1), mm. */
  sigma: number[];
  /** All eigenvalues of the shape covariance, descending, mm² (kept and dropped). */
  eigenvalues: number[];
  /** The variance fraction asked for (e.g. 0.9999). */
  varianceToKeep: number;
  /** The variance fraction the K kept modes explain. */
  varianceExplained: number;
  /** Shapiro–Wilk per kept mode. */
  normality: ModeNormality[];
  /** How generalized Procrustes ended. */
  procrustes: { iterations: number; converged: boolean; tolerance: number };
}

export interface RegulateOptions {
  /** Each mode's coefficient is clamped to ±sigmaLimit·σ_k (paper: 3). */
  sigmaLimit?: number;
  /** A landmark moved more than this many millimetres by the adjustment is abnormal (paper: Z = 2). */
  abnormalThresholdMm?: number;
  /** Name of the shape (e.g. image id), quoted in error messages. */
  label?: string;
}

/** Result of regulating one predicted shape X_α. Never contains NaN. */
export interface Regulation {
  /** X_α: the input shape; missing landmarks replaced by the model's estimate. */
  alpha: Shape;
  /** X_β = T_α⁻¹(X̄ + P b_β): the shape adjusted into the ±kσ box. */
  beta: Shape;
  /**
   * X_γ: the final pseudo label. Equals X_β when no landmark moved more than Z; otherwise X_α, and the
   * landmarks flagged `abnormal` must be excluded from training (their coordinates are X_α's).
   */
  gamma: Shape;
  /** |X_β − X_α| per landmark, millimetres (0 for missing landmarks). */
  deviationMm: number[];
  /** Landmarks moved more than Z by the adjustment. */
  abnormal: boolean[];
  /** Landmarks missing from the input, returned as the model's estimate. */
  estimated: boolean[];
  /** b_α, shape parameters of the aligned input (K values). */
  bAlpha: number[];
  /** b_β, b_α clamped to ±kσ. */
  bBeta: number[];
  /** Mahalanobis distance of b_α, sqrt(Σ (b_k/σ_k)²): ranks studies for review. */
  mahalanobis: number;
}
