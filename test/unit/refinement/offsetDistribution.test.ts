// The refiner's coarse-error distribution (core/refinement/offsetDistribution.ts): the robust fit
// against hand-computed values, the prior map against the mixture's density, and the MAP read-out
// on a map with two peaks, where the weaker peak near the coarse estimate must win over a stronger
// one 6 mm away once the prior is on (and lose without it).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fitOffsetDistribution,
  offsetPriorMap,
  type OffsetDistribution,
} from '../../../extension/src/core/refinement/offsetDistribution.ts';
import {
  prepareRefinerImage,
  refineLandmarks,
  validateRefinerConfig,
} from '../../../extension/src/core/refinement/index.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

describe('fitOffsetDistribution', () => {
  it('takes 1.4826 × the median absolute error as the SD and the RMS beyond 3 SDs as the tail', () => {
    // 36 errors of (±1, ±1) mm and 4 of (10, −10): median |v| = 1 → SD 1.4826; the tail is the 8
    // values of magnitude 10 among 80 (fraction 0.1, RMS 10). Missing errors are left out.
    const errors = [
      ...Array.from({ length: 36 }, (_, i) => [i % 2 ? 1 : -1, i % 3 ? -1 : 1]),
      ...Array.from({ length: 4 }, () => [10, -10]),
      [Number.NaN, 2],
    ];
    const d = fitOffsetDistribution(errors);
    expect(d.offsetSdMm).toBeCloseTo(1.4826, 6);
    expect(d.offsetTailFraction).toBeCloseTo(0.1, 12);
    expect(d.offsetTailSdMm).toBeCloseTo(10, 12);
  });

  it('has no tail for errors within 3 SDs, and refuses too few errors', () => {
    const d = fitOffsetDistribution(
      Array.from({ length: 30 }, (_, i) => [(i % 5) - 2, 2 - (i % 5)]),
    );
    // |v| ∈ {0, 1, 2} with median 1 → SD 1.4826, all within 4.45.
    expect(d).toEqual({ offsetSdMm: 1.4826, offsetTailSdMm: 0, offsetTailFraction: 0 });
    expect(() => fitOffsetDistribution([[1, 1]])).toThrow(/needs 20 measured errors, got 1/);
  });
});

describe('offsetPriorMap', () => {
  it('is the mixture density around the patch centre, 1 at the centre', () => {
    const d = { offsetSdMm: 1, offsetTailSdMm: 4, offsetTailFraction: 0.2 };
    const map = offsetPriorMap([9, 9], 0.5, d);
    const density = (r2: number) => 0.8 * Math.exp(-r2 / 2) + (0.2 / 16) * Math.exp(-r2 / 32);
    expect(map[4 * 9 + 4]).toBeCloseTo(1, 6); // odd size: pixel 4's centre is the patch centre
    // pixel (row 1, column 7): 3 px right and 3 px up = (1.5, −1.5) mm
    expect(map[1 * 9 + 7]).toBeCloseTo(density(4.5) / density(0), 6);
    expect(map[1 * 9 + 7]).toBeCloseTo(map[7 * 9 + 1]!, 7);
    // Corner (2 mm, 2 mm): the tail keeps it 1.6× above the core normal alone.
    expect(map[0]).toBeCloseTo(density(8) / density(0), 6);
    expect(map[0]).toBeGreaterThan(1.5 * Math.exp(-8 / 2));
  });
});

describe('MAP read-out', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('reads the peak near the coarse estimate, not a stronger one 6 mm away', async () => {
    // The "network" returns its input patch as the map (a 1×1 convolution of weight 1), so the map is
    // the image: a weak blob 0.5 mm right of the coarse estimate, a strong one 6 mm left of it.
    const size = 120;
    const pixels = new Float32Array(size * size);
    const blob = (cx: number, cy: number, height: number) => {
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++)
          pixels[y * size + x]! +=
            height * Math.exp(-((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2) / 2);
    };
    const coarse = [60, 60];
    blob(61, 60, 0.6); // +0.5 mm (0.5 mm pixels)
    blob(48, 60, 1.0); // −6 mm
    const image = prepareRefinerImage({ width: size, height: size, pixels }, [0.5, 0.5], 0.5);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [32, 32, 1],
          filters: 1,
          kernelSize: 1,
          useBias: false,
          kernelInitializer: 'ones',
        }),
      ],
    });
    const base = validateRefinerConfig({
      landmarkCount: 1,
      patchShape: [32, 32],
      mmPerPixel: 0.5,
      passes: 1,
      heatmapSigma: 1,
    });
    const read = async (prior?: OffsetDistribution) =>
      (await refineLandmarks(model, image, [coarse], { ...base, ...(prior ? { prior } : {}) }))[0]!;
    const plain = await read();
    const withPrior = await read({ offsetSdMm: 1.3, offsetTailSdMm: 0, offsetTailFraction: 0 });
    expect(Math.abs(plain[0]! - 48)).toBeLessThan(0.5);
    expect(Math.abs(withPrior[0]! - 61)).toBeLessThan(0.5);
    expect(Math.abs(withPrior[1]! - 60)).toBeLessThan(0.5);
    model.dispose();
  });
});
