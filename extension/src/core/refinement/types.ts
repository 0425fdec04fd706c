/**
 * Types of the coarse-to-fine refinement: a patch network that re-locates each landmark in a small
 * high-resolution patch cut from the ORIGINAL image around a coarse estimate (issue 3, "coarse-to-fine").
 */
import type { ResolvedModelConfig } from '../models/types.ts';
import type { OffsetDistribution } from './offsetDistribution.ts';

/** Geometry and network of a refiner (everything needed to apply a trained one). */
export interface RefinerConfig {
  /** Patch size [H, W] in patch pixels. Each must divide by 2^(depth−1). Default [64, 64]. */
  patchShape: number[];
  /** Millimetres per patch pixel (isotropic). Default 0.4 (64 px = 25.6 mm field). */
  mmPerPixel: number;
  /** Refinement passes at inference: pass k is centred on pass k−1's result. Default 2. */
  passes: number;
  /** Number of landmarks n (= output heatmaps; a patch of landmark i uses channel i only). */
  landmarkCount: number;
  /** U-Net levels. Default 3. */
  depth: number;
  /** Filters at the finest level. Default 16. */
  baseFilters: number;
  /** Seed of the weight initialisers. Default 0. */
  seed: number;
  /**
   * The gate, one entry per landmark: false keeps the coarse estimate of that landmark (refinement did
   * not lower its error on held-out images, see decideRefinerGate). Absent: every landmark is refined.
   */
  useRefined?: boolean[];
  /**
   * σ (patch pixels) of the heatmap L1 it was trained with; the point is then read near the map's
   * maximum. Absent: trained on the integral L1 (and Region Attention), read by the plain integral.
   */
  heatmapSigma?: number;
  /**
   * The coarse estimate's error distribution the training patches were centred with (mm). Present:
   * each patch map is weighted by it around the patch centre before the point is read (MAP read-out,
   * offsetDistribution.ts). Absent (refiners saved before it): the map alone.
   */
  prior?: OffsetDistribution;
}

/** What callers may pass: landmarkCount is required, the rest has defaults. */
export type RefinerConfigInput = Partial<RefinerConfig> & { landmarkCount: number };

/**
 * An image ready for patch sampling: intensities normalised to [0, 1] by the original's own minimum and
 * maximum, and box-averaged by an integer factor per axis so that bilinear sampling at the patch
 * resolution does not alias. Level pixel (i, j) covers original pixels [factor·i, factor·(i+1)).
 */
export interface RefinerImage {
  width: number;
  height: number;
  /** Row-major, [0, 1]. */
  pixels: Float32Array;
  /** Original pixels per level pixel along (x, y). */
  factor: number[];
  /** Millimetres per LEVEL pixel along (x, y) (= original spacing · factor). */
  spacingMm: number[];
}

/** One labelled training image for the refiner. */
export interface RefinerSample {
  id: string;
  image: RefinerImage;
  /** n × 2 landmarks in ORIGINAL pixels (continuous, pixel-corner convention); NaN rows are missing. */
  landmarks: number[][];
}

/** Progress of one refiner training step. */
export interface RefinerProgress {
  /** 1-based step, and the planned number of steps. */
  step: number;
  steps: number;
  loss: number;
}

/** Options of {@link trainRefiner} (all but the ones marked have defaults, see constants.ts). */
export interface RefinerTrainingOptions {
  /** Patch geometry; must match the model's input. */
  patchShape: number[];
  mmPerPixel: number;
  /**
   * Training patches are centred on truth + offset (mm, per axis): with probability 1 − offsetTailFraction
   * offset ~ N(0, offsetSdMm²), else N(0, offsetTailSdMm²) (a heavier tail, like the coarse network's
   * errors); clipped so that the truth stays at least an eighth of the field inside the patch.
   */
  offsetSdMm: number;
  /** SD of the tail component of the offset mixture, mm. Default 0 (no tail). */
  offsetTailSdMm: number;
  /** Weight of the tail component, in [0, 1]. Default 0. */
  offsetTailFraction: number;
  /** Optimiser steps. */
  steps: number;
  /** Patches per step (random image, random landmark). */
  batchSize: number;
  seed: number;
  /** Maximum patch rotation, degrees (uniform in ±). */
  rotationDeg: number;
  /** Intensity jitter: gain in 1 ± j, offset in ± j. */
  intensityJitter: number;
  /** Maximum standard deviation of additive Gaussian noise ([0, 1] intensity units). */
  noiseSd: number;
  /** Weight of the auxiliary Region Attention term (Eq. 10, fixed |δ| of half a patch pixel); 0 disables it. */
  regionAttentionWeight: number;
  /** σ (patch pixels) of the heatmap L1 (losses/heatmapLoss.ts); undefined: the integral L1. */
  heatmapSigma?: number;
  /** Global gradient-norm clip; undefined disables it. */
  clipNorm?: number;
  onProgress?: (progress: RefinerProgress) => void;
  signal?: AbortSignal;
}

/** What the gate was decided on (refiner.json `gate`). */
export interface RefinerGateReport {
  /** 'validation': the coarse network's estimates on the training run's validation images;
   * 'held-out': labelled images kept out of refiner training, coarse-like estimates = truth + offsets drawn
   * like the training offsets. */
  source: 'validation' | 'held-out';
  /** Image ids the gate was decided on. */
  ids: string[];
  /** Per landmark: mean radial error (mm) of the coarse and of the refined estimates, and the cases. */
  coarseMreMm: number[];
  refinedMreMm: number[];
  cases: number[];
  /** The decision (same as config.useRefined). */
  useRefined: boolean[];
}

/** Serialised refiner description (refiner.json beside the network). */
export interface RefinerMetadata {
  format: 'landmarks-refiner';
  version: 1;
  config: RefinerConfig;
  network: ResolvedModelConfig;
  training?: {
    images: number;
    steps: number;
    batchSize: number;
    offsetSdMm: number;
    offsetTailSdMm?: number;
    offsetTailFraction?: number;
    /**
     * Where the offsets came from: the preset, given by the user, or fitted to the coarse model's
     * (reviewed) errors on the validation images (fitOffsetDistribution).
     */
    offsetSource?: 'preset' | 'given' | 'validation';
    /** Passes over the (image, landmark) patches that set the step count (refinerStepBudget). */
    trainingPasses?: number;
    seed: number;
    seconds: number;
    backend?: string;
    finalLoss?: number;
    /** Millimetres per ORIGINAL pixel of the training images (x, y): the default at inference. */
    spacingMm?: number[];
  };
  /** How the gate (config.useRefined) was decided; absent when no images were held out. */
  gate?: RefinerGateReport;
}
