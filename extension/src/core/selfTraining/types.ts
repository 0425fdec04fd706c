/**
 * Types of the three-stage shape-regulated self-training (paper §3.2–3.3, ablations of Figure 6).
 */
import type { AugmentationOptions } from '../data/augmentBatch.ts';

/**
 * - `supervised`: pre-training only (L1 on labelled data);
 * - `naive`: self-training on raw pseudo labels with L1, fine-tuning with L1 (Figure 6 "w/o SR and RAL");
 * - `no-sr`: raw pseudo labels with the Region Attention loss (Figure 6 "w/o SR");
 * - `no-ral`: shape-regulated pseudo labels with L1 (Figure 6 "w/o RAL");
 * - `full`: shape-regulated pseudo labels with the Region Attention loss.
 */
export type Method = 'supervised' | 'naive' | 'no-sr' | 'no-ral' | 'full';
export const METHODS: readonly Method[] = ['supervised', 'naive', 'no-sr', 'no-ral', 'full'];

export type Stage = 'pretrain' | 'selftrain' | 'finetune';
export const STAGES: readonly Stage[] = ['pretrain', 'selftrain', 'finetune'];

/**
 * The loss on samples with a fixed target (labels; pseudo labels of `naive` and `no-ral`): the heatmap
 * L1 between H/γ and a normalised Gaussian of `sigma` network cells at the label (losses/heatmapLoss.ts),
 * plus `coordinateWeight` × the L1 on the integral coordinates (Eq. 1).
 */
export interface HeatmapTarget {
  sigma: number;
  coordinateWeight: number;
  /**
   * Weight of a penalty on every cell's logit, mean softplus(z) (binary cross-entropy towards 0): it
   * keeps maps out of the sigmoid's saturation. Where σ(z) ≈ 1 on every cell, H/γ is flat and its
   * gradient vanishes; 4 of 19 ISBI maps were stuck there after 2,490 steps without it. H/γ does not
   * change when all logits of a map fall together, so the penalty costs the heatmap loss nothing.
   */
  backgroundWeight?: number;
}

/** Epoch counts, optimiser and loss settings. */
export interface Schedule {
  pretrainEpochs: number;
  selfTrainEpochs: number;
  finetuneEpochs: number;
  batchSize: number;
  /** Adam learning rate (paper: PyTorch default 1e-3). */
  learningRate: number;
  /** Pseudo labels are re-estimated every this many self-training epochs (and before the first). */
  pseudoLabelInterval: number;
  /** Validation MRE is measured every this many epochs (and at the end of every stage). */
  validateEvery: number;
  /**
   * Loss of the fixed-target samples. Undefined: L1 on the integral coordinates alone (how models were
   * trained before the heatmap loss; it leaves the maps flat).
   */
  heatmapTarget?: HeatmapTarget;
  /** Global gradient-norm clipping (see trainStep.ts); undefined disables it. */
  clipNorm?: number;
  /**
   * Optional optimiser-step budget per stage. When given, a stage runs round(budget / steps per epoch)
   * epochs (at least one) instead of its epoch count, so that a preset costs about the same whatever
   * the number of images (20 or 150 labelled images differ 7.5× in steps per epoch).
   */
  stageSteps?: { pretrain: number; selftrain: number; finetune: number };
}

/** Result of regulating one predicted shape (the subset of shape/types.ts Regulation that training uses). */
export interface RegulatedShape {
  /** Final pseudo label X_γ, millimetres. */
  gamma: number[][];
  /** Landmarks to exclude from the loss. */
  abnormal: boolean[];
}

/** Builds a shape prior from labelled shapes (mm) and returns the regulation J(·) of Eq. 7. */
export type RegulatorFactory = (
  labelledShapesMm: number[][][],
) => (shapeMm: number[][]) => RegulatedShape;

/** A pseudo label of one unlabelled image: input-pixel coordinates and which landmarks count. */
export interface PseudoLabel {
  landmarks: number[][];
  mask: boolean[];
}

/** Progress of one training step (everything a progress bar with ETA needs). */
export interface TrainingProgress {
  stage: Stage;
  /** 0-based epoch within the stage, and the stage's epoch count. */
  epoch: number;
  epochs: number;
  /** 1-based step within the epoch, and steps per epoch. */
  step: number;
  steps: number;
  /** Steps done and planned over the whole run (ETA = elapsed · (total − done) / done). */
  stepsDone: number;
  stepsTotal: number;
  loss: number;
  /** Validation MRE (mm) after an epoch, when measured. */
  validationMreMm?: number;
  /** Pseudo labels re-estimated at this point: how many landmarks were excluded as abnormal, of how many. */
  pseudoLabels?: { excluded: number; total: number };
}

/** One epoch of the history. */
export interface EpochRecord {
  stage: Stage;
  epoch: number;
  loss: number;
  validationMreMm?: number;
}

/** JSON-serialisable loop state (weights travel separately, see trainingState.ts). */
export interface LoopState {
  stage: Stage | 'done';
  /** Next epoch to run within `stage`. */
  epoch: number;
  stepsDone: number;
  rngState: number;
  pseudoLabels: Record<string, PseudoLabel>;
  /** How many times pseudo labels were estimated, and how much they moved the last time (mean px). */
  pseudoLabelRounds: number;
  pseudoLabelShiftPx?: number;
  /** Self-training epoch at which pseudo labels were last estimated (so a resume does not redo it). */
  lastPseudoEpoch?: number;
  history: EpochRecord[];
  /** Set when cancelled inside an epoch: the epoch's item order, the next step, the loss summed so far. */
  epochProgress?: { order: number[]; step: number; lossSum: number };
  best?: { stage: Stage; epoch: number; validationMreMm: number };
  /** Steps whose gradient was not finite and that were therefore not applied. */
  skippedSteps?: number;
}

export interface TrainingOptions {
  method: Method;
  schedule: Schedule;
  augmentation: AugmentationOptions;
  /** |δ| ~ N(mean, sd²), normalised units (paper: 0.01, 0.005). */
  latentOffset: { mean: number; sd: number };
  seed: number;
  /** Needed by `no-ral` and `full`. */
  regulatorFactory?: RegulatorFactory;
  onProgress?: (progress: TrainingProgress) => void;
  signal?: AbortSignal;
}
