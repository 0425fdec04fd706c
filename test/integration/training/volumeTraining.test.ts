// Tiny end-to-end run of the learning pipeline on generated CBCT volumes (core/synthetic: landmarks sit on
// bone-like structures): pre-training on [D, H, W] inputs must cut the 3D validation error well below the
// untrained network's, self-training must use the unlabelled volumes (pseudo labels re-estimated and
// moving, abnormal landmarks excluded by the 3D shape regulator), no tensor may leak, and a saved model
// must give identical predictions after loading; the volume detector maps them back to original voxels.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generateCbctVolume } from '../../../extension/src/core/synthetic/index.ts';
import type { SyntheticVolume } from '../../../extension/src/core/synthetic/index.ts';
import prepareVolumeSample from '../../../extension/src/core/data/prepareVolumeSample.ts';
import type { GrayVolume, VolumeSample } from '../../../extension/src/core/data/types.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import createVolumeDetector from '../../../extension/src/core/models/createVolumeDetector.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import trainLandmarkModel from '../../../extension/src/core/selfTraining/trainLandmarkModel.ts';
import shapeRegulatorFactory from '../../../extension/src/core/selfTraining/shapeRegulatorFactory.ts';
import validationMre from '../../../extension/src/core/selfTraining/validationMre.ts';
import predictCoordinates from '../../../extension/src/core/selfTraining/predictCoordinates.ts';
import type { TrainingProgress } from '../../../extension/src/core/selfTraining/types.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import { loadLandmarkModel, saveLandmarkModel } from '../../../extension/src/node/modelStore.ts';
import { METADATA_FORMAT } from '../../../extension/src/core/models/landmarkModelMetadata.ts';

/** 12³ input voxels of 14 mm for a 168 × 168 × 140 mm field of view (24 × 24 × 20 voxels of 7 mm). */
const INPUT = [12, 12, 12];
const SPACING: [number, number, number] = [7, 7, 7];

function generated(seed: number): SyntheticVolume {
  return generateCbctVolume({ seed, width: 24, height: 24, depth: 20, spacingMm: SPACING });
}

function raw(v: SyntheticVolume): GrayVolume {
  const [width, height, depth] = [v.width, v.height, v.depth];
  return { width, height, depth, voxels: Float32Array.from(v.pixels), spacingMm: v.spacingMm };
}

/** Generator voxel centres are integers; the pipeline's voxel i covers [i, i+1). */
const cornerVoxels = (v: SyntheticVolume) => v.landmarksPx.map((p) => p.map((x) => x + 0.5));

function sample(seed: number, labelled: boolean): VolumeSample {
  const v = generated(seed);
  return prepareVolumeSample(`cbct-${seed}`, raw(v), INPUT, labelled ? cornerVoxels(v) : undefined);
}

