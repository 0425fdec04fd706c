import type { PresetName } from '../selfTraining/presets.ts';

/** Refiner schedule per training preset; `refine` says whether `landmarks train` runs it by default. */
export interface RefinerPreset {
  refine: boolean;
  /** Step budget (refinerStepBudget): passes over the (image, landmark) patches, within [min, max]. */
  trainingPasses: number;
  minSteps: number;
  maxSteps: number;
  batchSize: number;
  patchShape: number[];
  mmPerPixel: number;
  depth: number;
  baseFilters: number;
  /** Training patches are centred on truth + offset: N(0, offsetSdMm²) per axis, about the coarse error… */
  offsetSdMm: number;
  /** …or, with probability offsetTailFraction, N(0, offsetTailSdMm²): the coarse errors' tail. */
  offsetTailSdMm: number;
  offsetTailFraction: number;
}

/**
 * `tiny`: off by default (a seconds-long smoke run; `--refine` turns it on with a few steps);
 * `quick` and `paper`: on. 64 × 64 patches at 0.5 mm (a 32 mm field) for coarse errors of a few mm.
 * CPU cost of one step (batch 16, wasm, 1 thread, measured on a loaded machine): 64², 8 filters ≈ 0.8 s
 * (quick: 600 steps ≈ 8 min); 64², 16 filters, depth 3 ≈ 1.7 s. Accuracy on ISBI not yet measured.
 */
export const REFINER_PRESETS: Record<PresetName, RefinerPreset> = {
  tiny: {
    refine: false,
    trainingPasses: 1,
    minSteps: 40,
    maxSteps: 40,
    batchSize: 8,
    patchShape: [32, 32],
    mmPerPixel: 0.8,
    depth: 3,
    baseFilters: 4,
    offsetSdMm: 3,
    offsetTailSdMm: 0,
    offsetTailFraction: 0,
  },
  quick: {
    refine: true,
    trainingPasses: 20,
    minSteps: 400,
    maxSteps: 3000,
    batchSize: 16,
    patchShape: [64, 64],
    mmPerPixel: 0.5,
    depth: 3,
    baseFilters: 8,
    offsetSdMm: 4,
    offsetTailSdMm: 8,
    offsetTailFraction: 0.2,
  },
  paper: {
    refine: true,
    trainingPasses: 40,
    minSteps: 1000,
    maxSteps: 12000,
    batchSize: 16,
    patchShape: [64, 64],
    mmPerPixel: 0.5,
    depth: 4,
    baseFilters: 16,
    offsetSdMm: 4,
    offsetTailSdMm: 8,
    offsetTailFraction: 0.2,
  },
};
