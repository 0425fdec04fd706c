/**
 * The three-stage protocol of paper §3.3 with the ablations of Figure 6: pre-train on labelled data (L1)
 * → self-train on labelled + pseudo-labelled data (pseudo labels re-estimated every
 * `pseudoLabelInterval` epochs, regulated by the shape prior for `no-ral`/`full`; unlabelled samples use
 * the Region Attention loss for `no-sr`/`full`, L1 otherwise; labelled samples always L1, Eq. 1)
 * → fine-tune on labelled data (Region Attention for `no-sr`/`full`, L1 otherwise). Adam throughout.
 * The weights with the best validation MRE are restored at the end when a validation set is given.
 *
 * Pure: no file system; progress through a callback, cancellation through an AbortSignal, and a
 * serialisable state (see trainingState.ts) for resuming.
 */
import * as tf from '@tensorflow/tfjs';
import createRandom from '../data/createRandom.ts';
import type { LearningSample } from '../data/types.ts';
import estimatePseudoLabels, { pseudoLabelShift } from './estimatePseudoLabels.ts';
import predictCoordinates, { decodingFor } from './predictCoordinates.ts';
import trainStep, { type BatchItem, type StepContext } from './trainStep.ts';
import type { LoopState, PseudoLabel, Stage, TrainingOptions, TrainingProgress } from './types.ts';
import { STAGES } from './types.ts';
import validationMre from './validationMre.ts';

/** Samples of one kind: all images (2D, n × 2 landmarks) or all volumes (3D, n × 3 landmarks). */
export interface TrainingData {
  labelled: LearningSample[];
  unlabelled: LearningSample[];
  validation?: LearningSample[];
}

export interface TrainingResult {
  status: 'completed' | 'cancelled';
  state: LoopState;
  /** When cancelled: copies of the best-validation weights so far (the caller owns and disposes them). */
  bestWeights?: tf.Tensor[];
}

/**
 * The stages a method runs and the epochs of each. `stepsPerEpoch` is needed only when the schedule
 * gives step budgets (`stageSteps`).
 */
export function plannedEpochs(
  options: TrainingOptions,
  stepsPerEpoch?: Record<Stage, number>,
): Record<Stage, number> {
  const s = options.schedule;
  const semi = options.method !== 'supervised';
  const budget = s.stageSteps;
  const epochsOf = (stage: Stage, epochs: number) => {
    if (budget === undefined) return epochs;
    if (stepsPerEpoch === undefined)
      throw new Error('plannedEpochs: stageSteps needs stepsPerEpoch');
    return Math.max(1, Math.round(budget[stage] / Math.max(1, stepsPerEpoch[stage])));
  };
  return {
    pretrain: epochsOf('pretrain', s.pretrainEpochs),
    selftrain: semi ? epochsOf('selftrain', s.selfTrainEpochs) : 0,
    finetune: semi ? epochsOf('finetune', s.finetuneEpochs) : 0,
  };
}

/** A fresh loop state for a new run. */
export function initialLoopState(seed: number): LoopState {
  return {
    stage: 'pretrain',
    epoch: 0,
    stepsDone: 0,
    rngState: createRandom(seed).state,
    pseudoLabels: {},
    pseudoLabelRounds: 0,
    history: [],
  };
}

