// Coarse-to-fine refinement on generated cephalograms (core/synthetic: landmarks sit on visible
// structures): a patch refiner is trained on 10 images; on 6 held-out images it must bring coarse
// estimates (truth + N(0, 6²) mm per axis, radial MRE ≈ 7.6 mm: the regime of the ISBI coarse network,
// 6.55 mm at 20 labels) well closer to the truth. Also: no tensor leaks in training and inference,
// every refined point finite, and save → load of refiner/ gives identical refined points.
// (A tiny coarse NETWORK trained in CI time is far worse, 17–20 mm, beyond a patch's reach; the CLI
// test runs that whole chain end to end.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generateCephalogram } from '../../../extension/src/core/synthetic/index.ts';
import type { GrayImage } from '../../../extension/src/core/data/types.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import {
  createRefinerModel,
  prepareRefinerImage,
  refineLandmarks,
  trainRefiner,
  validateRefinerConfig,
  type RefinerSample,
} from '../../../extension/src/core/refinement/index.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import { loadRefiner, saveRefiner } from '../../../extension/src/node/refinerStore.ts';

const SPACING: [number, number] = [1.6, 1.6];
const CONFIG = validateRefinerConfig({
  landmarkCount: 19,
  // 32 × 32 patches at 1.6 mm: a 51 mm field.
  patchShape: [32, 32],
  mmPerPixel: 1.6,
  passes: 2,
  depth: 3,
  baseFilters: 8,
  seed: 5,
});
const COARSE_SD_MM = 6;

interface Case {
  id: string;
  image: GrayImage;
  truth: number[][];
}

function makeCase(seed: number): Case {
  const s = generateCephalogram({ seed, width: 96, height: 120, spacingMm: SPACING });
  // The generator puts pixel centres at integers; the pipeline uses the pixel-corner convention.
  return {
    id: `syn-${seed}`,
    image: { width: s.width, height: s.height, pixels: Float32Array.from(s.pixels) },
    truth: s.landmarksPx.map(([x, y]) => [x! + 0.5, y! + 0.5]),
  };
}

function mreMm(pred: number[][][], cases: Case[]): number {
  const errors = cases.flatMap((c, i) =>
    c.truth.map(([x, y], l) =>
      Math.hypot((pred[i]![l]![0]! - x!) * SPACING[0], (pred[i]![l]![1]! - y!) * SPACING[1]),
    ),
  );
  return errors.reduce((a, b) => a + b, 0) / errors.length;
}

describe('coarse-to-fine refinement on generated cephalograms', () => {
  let train: Case[];
  let test: Case[];
  let coarse: number[][][];
  let dir: string;
  beforeAll(async () => {
    await setupNodeBackend('wasm');
    train = Array.from({ length: 10 }, (_, i) => makeCase(i + 1));
    test = Array.from({ length: 6 }, (_, i) => makeCase(i + 301));
    const rng = createRandom(99);
    coarse = test.map((c) =>
      c.truth.map(([x, y]) => [
        x! + (rng.normal() * COARSE_SD_MM) / SPACING[0],
        y! + (rng.normal() * COARSE_SD_MM) / SPACING[1],
      ]),
    );
    dir = await mkdtemp(path.join(tmpdir(), 'landmarks-refine-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refines held-out coarse estimates, without leaks, and round-trips through refiner/', async () => {
    const { model, network } = createRefinerModel(CONFIG);
    const optimizer = createAdam(3e-3);
    const samples: RefinerSample[] = train.map((c) => ({
      id: c.id,
      image: prepareRefinerImage(c.image, SPACING, CONFIG.mmPerPixel, c.id),
      landmarks: c.truth,
    }));
    const tensorCounts: number[] = [];
    const result = await trainRefiner(model, optimizer, samples, {
      patchShape: CONFIG.patchShape,
      mmPerPixel: CONFIG.mmPerPixel,
      steps: 200,
      batchSize: 16,
      offsetSdMm: 6,
      seed: 7,
      onProgress: (p) => {
        if (p.step % 25 === 0) tensorCounts.push(tf.memory().numTensors);
      },
    });
    expect(result.status).toBe('completed');
    // No tensor leaks across training steps.
    expect(new Set(tensorCounts)).toEqual(new Set([tensorCounts[0]]));

    const prepared = test.map((c) => prepareRefinerImage(c.image, SPACING, CONFIG.mmPerPixel));
    const before = tf.memory().numTensors;
    const refined: number[][][] = [];
    for (const [i, image] of prepared.entries())
      refined.push(await refineLandmarks(model, image, coarse[i]!, CONFIG));
    expect(tf.memory().numTensors).toBe(before);
    expect(refined.flat(2).every(Number.isFinite)).toBe(true);

    const coarseMre = mreMm(coarse, test);
    const refinedMre = mreMm(refined, test);
    console.log(
      `held-out MRE: coarse ${coarseMre.toFixed(2)} mm, refined ${refinedMre.toFixed(2)} mm`,
    );
    // Measured with these seeds: 7.56 mm → 3.41 mm (ratio 0.45); asserted with margin.
    expect(coarseMre).toBeGreaterThan(6);
    expect(refinedMre).toBeLessThan(0.6 * coarseMre);

    // Save → load → identical refined points.
    await saveRefiner(dir, model, {
      format: 'landmarks-refiner',
      version: 1,
      config: CONFIG,
      network,
    });
    const loaded = await loadRefiner(dir);
    expect(loaded).toBeDefined();
    expect(loaded!.metadata.config).toEqual(CONFIG);
    const again = await loaded!.refiner.refine(test[0]!.image, SPACING, coarse[0]!);
    expect(again).toEqual(refined[0]);
    loaded!.refiner.dispose();
    model.dispose();
    optimizer.dispose();
    // ~60 s of CPU; the limit leaves room for a loaded 2-core machine.
  }, 900_000);
});
