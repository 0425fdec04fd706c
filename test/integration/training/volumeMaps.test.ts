// A small 3D run that learns (issue 16 item 1): a 3D U-Net trained with the heatmap loss (normalised
// Gaussian of σ = 1 voxel, HEATMAP_TARGET) on synthetic CBCT volumes of one device must sharpen its maps
// (median spread falls) and bring the error on volumes of ANOTHER device (other seeds) below a stated
// bound, read near each map's maximum as the product reads it. Deterministic seeds; small volumes so that
// it runs in well under a minute of one core.
import { beforeAll, describe, expect, it } from 'vitest';
import syntheticVolumeSample from '../../../extension/src/core/synthetic/syntheticVolumeSample.ts';
import type { VolumeSample } from '../../../extension/src/core/data/types.ts';
import mapDiagnostics from '../../../extension/src/core/heatmap/mapDiagnostics.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import { HEATMAP_TARGET } from '../../../extension/src/core/selfTraining/presets.ts';
import { decodingFor } from '../../../extension/src/core/selfTraining/predictCoordinates.ts';
import trainLandmarkModel from '../../../extension/src/core/selfTraining/trainLandmarkModel.ts';
import validationMre from '../../../extension/src/core/selfTraining/validationMre.ts';
import { generateCbctVolume } from '../../../extension/src/core/synthetic/index.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

/** 16³ input voxels of 12 mm for the generator's 192 × 192 × 168 mm field (32 × 32 × 28 voxels of 6 mm). */
const INPUT = [16, 16, 16];
const STEPS = 120;

function sample(seed: number, device: string): VolumeSample {
  const v = generateCbctVolume({
    seed,
    device,
    width: 32,
    height: 32,
    depth: 28,
    spacingMm: [6, 6, 6],
  });
  return syntheticVolumeSample(v, INPUT).sample;
}

describe('3D heatmap training on synthetic CBCT', () => {
  let labelled: VolumeSample[];
  let heldOut: VolumeSample[];

  beforeAll(async () => {
    await setupNodeBackend('wasm');
    labelled = [1, 2, 3, 4, 5, 6].map((s) => sample(s, 'cbct-a'));
    heldOut = [901, 902, 903].map((s) => sample(s, 'cbct-b'));
  });

  it(
    'sharpens its maps and brings the held-out error under 30 mm',
    { timeout: 180_000 },
    async () => {
      const { model } = createHeatmapModel({
        architecture: 'unet3d',
        inputShape: INPUT,
        landmarkCount: 18,
        depth: 3,
        baseFilters: 8,
        seed: 5,
      });
      const optimizer = createAdam(1e-2);
      const decoding = decodingFor(HEATMAP_TARGET);
      const before = await mapDiagnostics(model, heldOut, INPUT);
      const untrained = await validationMre(model, heldOut, INPUT, 3, decoding);
      const result = await trainLandmarkModel(
        model,
        optimizer,
        { labelled, unlabelled: [] },
        {
          method: 'supervised',
          seed: 5,
          latentOffset: { mean: 0.01, sd: 0.005 },
          schedule: {
            pretrainEpochs: 1,
            selfTrainEpochs: 1,
            finetuneEpochs: 1,
            stageSteps: { pretrain: STEPS, selftrain: 0, finetune: 0 },
            batchSize: 2,
            learningRate: 1e-2,
            pseudoLabelInterval: 1,
            validateEvery: 1000,
            clipNorm: 1,
            heatmapTarget: HEATMAP_TARGET,
          },
          augmentation: { rotationDeg: 3, translation: 0.03, noiseSd: 0.01, intensityJitter: 0.05 },
        },
      );
      expect(result.status).toBe('completed');
      const after = await mapDiagnostics(model, heldOut, INPUT);
      const trained = await validationMre(model, heldOut, INPUT, 3, decoding);
      console.log(
        `3D maps: spread ${before.medianSpreadMm.toFixed(1)} -> ${after.medianSpreadMm.toFixed(1)} mm, ` +
          `maximum from truth ${before.medianMaximumErrorMm.toFixed(1)} -> ${after.medianMaximumErrorMm.toFixed(1)} mm; ` +
          `held-out MRE ${untrained.toFixed(2)} -> ${trained.toFixed(2)} mm`,
      );
      // Measured with 12 mm input voxels after 120 steps (~25 s of CPU): spread 96.0 -> 28.1 / 28.6 mm,
      // map maximum 92.5 -> 16.7 / 19.7 mm from the truth, MRE 90.9 -> 17.1 / 22.0 mm, before / after
      // d8e680a changed the UpSampling3D gradient only in float rounding: a run this short moves by
      // several mm with rounding, so the bounds leave room for it.
      expect(after.medianSpreadMm).toBeLessThan(0.5 * before.medianSpreadMm);
      expect(after.medianMaximumErrorMm).toBeLessThan(0.4 * before.medianMaximumErrorMm);
      expect(trained).toBeLessThan(30);
      expect(trained).toBeLessThan(0.4 * untrained);
      model.dispose();
      optimizer.dispose();
    },
  );
});
