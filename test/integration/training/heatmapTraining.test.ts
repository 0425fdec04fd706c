// Pre-training with the heatmap L1 (H/γ against a normalised Gaussian at each label) on generated
// cephalograms: the maps must become sharp and peak on the landmarks, which L1 on the integral
// coordinates alone does not do (same network, seed, images and steps).
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCephalogram } from '../../../extension/src/core/synthetic/index.ts';
import prepareSample from '../../../extension/src/core/data/prepareSample.ts';
import type { TrainingSample } from '../../../extension/src/core/data/types.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import trainLandmarkModel from '../../../extension/src/core/selfTraining/trainLandmarkModel.ts';
import validationMre from '../../../extension/src/core/selfTraining/validationMre.ts';
import { decodingFor } from '../../../extension/src/core/selfTraining/predictCoordinates.ts';
import mapDiagnostics from '../../../extension/src/core/heatmap/mapDiagnostics.ts';
import type { HeatmapTarget } from '../../../extension/src/core/selfTraining/types.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const INPUT = [48, 40];
const SPACING: [number, number] = [1.6, 1.6];

function sample(seed: number): TrainingSample {
  const s = generateCephalogram({ seed, width: 96, height: 120, spacingMm: SPACING });
  const image = { width: s.width, height: s.height, pixels: Float32Array.from(s.pixels) };
  const px = s.landmarksPx.map(([x, y]) => [x! + 0.5, y! + 0.5]);
  return prepareSample(`syn-${seed}`, image, INPUT, SPACING, px);
}

async function pretrain(
  labelled: TrainingSample[],
  validation: TrainingSample[],
  heatmapTarget?: HeatmapTarget,
  { outputBias = -4, epochs = 120 } = {},
) {
  const { model } = createHeatmapModel({
    inputShape: INPUT,
    landmarkCount: 19,
    depth: 3,
    baseFilters: 8,
    seed: 4,
    outputBias,
  });
  const before = await mapDiagnostics(model, validation, INPUT);
  const beforeMre = await validationMre(model, validation, INPUT, 4);
  const optimizer = createAdam(3e-3);
  await trainLandmarkModel(
    model,
    optimizer,
    { labelled, unlabelled: [] },
    {
      method: 'supervised',
      seed: 4,
      latentOffset: { mean: 0.01, sd: 0.005 },
      schedule: {
        pretrainEpochs: epochs,
        selfTrainEpochs: 0,
        finetuneEpochs: 0,
        batchSize: 4,
        learningRate: 3e-3,
        pseudoLabelInterval: 1,
        validateEvery: 100,
        clipNorm: 1,
        heatmapTarget,
      },
      augmentation: { rotationDeg: 2, translation: 0.02, noiseSd: 0.01, intensityJitter: 0.05 },
    },
  );
  const after = await mapDiagnostics(model, validation, INPUT);
  const afterMre = await validationMre(model, validation, INPUT, 4, decodingFor(heatmapTarget));
  const afterPlainIntegralMre = await validationMre(model, validation, INPUT, 4);
  model.dispose();
  optimizer.dispose();
  return { before, after, beforeMre, afterMre, afterPlainIntegralMre };
}

describe('heatmap-supervised pre-training on generated cephalograms', () => {
  let labelled: TrainingSample[];
  let validation: TrainingSample[];
  beforeAll(async () => {
    await setupNodeBackend('wasm');
    labelled = Array.from({ length: 12 }, (_, i) => sample(i + 1));
    validation = Array.from({ length: 6 }, (_, i) => sample(i + 301));
  });

  it('sharpens the maps onto the landmarks, where the integral L1 alone leaves them flat', async () => {
    const heat = await pretrain(labelled, validation, {
      sigma: 1,
      coordinateWeight: 0,
      backgroundWeight: 0.1,
    });
    const integral = await pretrain(labelled, validation);
    const line = (name: string, r: typeof heat) =>
      `${name}: MRE ${r.beforeMre.toFixed(2)} → ${r.afterMre.toFixed(2)} mm (plain integral ${r.afterPlainIntegralMre.toFixed(2)}), spread ${r.before.medianSpreadMm.toFixed(2)} → ${r.after.medianSpreadMm.toFixed(2)} mm, maximum ${r.before.medianMaximumErrorMm.toFixed(2)} → ${r.after.medianMaximumErrorMm.toFixed(2)} mm, mass ≤ 2 mm ${r.before.medianMassNear.toFixed(3)} → ${r.after.medianMassNear.toFixed(3)}`;
    console.log(line('heatmap L1', heat));
    console.log(line('integral L1', integral));
    // Untrained maps are flat: spread of tens of mm over a 64 × 77 mm field.
    expect(heat.before.medianSpreadMm).toBeGreaterThan(15);
    // Heatmap loss: the spread falls to a few cells (σ = 1 cell = 1.6 × 2.5 = 4 mm here), the maps'
    // maxima land within two cells of the landmarks, and the error at least halves.
    expect(heat.after.medianSpreadMm).toBeLessThan(0.4 * heat.before.medianSpreadMm);
    expect(heat.after.medianMaximumErrorMm).toBeLessThan(10);
    expect(heat.afterMre).toBeLessThan(0.5 * heat.beforeMre);
    // The integral L1 alone: maps stay at least twice as wide, their maxima further off.
    expect(integral.after.medianSpreadMm).toBeGreaterThan(2 * heat.after.medianSpreadMm);
    expect(integral.after.medianMaximumErrorMm).toBeGreaterThan(heat.after.medianMaximumErrorMm);
  });

  it('the background penalty brings saturated maps (σ(z) ≈ 1 on every cell) back to life', async () => {
    // Output bias +8: every map starts saturated, so H/γ is flat and the heatmap L1 alone has no
    // gradient to give; 4 of 19 ISBI maps ended there after 2,490 steps without the penalty.
    const target = { sigma: 1, coordinateWeight: 0 };
    const stuck = await pretrain(labelled, validation, target, { outputBias: 8, epochs: 30 });
    const revived = await pretrain(
      labelled,
      validation,
      { ...target, backgroundWeight: 0.1 },
      { outputBias: 8, epochs: 30 },
    );
    console.log(
      `saturated start: flat maps ${stuck.after.flatShare.toFixed(2)} without the penalty, ${revived.after.flatShare.toFixed(2)} with it`,
    );
    expect(stuck.before.flatShare).toBe(1);
    expect(stuck.after.flatShare).toBeGreaterThan(0.5);
    expect(revived.after.flatShare).toBeLessThan(0.1);
  });
});
