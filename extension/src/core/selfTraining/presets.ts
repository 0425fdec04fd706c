import type { AugmentationOptions } from '../data/augmentBatch.ts';
import type { Schedule } from './types.ts';

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
    },
    inputShape: [48, 40],
    baseFilters: 4,
    depth: 3,
  },
  quick: {
    // Step budgets, not epochs: about the same cost with 20 or 150 labelled images (2,600 steps for
    // the semi-supervised methods, ≈ 30 CPU-minutes at 128×96 on one wasm thread).
    schedule: {
      pretrainEpochs: 30,
      selfTrainEpochs: 10,
      finetuneEpochs: 10,
      stageSteps: { pretrain: 1200, selftrain: 500, finetune: 150 },
      batchSize: 4,
      learningRate: 1e-3,
      pseudoLabelInterval: 2,
      validateEvery: 5,
      clipNorm: 1,
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
      pseudoLabelInterval: 10,
      validateEvery: 10,
      clipNorm: 1,
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