function checkData(data: TrainingData, options: TrainingOptions, inputShape: number[]): void {
  if (data.labelled.length === 0) throw new Error('training needs at least one labelled image');
  const n = data.labelled[0]!.landmarks?.length ?? 0;
  const rank = inputShape.length;
  const size = inputShape.reduce((p, v) => p * v, 1);
  const kind = rank === 3 ? 'volume' : 'image';
  for (const s of [...data.labelled, ...(data.validation ?? [])]) {
    if (s.landmarks === undefined || s.landmarks.length !== n) {
      throw new Error(
        `${kind} "${s.id}": expected ${n} landmarks, got ${s.landmarks?.length ?? 'none'}`,
      );
    }
    if (s.landmarks.some((p) => p.length !== rank) || s.spacingMm.length < rank) {
      throw new Error(
        `${kind} "${s.id}": the network takes ${rank}D input [${inputShape}], landmarks and spacing must have ${rank} coordinates`,
      );
    }
  }
  for (const s of [...data.labelled, ...data.unlabelled, ...(data.validation ?? [])]) {
    if (s.image.length !== size)
      throw new Error(
        `${kind} "${s.id}": ${s.image.length} input values, the network takes [${inputShape}]`,
      );
  }
  if (options.method !== 'supervised' && data.unlabelled.length === 0) {
    throw new Error(`method "${options.method}" needs unlabelled images`);
  }
  if (
    (options.method === 'full' || options.method === 'no-ral') &&
    options.regulatorFactory === undefined
  ) {
    throw new Error(`method "${options.method}" needs a shape regulator`);
  }
}

function stageItems(
  stage: Stage,
  data: TrainingData,
  options: TrainingOptions,
  pseudo: Record<string, PseudoLabel>,
): BatchItem[] {
  const ra = options.method === 'full' || options.method === 'no-sr';
  const labelled = data.labelled.map((s) => ({
    image: s.image,
    landmarks: s.landmarks!,
    mask: s.landmarks!.map((p) => Number.isFinite(p[0]!)),
    regionAttention: stage === 'finetune' && ra,
  }));
  if (stage !== 'selftrain') return labelled;
  const unlabelled = data.unlabelled.map((s) => {
    const label = pseudo[s.id];
    if (label === undefined) throw new Error(`image "${s.id}": no pseudo label`);
    return { image: s.image, landmarks: label.landmarks, mask: label.mask, regionAttention: ra };
  });
  return [...labelled, ...unlabelled];
}

