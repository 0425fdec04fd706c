// The refiner's tensor paths on a tiny patch network (16 × 24 patches, 3 landmarks): refinement of a
// constant image stays finite (never NaN) and leaks no tensor, bad input is named, training is seeded
// (same seed → same losses and weights) and leak-free, and the training patches' targets are exactly
// the labels seen through the patch geometry.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  checkRefinerMetadata,
  createRefinerModel,
  prepareRefinerImage,
  refineLandmarks,
  trainRefiner,
  validateRefinerConfig,
  type RefinerSample,
} from '../../../extension/src/core/refinement/index.ts';
import drawPatchBatch, {
  labelledPairs,
} from '../../../extension/src/core/refinement/drawPatchBatch.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const CONFIG = validateRefinerConfig({
  landmarkCount: 3,
  patchShape: [16, 24],
  mmPerPixel: 0.5,
  passes: 2,
  depth: 2,
  baseFilters: 4,
  seed: 2,
});

function rampImage(width: number, height: number) {
  const pixels = new Float32Array(width * height);
  for (let j = 0; j < height; j++)
    for (let i = 0; i < width; i++) pixels[j * width + i] = Math.sin(i / 5) + Math.cos(j / 7);
  return { width, height, pixels };
}

function samples(): RefinerSample[] {
  return [1, 2].map((k) => ({
    id: `s${k}`,
    image: prepareRefinerImage(rampImage(60 + k, 50), [0.25, 0.25], CONFIG.mmPerPixel),
    landmarks: [
      [20 + k, 15],
      [30, 25 + k],
      [Number.NaN, Number.NaN],
    ],
  }));
}

