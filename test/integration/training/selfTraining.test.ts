// Tiny end-to-end run of the learning pipeline on generated cephalograms (core/synthetic: landmarks sit
// on visible structures): pre-training must cut the validation error well below the untrained network's,
// self-training must use the unlabelled images (pseudo labels re-estimated and moving, abnormal landmarks
// excluded), and a saved model must give identical predictions after loading. Sizes are kept tiny so
// that the file runs in about a minute on 2 cores.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generateCephalogram } from '../../../extension/src/core/synthetic/index.ts';
import prepareSample from '../../../extension/src/core/data/prepareSample.ts';
import type { TrainingSample } from '../../../extension/src/core/data/types.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import trainLandmarkModel from '../../../extension/src/core/selfTraining/trainLandmarkModel.ts';
import shapeRegulatorFactory from '../../../extension/src/core/selfTraining/shapeRegulatorFactory.ts';
import validationMre from '../../../extension/src/core/selfTraining/validationMre.ts';
import predictCoordinates from '../../../extension/src/core/selfTraining/predictCoordinates.ts';
import type {
  TrainingOptions,
  TrainingProgress,
} from '../../../extension/src/core/selfTraining/types.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import { loadLandmarkModel, saveLandmarkModel } from '../../../extension/src/node/modelStore.ts';
import { METADATA_FORMAT } from '../../../extension/src/core/models/landmarkModelMetadata.ts';

const INPUT = [48, 40];
const SPACING: [number, number] = [1.6, 1.6];

function sample(seed: number, labelled: boolean): TrainingSample {
  const s = generateCephalogram({ seed, width: 96, height: 120, spacingMm: SPACING });
  const image = { width: s.width, height: s.height, pixels: Float32Array.from(s.pixels) };
  // The generator puts pixel centres at integers; the pipeline uses the pixel-corner convention.
  const px = s.landmarksPx.map(([x, y]) => [x! + 0.5, y! + 0.5]);
  return prepareSample(`syn-${seed}`, image, INPUT, SPACING, labelled ? px : undefined);
}

function options(
  method: TrainingOptions['method'],
  epochs: [number, number, number],
  onProgress?: (p: TrainingProgress) => void,
): TrainingOptions {
  return {
    method,
    seed: 3,
    latentOffset: { mean: 0.01, sd: 0.005 },
    schedule: {
      pretrainEpochs: epochs[0],
      selfTrainEpochs: epochs[1],
      finetuneEpochs: epochs[2],
      batchSize: 4,
      learningRate: 3e-3,
      pseudoLabelInterval: 1,
      validateEvery: 5,
    },
    augmentation: { rotationDeg: 2, translation: 0.02, noiseSd: 0.01, intensityJitter: 0.05 },
    regulatorFactory: shapeRegulatorFactory(),
    onProgress,
  };
}

describe('self-training end to end on generated cephalograms', () => {
  let labelled: TrainingSample[];
  let unlabelled: TrainingSample[];
  let validation: TrainingSample[];
  let dir: string;

  beforeAll(async () => {
    await setupNodeBackend('wasm');
    labelled = Array.from({ length: 8 }, (_, i) => sample(i + 1, true));
    unlabelled = Array.from({ length: 8 }, (_, i) => sample(i + 101, false));
    validation = Array.from({ length: 6 }, (_, i) => sample(i + 201, true));
    dir = await mkdtemp(path.join(tmpdir(), 'landmarks-train-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, self-trains on unlabelled images, and round-trips through the model folder', async () => {
    const { model, config } = createHeatmapModel({
      inputShape: INPUT,
      landmarkCount: 19,
      depth: 3,
      baseFilters: 8,
      seed: 3,
    });
    const optimizer = createAdam(3e-3);
    const untrained = await validationMre(model, validation, INPUT, 4);
    const tensorsAtEpochEnd: number[] = [];
    const pseudoRounds: { excluded: number; total: number }[] = [];
    const result = await trainLandmarkModel(
      model,
      optimizer,
      { labelled, unlabelled, validation },
      options('full', [25, 2, 1], (p) => {
        if (p.pseudoLabels) pseudoRounds.push(p.pseudoLabels);
        // From the first validation on, the best checkpoint's weight copies are held: count after it.
        const validated = p.stage !== 'pretrain' || p.epoch >= 4;
        if (validated && p.step === p.steps && p.validationMreMm === undefined)
          tensorsAtEpochEnd.push(tf.memory().numTensors);
      }),
    );
    expect(result.status).toBe('completed');
    const trained = await validationMre(model, validation, INPUT, 4);
    console.log(
      `validation MRE: untrained ${untrained.toFixed(2)} mm, trained ${trained.toFixed(2)} mm`,
    );

    // Accuracy: the error must at least halve versus the untrained network (measured: ≈ 45 mm → ≈ 15 mm).
    expect(untrained).toBeGreaterThan(30);
    expect(trained).toBeLessThan(0.5 * untrained);
    // Self-training ran on the unlabelled images: two pseudo-label rounds, labels moved between them,
    // and the shape regulator excluded some landmarks as abnormal (Z = 2 mm on a coarse network).
    expect(pseudoRounds).toHaveLength(2);
    expect(pseudoRounds[0]!.total).toBe(8 * 19);
    expect(pseudoRounds.some((r) => r.excluded > 0)).toBe(true);
    expect(result.state.pseudoLabelShiftPx).toBeGreaterThan(0);
    // No tensor leaks: the count is the same at the end of every epoch.
    expect(tensorsAtEpochEnd.length).toBeGreaterThan(20);
    expect(new Set(tensorsAtEpochEnd.slice(1))).toEqual(new Set([tensorsAtEpochEnd[1]]));

    // Save → load → identical predictions.
    const before = await predictCoordinates(
      model,
      validation.map((s) => s.image),
      INPUT,
    );
    await saveLandmarkModel(dir, model, {
      format: METADATA_FORMAT,
      version: 1,
      landmarkNames: Array.from({ length: 19 }, (_, i) => `L${i + 1}`),
      network: config,
      method: 'full',
      seed: 3,
      training: {
        labelled: 8,
        unlabelled: 8,
        validation: 6,
        backend: 'wasm',
        seconds: 0,
        history: result.state.history,
      },
    });
    const loaded = await loadLandmarkModel(dir);
    const after = await predictCoordinates(
      loaded.model,
      validation.map((s) => s.image),
      INPUT,
    );
    expect(after).toEqual(before);
    expect(loaded.metadata.network.inputShape).toEqual(INPUT);
    loaded.model.dispose();
    model.dispose();
    optimizer.dispose();
  });
});
