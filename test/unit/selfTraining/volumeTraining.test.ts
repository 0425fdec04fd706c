// The training loop's pieces on volumes ([D, H, W] inputs, n × 3 landmarks): pseudo labels go through
// millimetres with each axis's spacing, trainStep runs the 3D U-Net with the project's conv3d gradient
// kernels (checked to be the registered ones) without leaking tensors, and mixed-up inputs are refused
// with the sample named.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import type { VolumeSample } from '../../../extension/src/core/data/types.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import { TRAINING_KERNELS } from '../../../extension/src/core/tf/registerTrainingKernels.ts';
import estimatePseudoLabels, {
  pseudoLabelShift,
} from '../../../extension/src/core/selfTraining/estimatePseudoLabels.ts';
import trainStep, { type StepContext } from '../../../extension/src/core/selfTraining/trainStep.ts';
import trainLandmarkModel from '../../../extension/src/core/selfTraining/trainLandmarkModel.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const INPUT = [4, 8, 6]; // D, H, W: non-cubic so that a swapped axis fails
const box = {
  scaleX: 1,
  scaleY: 1,
  scaleZ: 1,
  offsetX: 0,
  offsetY: 0,
  offsetZ: 0,
  inputWidth: 6,
  inputHeight: 8,
  inputDepth: 4,
};

function volumes(count: number, seed: number, labelled: boolean): VolumeSample[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `v${seed}-${i}`,
    image: Float32Array.from({ length: 4 * 8 * 6 }, () => rng.next()),
    landmarks: labelled
      ? [0, 1, 2].map(() => [1 + 4 * rng.next(), 1 + 6 * rng.next(), 1 + 2 * rng.next()])
      : undefined,
    spacingMm: [0.5, 0.25, 2],
    letterbox: box,
  }));
}

describe('3D training pieces', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('uses the project’s conv3d gradient kernels on wasm', () => {
    for (const name of ['Conv3DBackpropFilterV2', 'Conv3DBackpropInputV2']) {
      expect(tf.getKernel(name, 'wasm')?.kernelFunc).toBe(TRAINING_KERNELS[name]);
    }
  });

  it('pseudo labels: through mm with each axis’s spacing; abnormal landmarks masked', () => {
    const [s] = volumes(1, 1, false);
    const predicted = [
      [
        [2, 4, 1],
        [3, 5, 2],
        [5, 1, 3],
      ],
    ];
    let seenMm: number[][] = [];
    const labels = estimatePseudoLabels([s!], predicted, (mm) => {
      seenMm = mm;
      return {
        gamma: mm.map(([x, y, z]) => [x! + 1, y! + 1, z! + 1]),
        abnormal: [false, true, false],
      };
    });
    // x·0.5, y·0.25, z·2 mm; then +1 mm = +2 px in x, +4 px in y, +0.5 px in z.
    expect(seenMm).toEqual([
      [1, 1, 2],
      [1.5, 1.25, 4],
      [2.5, 0.25, 6],
    ]);
    expect(labels[s!.id]!.landmarks).toEqual([
      [4, 8, 1.5],
      [5, 9, 2.5],
      [7, 5, 3.5],
    ]);
    expect(labels[s!.id]!.mask).toEqual([true, false, true]);
    // Shift between two label sets: mean 3D distance (input voxels), here √(2² + 4² + 0.5²) for each.
    const raw = estimatePseudoLabels([s!], predicted);
    expect(pseudoLabelShift(raw, labels)).toBeCloseTo(Math.hypot(2, 4, 0.5), 12);
  });

  it('trainStep learns on volumes (L1 and Region Attention), reads asynchronously, leaks no tensor', async () => {
    const { model } = createHeatmapModel({
      architecture: 'unet3d',
      inputShape: INPUT,
      landmarkCount: 3,
      depth: 2,
      baseFilters: 2,
      seed: 1,
    });
    const ctx: StepContext = {
      model,
      optimizer: createAdam(1e-2),
      inputShape: INPUT,
      rng: createRandom(3),
      augmentation: { rotationDeg: 5, translation: 0.05, noiseSd: 0.02, intensityJitter: 0.1 },
      latentOffset: { mean: 0.01, sd: 0.005 },
      clipNorm: 1,
    };
    const data = volumes(2, 2, true);
    const batch = data.map((s, i) => ({
      image: s.image,
      landmarks: s.landmarks!,
      mask: [true, i === 0, true],
      regionAttention: i === 1,
    }));
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const counts: number[] = [];
    const losses: number[] = [];
    const readSync = vi.spyOn(tf.engine(), 'readSync');
    for (let step = 0; step < 3; step++) {
      losses.push(await trainStep(ctx, batch));
      counts.push(tf.memory().numTensors);
    }
    // No synchronous read per step (slow and fragile on WebGPU): loss and gradient norm are awaited.
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    expect(new Set(counts.slice(1)).size).toBe(1);
    const moved = model
      .getWeights()
      .some((w, i) => w.dataSync().some((v, k) => v !== before[i]![k]));
    expect(moved).toBe(true);
    model.dispose();
    ctx.optimizer.dispose();
  });

  it('refuses 2D samples for a 3D network, naming the sample', async () => {
    const { model } = createHeatmapModel({
      architecture: 'unet3d',
      inputShape: INPUT,
      landmarkCount: 3,
      depth: 2,
      baseFilters: 2,
    });
    const flat = volumes(2, 4, true).map((s) => ({
      ...s,
      landmarks: s.landmarks!.map((p) => p.slice(0, 2)),
    }));
    const options = {
      method: 'supervised' as const,
      seed: 1,
      latentOffset: { mean: 0.01, sd: 0.005 },
      schedule: {
        pretrainEpochs: 1,
        selfTrainEpochs: 0,
        finetuneEpochs: 0,
        batchSize: 2,
        learningRate: 1e-3,
        pseudoLabelInterval: 1,
        validateEvery: 1,
      },
      augmentation: { rotationDeg: 0, translation: 0, noiseSd: 0, intensityJitter: 0 },
    };
    const opt = createAdam(1e-3);
    await expect(
      trainLandmarkModel(model, opt, { labelled: flat, unlabelled: [] }, options),
    ).rejects.toThrow(/volume "v4-0": the network takes 3D input \[4,8,6\]/);
    const wrongSize = volumes(1, 5, true).map((s) => ({ ...s, image: new Float32Array(10) }));
    await expect(
      trainLandmarkModel(model, opt, { labelled: wrongSize, unlabelled: [] }, options),
    ).rejects.toThrow(/volume "v5-0": 10 input values, the network takes \[4,8,6\]/);
    model.dispose();
    opt.dispose();
  });
});