describe('refiner tensors', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('refines a constant image to finite points without leaking tensors', async () => {
    const { model } = createRefinerModel(CONFIG);
    const image = prepareRefinerImage(
      { width: 40, height: 30, pixels: new Float32Array(1200).fill(7) },
      [0.5, 0.5],
      CONFIG.mmPerPixel,
    );
    const coarse = [
      [10, 10],
      [0, 0], // on the image corner: most of the patch is outside
      [39.9, 29.9],
    ];
    await refineLandmarks(model, image, coarse, CONFIG); // warm-up (kernels, weights)
    const before = tf.memory().numTensors;
    const refined = await refineLandmarks(model, image, coarse, CONFIG);
    expect(tf.memory().numTensors).toBe(before);
    expect(refined).toHaveLength(3);
    expect(refined.flat().every(Number.isFinite)).toBe(true);
    // A single pass moves a point by at most half the patch field: 12 patch px · 0.5 mm / 0.5 mm.
    const once = await refineLandmarks(model, image, coarse, { ...CONFIG, passes: 1 });
    once.forEach((p, l) => {
      expect(Math.abs(p[0]! - coarse[l]![0]!)).toBeLessThanOrEqual(12);
      expect(Math.abs(p[1]! - coarse[l]![1]!)).toBeLessThanOrEqual(8);
    });
    model.dispose();
  });

  it('names the image and the landmark when the input is bad', async () => {
    const { model } = createRefinerModel(CONFIG);
    const image = prepareRefinerImage(rampImage(30, 20), [0.5, 0.5], 0.5);
    const ok = [
      [5, 5],
      [6, 6],
      [7, 7],
    ];
    await expect(
      refineLandmarks(model, image, [ok[0]!, [Number.NaN, 1], ok[2]!], {
        ...CONFIG,
        name: 'image "042"',
      }),
    ).rejects.toThrow(/image "042": coarse landmark 2 is not finite/);
    await expect(
      refineLandmarks(model, image, ok.slice(0, 2), { ...CONFIG, name: 'a.png' }),
    ).rejects.toThrow(/a.png: 2 coarse landmarks, the refiner has 3/);
    model.dispose();
  });

  it('draws training patches whose targets are the labels in patch pixels', () => {
    const data = samples();
    const pairs = labelledPairs(data);
    expect(pairs).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const options = {
      patchShape: CONFIG.patchShape,
      mmPerPixel: CONFIG.mmPerPixel,
      offsetSdMm: 2,
      batchSize: 32,
      rotationDeg: 10,
      intensityJitter: 0,
      noiseSd: 0,
    };
    const batch = drawPatchBatch(data, pairs, createRandom(4), options);
    expect(batch.images).toHaveLength(32 * 16 * 24);
    expect(batch.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Offsets are clipped to 3/8 of the field: the target stays ≥ 1/8 of the patch inside.
    batch.targets.forEach(([x, y]) => {
      expect(x).toBeGreaterThanOrEqual(3 - 1e-9);
      expect(x).toBeLessThanOrEqual(21 + 1e-9);
      expect(y).toBeGreaterThanOrEqual(2 - 1e-9);
      expect(y).toBeLessThanOrEqual(14 + 1e-9);
    });
    // Without offsets or rotation the label sits exactly at the patch centre.
    const centred = drawPatchBatch(data, pairs, createRandom(4), {
      ...options,
      offsetSdMm: 0,
      rotationDeg: 0,
    });
    centred.targets.forEach((t) => expect(t).toEqual([12, 8]));
    // And the same seed draws the same batch.
    expect(drawPatchBatch(data, pairs, createRandom(4), options)).toEqual(batch);
  });

  it('trains deterministically for a seed without leaking tensors', async () => {
    const run = async (seed: number) => {
      const { model } = createRefinerModel(CONFIG);
      const optimizer = createAdam(1e-3);
      const losses: number[] = [];
      const counts: number[] = [];
      const result = await trainRefiner(model, optimizer, samples(), {
        patchShape: CONFIG.patchShape,
        mmPerPixel: CONFIG.mmPerPixel,
        steps: 6,
        batchSize: 4,
        seed,
        onProgress: (p) => {
          losses.push(p.loss);
          counts.push(tf.memory().numTensors);
        },
      });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      optimizer.dispose();
      return { result, losses, counts, weights };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(a.result).toMatchObject({ status: 'completed', steps: 6 });
    expect(a.losses.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(b.losses).toEqual(a.losses);
    expect(b.weights).toEqual(a.weights);
    expect(c.losses).not.toEqual(a.losses);
    // Adam's moments exist from step 1 on; after that the count is flat.
    expect(new Set(a.counts.slice(1))).toEqual(new Set([a.counts[1]]));
  });

  it('stops at once when cancelled and rejects a model of another patch size', async () => {
    const { model } = createRefinerModel(CONFIG);
    const optimizer = createAdam(1e-3);
    const controller = new AbortController();
    controller.abort();
    const options = {
      patchShape: CONFIG.patchShape,
      mmPerPixel: 0.5,
      steps: 5,
      signal: controller.signal,
    };
    await expect(trainRefiner(model, optimizer, samples(), options)).resolves.toMatchObject({
      status: 'cancelled',
      steps: 0,
    });
    await expect(
      trainRefiner(model, optimizer, samples(), { ...options, patchShape: [16, 16] }),
    ).rejects.toThrow(/model input 16×24 does not match patchShape \[16,16\]/);
    model.dispose();
    optimizer.dispose();
  });
});

describe('refiner config and metadata', () => {
  it('fills defaults without mutating and names what is wrong', () => {
    const input = { landmarkCount: 19 };
    const config = validateRefinerConfig(input);
    expect(input).toEqual({ landmarkCount: 19 });
    expect(config).toMatchObject({
      patchShape: [64, 64],
      mmPerPixel: 0.4,
      passes: 2,
      landmarkCount: 19,
    });
    expect(() => validateRefinerConfig({ landmarkCount: 19, patchShape: [64] })).toThrow(
      /\[H, W\]/,
    );
    expect(() => validateRefinerConfig({ landmarkCount: 19, mmPerPixel: 0 })).toThrow(/mmPerPixel/);
    expect(() => validateRefinerConfig({ landmarkCount: 19, passes: 1.5 })).toThrow(/passes/);
  });

  it('checks refiner.json', () => {
    const { network } = { network: { landmarkCount: 3 } };
    const good = { format: 'landmarks-refiner', version: 1, config: CONFIG, network };
    expect(checkRefinerMetadata(good, 'r.json').config).toEqual(CONFIG);
    expect(() => checkRefinerMetadata({ ...good, format: 'x' }, 'r.json')).toThrow(
      /r.json: not a refiner/,
    );
    expect(() => checkRefinerMetadata({ ...good, version: 2 }, 'r.json')).toThrow(/version 2/);
    expect(() =>
      checkRefinerMetadata({ ...good, config: { ...CONFIG, mmPerPixel: -1 } }, 'r.json'),
    ).toThrow(/r.json: refiner mmPerPixel/);
    expect(() =>
      checkRefinerMetadata({ ...good, network: { landmarkCount: 4 } }, 'r.json'),
    ).toThrow(/landmark counts differ/);
  });
});
