import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import type { TrainingSample } from '../../../extension/src/core/data/types.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import estimatePseudoLabels from '../../../extension/src/core/selfTraining/estimatePseudoLabels.ts';
import trainLandmarkModel, {
  plannedEpochs,
} from '../../../extension/src/core/selfTraining/trainLandmarkModel.ts';
import {
  exportTrainingState,
  importTrainingState,
} from '../../../extension/src/core/selfTraining/trainingState.ts';
import type { TrainingOptions } from '../../../extension/src/core/selfTraining/types.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const INPUT = [8, 8];
const box = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, inputWidth: 8, inputHeight: 8 };

/** Random 8×8 images with 3 landmarks (input pixels); spacing 0.5 × 0.25 mm. */
function samples(count: number, seed: number, labelled: boolean): TrainingSample[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `s${seed}-${i}`,
    image: Float32Array.from({ length: 64 }, () => rng.next()),
    landmarks: labelled ? [0, 1, 2].map(() => [1 + 6 * rng.next(), 1 + 6 * rng.next()]) : undefined,
    spacingMm: [0.5, 0.25],
    letterbox: box,
  }));
}

function options(
  method: TrainingOptions['method'],
  signal?: AbortSignal,
  onStep?: () => void,
): TrainingOptions {
  return {
    method,
    seed: 5,
    latentOffset: { mean: 0.01, sd: 0.005 },
    schedule: {
      pretrainEpochs: 2,
      selfTrainEpochs: 2,
      finetuneEpochs: 1,
      batchSize: 2,
      learningRate: 1e-2,
      pseudoLabelInterval: 1,
      validateEvery: 1,
      clipNorm: 0.5,
    },
    augmentation: { rotationDeg: 5, translation: 0.05, noiseSd: 0.02, intensityJitter: 0.1 },
    // A stand-in regulator: shifts every landmark by +1 mm in x and flags landmark 2 abnormal.
    regulatorFactory: () => (shape) => ({
      gamma: shape.map(([x, y]) => [x! + 1, y!]),
      abnormal: [false, false, true],
    }),
    signal,
    onProgress: onStep,
  };
}

describe('self-training loop', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('pseudo labels: converted through mm with each sample’s spacing; abnormal landmarks masked', () => {
    const [s] = samples(1, 1, false);
    const predicted = [
      [
        [2, 4],
        [3, 5],
        [6, 1],
      ],
    ];
    const regulated = estimatePseudoLabels([s!], predicted, (mm) => ({
      gamma: mm.map(([x, y]) => [x! + 1, y! + 1]),
      abnormal: [true, false, false],
    }));
    // +1 mm = +2 px in x (0.5 mm/px) and +4 px in y (0.25 mm/px).
    expect(regulated[s!.id]!.landmarks).toEqual([
      [4, 8],
      [5, 9],
      [8, 5],
    ]);
    expect(regulated[s!.id]!.mask).toEqual([false, true, true]);
    const failing = estimatePseudoLabels([s!], predicted, () => {
      throw new Error('landmarks are collinear');
    });
    expect(failing[s!.id]!.mask).toEqual([false, false, false]);
    const raw = estimatePseudoLabels([s!], predicted);
    expect(raw[s!.id]).toEqual({ landmarks: predicted[0], mask: [true, true, true] });
  });

  it('methods plan the stages of Figure 6 and refuse missing inputs', async () => {
    expect(plannedEpochs(options('supervised'))).toEqual({
      pretrain: 2,
      selftrain: 0,
      finetune: 0,
    });
    expect(plannedEpochs(options('full'))).toEqual({ pretrain: 2, selftrain: 2, finetune: 1 });
    // Step budgets: 100 steps at 5 steps/epoch = 20 epochs; 30 at 38 rounds to 1; never 0.
    const budget = options('full');
    budget.schedule = {
      ...budget.schedule,
      stageSteps: { pretrain: 100, selftrain: 30, finetune: 1 },
    };
    expect(plannedEpochs(budget, { pretrain: 5, selftrain: 38, finetune: 5 })).toEqual({
      pretrain: 20,
      selftrain: 1,
      finetune: 1,
    });
    expect(() => plannedEpochs(budget)).toThrow(/stepsPerEpoch/);
    const { model } = createHeatmapModel({
      inputShape: INPUT,
      landmarkCount: 3,
      depth: 2,
      baseFilters: 2,
    });
    const opt = createAdam(1e-2);
    const data = { labelled: samples(4, 2, true), unlabelled: [] };
    await expect(trainLandmarkModel(model, opt, data, options('full'))).rejects.toThrow(
      /method "full" needs unlabelled images/,
    );
    await expect(
      trainLandmarkModel(
        model,
        opt,
        { ...data, unlabelled: samples(2, 3, false) },
        { ...options('no-ral'), regulatorFactory: undefined },
      ),
    ).rejects.toThrow(/needs a shape regulator/);
    model.dispose();
  });

  it('cancel → export state → import into a fresh model → resume gives the same weights as one run', async () => {
    const data = {
      labelled: samples(4, 2, true),
      unlabelled: samples(4, 3, false),
      validation: samples(2, 4, true),
    };
    const build = () => ({
      ...createHeatmapModel({
        inputShape: INPUT,
        landmarkCount: 3,
        depth: 2,
        baseFilters: 2,
        seed: 1,
      }),
      optimizer: createAdam(1e-2),
    });
    const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

    const straight = build();
    const full = await trainLandmarkModel(
      straight.model,
      straight.optimizer,
      data,
      options('full'),
    );
    expect(full.status).toBe('completed');
    expect(full.state.pseudoLabelRounds).toBe(2);
    // The stand-in regulator's abnormal landmark is masked in every pseudo label.
    expect(Object.values(full.state.pseudoLabels).every((p) => p.mask[2] === false)).toBe(true);

    const first = build();
    const controller = new AbortController();
    let steps = 0;
    const part = await trainLandmarkModel(
      first.model,
      first.optimizer,
      data,
      options('full', controller.signal, () => {
        if (++steps === 7) controller.abort(); // inside self-training, after the first pseudo labels
      }),
    );
    expect(part.status).toBe('cancelled');
    expect(part.state.stage).toBe('selftrain');
    expect(part.bestWeights).toBeDefined(); // validation ran in pre-training epochs 1 and 2
    const saved = await exportTrainingState(
      first.model,
      first.optimizer,
      part.state,
      part.bestWeights,
    );
    tf.dispose(part.bestWeights);
    const json = JSON.parse(JSON.stringify(saved.manifest));

    const second = build();
    const { loop, bestWeights } = await importTrainingState(second.model, second.optimizer, {
      manifest: json,
      weightData: saved.weightData.slice(0),
    });
    const resumed = await trainLandmarkModel(
      second.model,
      second.optimizer,
      data,
      options('full'),
      loop,
      bestWeights,
    );
    tf.dispose(bestWeights);
    expect(resumed.status).toBe('completed');
    // Validation checkpoints may restore different epochs only if histories differ; compare both.
    expect(resumed.state.history.map((h) => h.loss)).toEqual(full.state.history.map((h) => h.loss));
    expect(weights(second.model)).toEqual(weights(straight.model));
    [straight, first, second].forEach((b) => {
      b.model.dispose();
      b.optimizer.dispose();
    });
  });
});
