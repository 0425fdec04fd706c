/**
 * Speed of one U-Net (extension/src/core/models/unet.ts, 2D or 3D) in tfjs and of the same network in
 * PyTorch (bench/torch/unet_speed.py, Debian's python3-torch under /usr/bin/python3): ms per training step
 * (integral coordinates, L1, Adam) and per single-image inference, medians over `reps` after one warm-up.
 * Shared by bench/speed.bench.ts and bench/isbi.bench.ts.
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import createHeatmapModel from '../extension/src/core/models/createHeatmapModel.ts';
import withHeatmapLogits from '../extension/src/core/models/heatmapLogits.ts';
import integralCoordinates from '../extension/src/core/heatmap/integralCoordinates.ts';
import createAdam from '../extension/src/core/tf/createAdam.ts';

export interface UnetSpeedConfig {
  /** [H, W] or [D, H, W] */
  inputShape: number[];
  depth: number;
  baseFilters: number;
  landmarks: number;
  batch: number;
  /** timed repetitions (after one warm-up) */
  reps: number;
  seed?: number;
}

export interface SpeedResult {
  trainStepMs: number;
  inferenceMs: number;
  parameters: number;
}

export const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The network, its optimiser and a training step and inference on fixed random data (current backend). */
export function unetWorkload(cfg: UnetSpeedConfig) {
  const { model } = createHeatmapModel({
    inputShape: cfg.inputShape,
    landmarkCount: cfg.landmarks,
    depth: cfg.depth,
    baseFilters: cfg.baseFilters,
    architecture: cfg.inputShape.length === 3 ? 'unet3d' : 'unet2d',
    seed: cfg.seed ?? 1,
  });
  const optimizer = createAdam(1e-3);
  const x = tf.randomUniform([cfg.batch, ...cfg.inputShape, 1], 0, 1, 'float32', 1);
  const target = tf.randomUniform(
    [cfg.batch, cfg.landmarks, cfg.inputShape.length],
    0,
    1,
    'float32',
    2,
  );
  const one = tf.randomUniform([1, ...cfg.inputShape, 1], 0, 1, 'float32', 3);
  const network = withHeatmapLogits(model);
  const from = { fromLogits: network.fromLogits };
  const loss = () =>
    integralCoordinates(network.model.apply(x, { training: true }) as tf.Tensor, from)
      .sub(target)
      .abs()
      .sum(2)
      .mean() as tf.Scalar;
  /**
   * One Adam step; returns the loss before it. Reads with `await data()`: the webgpu backend cannot
   * read synchronously in Node, and the read waits for its queued GPU work.
   */
  const step = async () => {
    const value = optimizer.minimize(loss, true)!;
    const out = (await value.data())[0]!;
    value.dispose();
    return out;
  };
  const infer = async () => {
    const coords = tf.tidy(() =>
      integralCoordinates(network.model.predict(one) as tf.Tensor, from),
    );
    const out = await coords.data();
    coords.dispose();
    return out;
  };
  const dispose = () => {
    tf.dispose([x, target, one]);
    model.dispose();
    optimizer.dispose();
  };
  return { model, optimizer, loss, step, infer, dispose };
}

/** Times the workload on the current tfjs backend. */
export async function tfjsUnetSpeed(cfg: UnetSpeedConfig): Promise<SpeedResult> {
  const w = unetWorkload(cfg);
  const time = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  await time(w.step);
  await time(w.infer);
  const steps: number[] = [];
  for (let i = 0; i < cfg.reps; i++) steps.push(await time(w.step));
  const infers: number[] = [];
  for (let i = 0; i < cfg.reps; i++) infers.push(await time(w.infer));
  const parameters = w.model.countParams();
  w.dispose();
  return { trainStepMs: median(steps), inferenceMs: median(infers), parameters };
}

/** The same network in PyTorch on `threads` threads. */
export function torchUnetSpeed(
  cfg: UnetSpeedConfig,
  threads: number,
): SpeedResult & { torch: string } {
  const out = execFileSync(
    '/usr/bin/python3',
    [
      'bench/torch/unet_speed.py',
      JSON.stringify({
        inputShape: cfg.inputShape,
        depth: cfg.depth,
        baseFilters: cfg.baseFilters,
        landmarks: cfg.landmarks,
        batch: cfg.batch,
        threads,
        steps: cfg.reps,
        inferences: cfg.reps,
      }),
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as SpeedResult & { torch: string };
}
