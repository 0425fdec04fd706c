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
  /** Adam's learning rate; REFINER_LEARNING_RATE when absent. */
  learningRate?: number;
  /** σ (patch pixels) of the heatmap L1, as the coarse network; absent: integral L1 + Region Attention. */
  heatmapSigma?: number;
}

/**
 * `tiny`: off by default (a seconds-long smoke run; `--refine` turns it on with a few steps);
 * `quick` and `paper`: on. 64 × 64 patches at 0.5 mm (a 32 mm field) for coarse errors of a few mm.
 *
 * Budget (refinerStepBudget): `trainingPasses` over the (image, landmark) patches of the images the
 * refiner trains on (the labelled ones less the ~20 % held out for the gate), within [minSteps, maxSteps].
 * CPU cost of one step (batch 16, wasm, one thread; measured on a loaded 2-core machine): 64², 8
 * filters, depth 3 ≈ 0.8 s; 64², 16 filters, depth 3 ≈ 1.7 s. So `quick` (20 passes, 400–3000 steps):
 * ISBI 20 labels (16 training images × 19 landmarks) → 400 steps ≈ 5–6 CPU min; 150 labels (120 × 19)
 * → 2,850 steps ≈ 38 CPU min (the cap, 3,000 steps, ≈ 40 min, is reached at 127 training images).
 * `paper` (40 passes, depth 4, 16 filters, ≤ 12,000 steps) is hours of CPU at 150 labels.
 *
 * Offsets: N(0, 4²) mm per axis with a 20 % tail of N(0, 8²): the ISBI coarse network's errors have a
 * per-axis SD of 4.2–4.8 mm and 15–21 % of them above 8 mm (session 2, 20 and 150 labels).
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
    heatmapSigma: 2,
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
    heatmapSigma: 2,
  },
};
