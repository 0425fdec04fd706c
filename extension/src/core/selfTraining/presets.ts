import type { AugmentationOptions } from '../data/augmentBatch.ts';
import type { HeatmapTarget, Schedule } from './types.ts';

/**
 * The fixed-target loss of every preset: the heatmap L1 to a Gaussian of σ = 1 network cell, no loss on
 * the integral coordinates (as the paper's authors train). Chosen on 30 held-out ISBI training images,
 * never on Test1 (docs/studies/2026-12-08-refiner-offsets.md §1): after the shape review σ = 1 gave
 * 2.43 mm against 2.63 mm for σ = 2, and an integral term of weight 1 was worse in every column.
 */
export const HEATMAP_TARGET: HeatmapTarget = {
  sigma: 1,
  coordinateWeight: 0,
  backgroundWeight: 0.1,
};

/**
 * Named schedules. `paper`: 200 epochs per stage as in §3.3.2; `quick`: fits the ISBI budget on 2 cores;
 * `tiny`: a seconds-long smoke run for tests (not for accuracy).
 */
export type PresetName = 'tiny' | 'quick' | 'paper';
export const PRESETS: Record<
  PresetName,
  { schedule: Schedule; inputShape: number[]; baseFilters: number; depth: number }
> = {
  tiny: {
    schedule: {
      pretrainEpochs: 4,
      selfTrainEpochs: 1,
      finetuneEpochs: 1,
      batchSize: 4,
      learningRate: 3e-3,
      pseudoLabelInterval: 1,
      validateEvery: 2,
      clipNorm: 1,
      heatmapTarget: HEATMAP_TARGET,
    },
    inputShape: [48, 40],
    baseFilters: 4,
    depth: 3,
  },
  quick: {
    // Step budgets, not epochs: about the same cost with 20 or 150 labelled images. The ISBI bench shares
    // pre-training between methods: 1,000 + 4 × 550 steps ≈ 35 CPU-minutes per labelled count at 128×96
    // on one wasm thread, the two counts in parallel on 2 cores.
    schedule: {
      pretrainEpochs: 30,
      selfTrainEpochs: 10,
      finetuneEpochs: 10,
      stageSteps: { pretrain: 1000, selftrain: 400, finetune: 150 },
      batchSize: 4,
      learningRate: 1e-3,
      // §3.2: pseudo labels are re-estimated "in each iteration", i.e. every epoch.
      pseudoLabelInterval: 1,
      validateEvery: 5,
      clipNorm: 1,
      heatmapTarget: HEATMAP_TARGET,
    },
    inputShape: [128, 96],
    baseFilters: 8,
    depth: 4,
  },
  paper: {
    schedule: {
      pretrainEpochs: 200,
      selfTrainEpochs: 200,
      finetuneEpochs: 200,
      batchSize: 4,
      learningRate: 1e-3,
      pseudoLabelInterval: 1,
      validateEvery: 10,
      clipNorm: 1,
      heatmapTarget: HEATMAP_TARGET,
    },
    inputShape: [256, 208],
    baseFilters: 16,
    depth: 5,
  },
};

/** Augmentation used by the presets (paper §4: translation, rotation, Gaussian noise; plus intensity). */
export const DEFAULT_AUGMENTATION: AugmentationOptions = {
  rotationDeg: 5,
  translation: 0.05,
  noiseSd: 0.02,
  intensityJitter: 0.1,
};

/**
 * Schedules and 3D U-Net sizes for CBCT volumes (input [D, H, W] voxels). 3D training on CPU (wasm) is
 * slow (a 3D convolution costs ~D times its 2D counterpart), so `quick` is a small network on a
 * coarse grid; `paper` keeps the paper's epochs. `tiny` is a smoke run for tests.
 */
export const VOLUME_PRESETS: Record<
  PresetName,
  { schedule: Schedule; inputShape: number[]; baseFilters: number; depth: number }
> = {
  tiny: {
    schedule: { ...PRESETS.tiny.schedule, batchSize: 2, learningRate: 1e-2 },
    inputShape: [16, 16, 16],
    baseFilters: 4,
    depth: 3,
  },
  quick: {
    schedule: {
      ...PRESETS.quick.schedule,
      stageSteps: { pretrain: 600, selftrain: 250, finetune: 80 },
      batchSize: 2,
      learningRate: 3e-3,
    },
    inputShape: [32, 32, 32],
    baseFilters: 8,
    depth: 3,
  },
  paper: {
    schedule: { ...PRESETS.paper.schedule, batchSize: 2 },
    inputShape: [64, 96, 96],
    baseFilters: 16,
    depth: 4,
  },
};
