import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import validateConfig from '../../../extension/src/core/models/validateConfig.ts';
import UpSampling3D from '../../../extension/src/core/models/upSampling3d.ts';
import type { HeatmapModelConfig } from '../../../extension/src/core/models/types.ts';
import integralCoordinates from '../../../extension/src/core/heatmap/integralCoordinates.ts';
import withHeatmapLogits from '../../../extension/src/core/models/heatmapLogits.ts';
import createAdam from '../../../extension/src/core/tf/createAdam.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const tiny: HeatmapModelConfig[] = [
  { architecture: 'unet2d', inputShape: [12, 8], landmarkCount: 3, depth: 3, baseFilters: 2 },
  { architecture: 'hourglass2d', inputShape: [12, 8], landmarkCount: 3, depth: 3, baseFilters: 4 },
  { architecture: 'unet3d', inputShape: [4, 8, 6], landmarkCount: 2, depth: 2, baseFilters: 2 },
];

describe('heatmap networks', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('validateConfig fills defaults, copies, and names what is wrong', () => {
    const input = { inputShape: [64, 48], landmarkCount: 19 };
    const resolved = validateConfig(input);
    expect(resolved).toMatchObject({
      architecture: 'unet2d',
      depth: 4,
      baseFilters: 16,
      seed: 0,
      outputBias: -4,
    });
    resolved.inputShape[0] = 1;
    expect(input.inputShape[0]).toBe(64);
    expect(() => validateConfig({ inputShape: [60, 48], landmarkCount: 19 })).toThrow(
      /divide by 2\^\(depth−1\) = 8/,
    );
    expect(() => validateConfig({ inputShape: [64, 48, 8], landmarkCount: 19 })).toThrow(
      /needs inputShape of 2 sizes/,
    );
    expect(() =>
      validateConfig({ architecture: 'vnet' as 'unet2d', inputShape: [8, 8], landmarkCount: 1 }),
    ).toThrow(/architecture must be one of/);
    expect(() => validateConfig({ inputShape: [64, 48], landmarkCount: 0 })).toThrow(
      /landmarkCount/,
    );
  });

  it.each(tiny)(
    '$architecture: n sigmoid heatmaps the size of the input; seeded initialisation',
    (config) => {
      const { model } = createHeatmapModel({ ...config, seed: 7 });
      const same = createHeatmapModel({ ...config, seed: 7 }).model;
      const other = createHeatmapModel({ ...config, seed: 8 }).model;
      const x = tf.randomUniform([2, ...config.inputShape, 1], 0, 1, 'float32', 1);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, ...config.inputShape, config.landmarkCount]);
      const values = y.dataSync();
      expect(Math.min(...values)).toBeGreaterThan(0);
      expect(Math.max(...values)).toBeLessThan(1);
      const w = (m: tf.LayersModel) => m.getWeights().map((t) => Array.from(t.dataSync()));
      expect(w(same)).toEqual(w(model));
      expect(w(other)).not.toEqual(w(model));
      [x, y].forEach((t) => t.dispose());
      [model, same, other].forEach((m) => m.dispose());
    },
  );

  it.each(tiny)(
    '$architecture: training steps on wasm leak no tensor and lower the loss',
    (config) => {
      const { model } = createHeatmapModel({ ...config, seed: 1 });
      const optimizer = createAdam(1e-2);
      const d = config.inputShape.length;
      const x = tf.randomUniform([2, ...config.inputShape, 1], 0, 1, 'float32', 2);
      const target = tf.randomUniform([2, config.landmarkCount, d], 0.2, 0.8, 'float32', 3);
      const step = () => {
        const loss = optimizer.minimize(
          () =>
            integralCoordinates(model.apply(x) as tf.Tensor)
              .sub(target)
              .abs()
              .mean() as tf.Scalar,
          true,
        )!;
        const v = loss.dataSync()[0]!;
        loss.dispose();
        return v;
      };
      const first = step(); // creates Adam's moment variables
      const counts: number[] = [];
      let last = first;
      for (let i = 0; i < 8; i++) {
        last = step();
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size).toBe(1);
      expect(last).toBeLessThan(first);
      [x, target].forEach((t) => t.dispose());
      model.dispose();
      optimizer.dispose();
    },
  );

  it.each(tiny)(
    '$architecture: the logits view shares the weights and σ(logits) is the output',
    (config) => {
      const { model } = createHeatmapModel({ ...config, seed: 3 });
      const view = withHeatmapLogits(model);
      expect(view.fromLogits).toBe(true);
      expect(withHeatmapLogits(model)).toBe(view);
      const x = tf.randomUniform([1, ...config.inputShape, 1], 0, 1, 'float32', 4);
      const gap = () =>
        tf.tidy(() =>
          Math.max(
            ...(view.model.predict(x) as tf.Tensor)
              .sigmoid()
              .sub(model.predict(x) as tf.Tensor)
              .abs()
              .dataSync(),
          ),
        );
      expect(gap()).toBeLessThan(1e-6);
      // A weight change made through the model is seen by the view (shared variables, no copy).
      const bias = model.getLayer('heatmap_logits').getWeights()[1]!;
      model
        .getLayer('heatmap_logits')
        .setWeights([model.getLayer('heatmap_logits').getWeights()[0]!, bias.add(3)]);
      expect(gap()).toBeLessThan(1e-6);
      x.dispose();
      model.dispose();
    },
  );

  it('a model saved before the logits layer existed (one sigmoid convolution) is read as sigmoid maps', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const output = tf.layers
      .conv2d({ filters: 2, kernelSize: 1, activation: 'sigmoid', name: 'heatmaps' })
      .apply(input) as tf.SymbolicTensor;
    const legacy = tf.model({ inputs: input, outputs: output });
    const view = withHeatmapLogits(legacy);
    expect(view).toEqual({ model: legacy, fromLogits: false });
    legacy.dispose();
  });

  it('UpSampling3D repeats every voxel 2×2×2 and its gradient sums each block', async () => {
    const [B, D, H, W, C] = [2, 2, 3, 2, 2];
    const x = tf.range(0, B * D * H * W * C).reshape([B, D, H, W, C]);
    const layer = new UpSampling3D({});
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([B, 2 * D, 2 * H, 2 * W, C]);
    const xv = x.arraySync() as number[][][][][];
    const yv = y.arraySync() as number[][][][][];
    for (let n = 0; n < B; n++)
      for (let z = 0; z < 2 * D; z++)
        for (let r = 0; r < 2 * H; r++)
          for (let c = 0; c < 2 * W; c++)
            for (let k = 0; k < C; k++)
              expect(yv[n]![z]![r]![c]![k]).toBe(xv[n]![z >> 1]![r >> 1]![c >> 1]![k]);
    // On cpu too: it is the reference the browser backends are checked against, and its own
    // ResizeNearestNeighborGrad (the forward's op) is wrong in tfjs 4.22.
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const weights = tf.randomUniform(y.shape, 0, 1, 'float32', 5);
      const g = tf.grad((t: tf.Tensor) => (layer.apply(t) as tf.Tensor).mul(weights).sum())(x);
      const expected = tf.avgPool3d(weights as tf.Tensor5D, 2, 2, 'valid').mul(8);
      expect(Math.max(...g.sub(expected).abs().dataSync()), backend).toBeLessThan(1e-5);
    }
    await tf.setBackend('wasm');
  });
});