describe('self-training end to end on generated CBCT volumes', () => {
  let labelled: VolumeSample[];
  let unlabelled: VolumeSample[];
  let validation: VolumeSample[];
  let dir: string;

  beforeAll(async () => {
    await setupNodeBackend('wasm');
    labelled = [1, 2, 3, 4].map((s) => sample(s, true));
    unlabelled = [101, 102].map((s) => sample(s, false));
    validation = [201, 202].map((s) => sample(s, true));
    dir = await mkdtemp(path.join(tmpdir(), 'landmarks-train3d-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // 40 3D training steps: 3.6 min on this 2-core machine under a load of ~13 with the one-conv3d weight
  // gradient (see the report of issue 3); several times that with the rank-5-slicing kernel.
  it(
    'trains a 3D U-Net, self-trains on unlabelled volumes, round-trips through the model folder',
    { timeout: 900_000 },
    async () => {
      const { model, config } = createHeatmapModel({
        architecture: 'unet3d',
        inputShape: INPUT,
        landmarkCount: 18,
        depth: 3,
        baseFilters: 4,
        seed: 3,
      });
      const optimizer = createAdam(1e-2);
      const untrained = await validationMre(model, validation, INPUT, 2);
      const tensorsAtEpochEnd: number[] = [];
      const pseudoRounds: { excluded: number; total: number }[] = [];
      const result = await trainLandmarkModel(
        model,
        optimizer,
        { labelled, unlabelled, validation },
        {
          method: 'full',
          seed: 3,
          latentOffset: { mean: 0.01, sd: 0.005 },
          schedule: {
            pretrainEpochs: 16,
            selfTrainEpochs: 2,
            finetuneEpochs: 1,
            batchSize: 2,
            learningRate: 1e-2,
            pseudoLabelInterval: 1,
            validateEvery: 4,
            clipNorm: 1,
          },
          augmentation: { rotationDeg: 3, translation: 0.03, noiseSd: 0.01, intensityJitter: 0.05 },
          // Z = 2 input voxels: the paper's 2 mm is for 0.1 mm pixels; here a voxel is 14 mm.
          regulatorFactory: shapeRegulatorFactory({ abnormalThresholdMm: 28 }),
          onProgress: (p: TrainingProgress) => {
            if (p.pseudoLabels) pseudoRounds.push(p.pseudoLabels);
            // From the first validation on, the best checkpoint's weight copies are held: count after it.
            const validated = p.stage !== 'pretrain' || p.epoch >= 3;
            if (validated && p.step === p.steps && p.validationMreMm === undefined)
              tensorsAtEpochEnd.push(tf.memory().numTensors);
          },
        },
      );
      expect(result.status).toBe('completed');
      const trained = await validationMre(model, validation, INPUT, 2);
      console.log(
        `3D validation MRE: untrained ${untrained.toFixed(2)} mm, trained ${trained.toFixed(2)} mm; ` +
          `pseudo labels ${JSON.stringify(pseudoRounds)}`,
      );

      // Accuracy: the error must drop by a third versus the untrained network (measured: 55.8 → 30.4 mm
      // with 14 mm input voxels; pseudo labels: 6 and 8 of 36 landmarks excluded).
      expect(untrained).toBeGreaterThan(40);
      expect(trained).toBeLessThan(0.67 * untrained);
      // Self-training ran on the unlabelled volumes: two pseudo-label rounds, labels moved between them,
      // and the 3D shape regulator excluded some landmarks as abnormal.
      expect(pseudoRounds).toHaveLength(2);
      expect(pseudoRounds[0]!.total).toBe(2 * 18);
      expect(pseudoRounds.some((r) => r.excluded > 0)).toBe(true);
      expect(result.state.pseudoLabelShiftPx).toBeGreaterThan(0);
      Object.values(result.state.pseudoLabels).forEach((label) =>
        label.landmarks.forEach((p) => expect(p).toHaveLength(3)),
      );
      // No tensor leaks: the count is the same at the end of every epoch.
      expect(tensorsAtEpochEnd.length).toBeGreaterThan(10);
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
        landmarkNames: Array.from({ length: 18 }, (_, i) => `L${i + 1}`),
        network: config,
        method: 'full',
        seed: 3,
        training: {
          labelled: 4,
          unlabelled: 2,
          validation: 2,
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

      // The detector: original voxels of a raw volume, the same error as the validation measure.
      const detector = createVolumeDetector(loaded.model, INPUT);
      const tensors = tf.memory().numTensors;
      const v = generated(201);
      const found = await detector.detect(raw(v));
      expect(tf.memory().numTensors).toBe(tensors);
      const truth = cornerVoxels(v);
      const errors = found.map((p, l) =>
        Math.hypot(...p.map((x, a) => (x - truth[l]![a]!) * SPACING[a]!)),
      );
      const s201 = validation[0]!;
      const expected = before[0]!.map((p, l) =>
        Math.hypot(...p.map((x, a) => (x - s201.landmarks![l]![a]!) * s201.spacingMm[a]!)),
      );
      errors.forEach((e, l) => expect(e).toBeCloseTo(expected[l]!, 3));
      detector.dispose();
      expect(() => detector.reset()).not.toThrow();
      await expect(detector.detect(raw(v))).rejects.toThrow(/disposed/);
      model.dispose();
      optimizer.dispose();
    },
  );
});