/** Trains `model` in place. Resume by passing the `state` of a cancelled run (weights restored by the caller). */
export default async function trainLandmarkModel(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: TrainingData,
  options: TrainingOptions,
  resume?: LoopState,
  resumeBestWeights?: readonly tf.Tensor[],
): Promise<TrainingResult> {
  // Spatial input size: [H, W] for a 2D network, [D, H, W] for a 3D one.
  const inputShape = model.inputs[0]!.shape.slice(1, -1) as number[];
  checkData(data, options, inputShape);
  const state: LoopState = structuredClone(resume ?? initialLoopState(options.seed));
  const rng = createRandom(0);
  rng.state = state.rngState;
  const ctx: StepContext = {
    model,
    optimizer,
    inputShape,
    rng,
    augmentation: options.augmentation,
    latentOffset: options.latentOffset,
    heatmapTarget: options.schedule.heatmapTarget,
    clipNorm: options.schedule.clipNorm,
    onSkippedStep: () => {
      state.skippedSteps = (state.skippedSteps ?? 0) + 1;
    },
  };
  const bs = options.schedule.batchSize;
  const decoding = decodingFor(options.schedule.heatmapTarget);
  const stepsOf = (stage: Stage) =>
    Math.ceil(
      (stage === 'selftrain'
        ? data.labelled.length + data.unlabelled.length
        : data.labelled.length) / bs,
    );
  const epochs = plannedEpochs(options, {
    pretrain: stepsOf('pretrain'),
    selftrain: stepsOf('selftrain'),
    finetune: stepsOf('finetune'),
  });
  const stepsTotal = STAGES.reduce((t, s) => t + epochs[s] * stepsOf(s), 0);
  const regulate =
    options.method === 'full' || options.method === 'no-ral'
      ? options.regulatorFactory!(
          data.labelled.map((s) => s.landmarks!.map((p) => p.map((v, a) => v * s.spacingMm[a]!))),
        )
      : undefined;
  let bestWeights: tf.Tensor[] | undefined = resumeBestWeights?.map((t) => t.clone());
  const report = (p: Omit<TrainingProgress, 'stepsDone' | 'stepsTotal'>) =>
    options.onProgress?.({ ...p, stepsDone: state.stepsDone, stepsTotal });

  try {
    for (const stage of STAGES.slice(STAGES.indexOf(state.stage as Stage))) {
      if (state.stage === 'done') break;
      for (; state.epoch < epochs[stage]; state.epoch++) {
        const epoch = state.epoch;
        if (
          stage === 'selftrain' &&
          epoch % options.schedule.pseudoLabelInterval === 0 &&
          !(epoch === state.lastPseudoEpoch)
        ) {
          const predicted = await predictCoordinates(
            model,
            data.unlabelled.map((s) => s.image),
            inputShape,
            bs,
            decoding,
          );
          const next = estimatePseudoLabels(data.unlabelled, predicted, regulate);
          state.pseudoLabelShiftPx =
            state.pseudoLabelRounds > 0 ? pseudoLabelShift(state.pseudoLabels, next) : undefined;
          state.pseudoLabels = next;
          state.pseudoLabelRounds += 1;
          state.lastPseudoEpoch = epoch;
          const masks = Object.values(next).flatMap((p) => p.mask);
          report({
            stage,
            epoch,
            epochs: epochs[stage],
            step: 0,
            steps: stepsOf(stage),
            loss: Number.NaN,
            pseudoLabels: { excluded: masks.filter((m) => !m).length, total: masks.length },
          });
        }
        const all = stageItems(stage, data, options, state.pseudoLabels);
        // A resumed epoch continues with the saved order, step and loss sum (bit-identical resume).
        const progress = state.epochProgress ?? {
          order: rng.shuffle(all.map((_, i) => i)),
          step: 0,
          lossSum: 0,
        };
        state.epochProgress = undefined;
        const items = progress.order.map((i) => all[i]!);
        let lossSum = progress.lossSum;
        const steps = stepsOf(stage);
        for (let step = progress.step; step < steps; step++) {
          if (options.signal?.aborted) {
            state.stage = stage;
            state.rngState = rng.state;
            state.epochProgress = { order: progress.order, step, lossSum };
            const handedOver = bestWeights;
            bestWeights = undefined; // ownership passes to the caller
            return { status: 'cancelled', state, bestWeights: handedOver };
          }
          const loss = await trainStep(ctx, items.slice(step * bs, (step + 1) * bs));
          lossSum += loss;
          state.stepsDone += 1;
          report({ stage, epoch, epochs: epochs[stage], step: step + 1, steps, loss });
          await new Promise((r) => setTimeout(r, 0)); // let SIGINT handlers and progress bars run
        }
        const record = { stage, epoch, loss: lossSum / steps } as LoopState['history'][number];
        const last = epoch === epochs[stage] - 1;
        if (
          data.validation &&
          data.validation.length > 0 &&
          ((epoch + 1) % options.schedule.validateEvery === 0 || last)
        ) {
          record.validationMreMm = await validationMre(
            model,
            data.validation,
            inputShape,
            bs,
            decoding,
          );
          if (state.best === undefined || record.validationMreMm < state.best.validationMreMm) {
            state.best = { stage, epoch, validationMreMm: record.validationMreMm };
            bestWeights?.forEach((t) => t.dispose());
            bestWeights = model.getWeights().map((w) => w.clone());
          }
          report({
            stage,
            epoch,
            epochs: epochs[stage],
            step: steps,
            steps,
            loss: record.loss,
            validationMreMm: record.validationMreMm,
          });
        }
        state.history.push(record);
        state.rngState = rng.state;
      }
      const next = STAGES[STAGES.indexOf(stage) + 1];
      state.stage = next ?? 'done';
      state.epoch = 0;
    }
    state.stage = 'done';
    if (bestWeights !== undefined) model.setWeights(bestWeights);
    return { status: 'completed', state };
  } finally {
    bestWeights?.forEach((t) => t.dispose());
  }
}
