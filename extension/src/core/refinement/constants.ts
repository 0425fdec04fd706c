import type { RefinerTrainingOptions } from './types.ts';

/** Defaults of a refiner config (see RefinerConfig for the meaning of each field). */
export const DEFAULT_REFINER_CONFIG = {
  patchShape: [64, 64],
  mmPerPixel: 0.4,
  passes: 2,
  depth: 3,
  baseFilters: 16,
  seed: 0,
};

/** Defaults of the training options other than geometry and steps. */
export const DEFAULT_REFINER_TRAINING: Omit<
  RefinerTrainingOptions,
  'patchShape' | 'mmPerPixel' | 'steps' | 'onProgress' | 'signal'
> = {
  offsetSdMm: 3,
  offsetTailSdMm: 0,
  offsetTailFraction: 0,
  batchSize: 16,
  seed: 1,
  rotationDeg: 5,
  intensityJitter: 0.1,
  noiseSd: 0.02,
  regionAttentionWeight: 1,
  clipNorm: 1,
};

/** Learning rate of the refiner's Adam. */
export const REFINER_LEARNING_RATE = 1e-3;
