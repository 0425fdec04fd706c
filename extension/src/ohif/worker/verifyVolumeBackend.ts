/**
 * Proof that a browser backend computes 3D training correctly, not only that it runs: WebGPU in tfjs
 * 4.22 mis-compiles some rank-5 broadcasts and then returns zeros without an error (shared notes,
 * tfjs.md), so a 3D step "succeeds" with a wrong loss. The loss (L1 of the integral coordinates + the
 * Region Attention loss, from logits, as in training) and its gradient norm for one fixed batch of a
 * very small 3D U-Net (8³ input, 2 levels: the same ops as the presets' networks at a cost of about a
 * second on cpu) are computed on the backend and on the cpu backend (the reference); a relative
 * difference above 1e-3 rejects the backend, and the worker falls back to the next one with a note.
 */
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../../core/heatmap/integralCoordinates.ts';
import l1CoordinateLoss from '../../core/losses/l1CoordinateLoss.ts';
import regionAttentionLoss from '../../core/losses/regionAttentionLoss.ts';
import createHeatmapModel from '../../core/models/createHeatmapModel.ts';
import withHeatmapLogits from '../../core/models/heatmapLogits.ts';

/** Relative tolerance between a backend and cpu (float32 sums over 16³ voxels differ by ~1e-6). */
const TOLERANCE = 1e-3;
const LANDMARKS = 3;
const INPUT = [8, 8, 8];

/** Loss and global gradient norm of the fixed batch on the active backend. */
async function probe(): Promise<[number, number]> {
  const [d, h, w] = INPUT as [number, number, number];
  const { model } = createHeatmapModel({
    architecture: 'unet3d',
    inputShape: INPUT,
    landmarkCount: LANDMARKS,
    depth: 2,
    baseFilters: 2,
    seed: 7,
  });
  const network = withHeatmapLogits(model);
  const from = { fromLogits: network.fromLogits };
  try {
    const [loss, norm] = tf.tidy(() => {
      const x = tf.tensor(
        Float32Array.from({ length: d * h * w }, (_, i) => ((i * 7919) % 255) / 255),
        [1, d, h, w, 1],
      );
      const target = tf.tensor3d([
        [
          [0.3, 0.4, 0.5],
          [0.6, 0.5, 0.4],
          [0.45, 0.7, 0.3],
        ],
      ]);
      const mask = tf.ones([1, LANDMARKS]) as tf.Tensor2D;
      const offsets = tf.fill([1, LANDMARKS], 0.01) as tf.Tensor2D;
      const { value, grads } = tf.variableGrads(() => {
        const heat = network.model.apply(x, { training: true }) as tf.Tensor;
        const coords = integralCoordinates(heat, from);
        return l1CoordinateLoss(coords, target, mask).add(
          regionAttentionLoss(heat, target, offsets, mask, from),
        ) as tf.Scalar;
      });
      const squares = Object.values(grads).map((g) => g.square().sum());
      return [value, tf.addN(squares).sqrt()];
    });
    const [l, n] = [(await loss.data())[0]!, (await norm.data())[0]!];
    tf.dispose([loss, norm]);
    return [l, n];
  } finally {
    model.dispose();
  }
}

const close = (a: number, b: number) =>
  Number.isFinite(a) && Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(b), 1e-6);

/**
 * Throws when the active backend's 3D loss or gradient norm differs from the cpu backend's; leaves the
 * active backend as it found it. The cpu backend itself needs no check.
 */
export default async function verifyVolumeBackend(): Promise<void> {
  const backend = tf.getBackend();
  if (backend === 'cpu') return;
  const here = await probe();
  await tf.setBackend('cpu');
  let reference: [number, number];
  try {
    reference = await probe();
  } finally {
    await tf.setBackend(backend);
  }
  if (!close(here[0], reference[0]) || !close(here[1], reference[1])) {
    const f = (v: number) => v.toPrecision(6);
    throw new Error(
      `3D training is wrong on ${backend}: loss ${f(here[0])} and gradient norm ${f(here[1])}, ` +
        `cpu ${f(reference[0])} and ${f(reference[1])}`,
    );
  }
}
