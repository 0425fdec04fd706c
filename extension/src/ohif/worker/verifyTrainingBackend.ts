/**
 * Proof that a browser backend computes training correctly, not only that it runs: the loss (L1 of the
 * integral coordinates + the Region Attention loss, from logits, as in training) and its global
 * gradient norm for one fixed batch of a very small U-Net are computed on the active backend and on the
 * cpu backend (the reference). Why: WebGPU in tfjs 4.22 mis-compiles some rank-5 broadcasts and returns
 * zeros without an error (shared notes, tfjs.md), and its addN fails past 8 inputs; both give a wrong
 * loss that a "training step runs" check does not see.
 *
 * Probe networks (the same layer types as the presets' networks, about a second on cpu):
 * 2D: 2-level U-Net, 2 filters, 16 × 12 input (rows × columns), 3 landmarks;
 * 3D: 2-level 3D U-Net, 2 filters, 8³ input, 3 landmarks.
 */
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../../core/heatmap/integralCoordinates.ts';
import l1CoordinateLoss from '../../core/losses/l1CoordinateLoss.ts';
import regionAttentionLoss from '../../core/losses/regionAttentionLoss.ts';
import createHeatmapModel from '../../core/models/createHeatmapModel.ts';
import withHeatmapLogits from '../../core/models/heatmapLogits.ts';
import sumTensors from '../../core/tf/sumTensors.ts';

/**
 * Largest accepted relative difference to cpu. 2D: float32 sums over 16 × 12 pixels differ by ~1e-7
 * between backends, so 1e-4 leaves a wide margin and still catches any wrong kernel. 3D: 1e-3 (sums
 * over 8³ voxels and deeper reductions; a broken kernel is off by far more).
 */
export const TOLERANCE = { 2: 1e-4, 3: 1e-3 } as const;
const LANDMARKS = 3;
const INPUT = { 2: [16, 12], 3: [8, 8, 8] } as const;
/** Target landmarks, normalised (x, y[, z]) in [0, 1] of the input. */
const TARGET = {
  2: [
    [0.3, 0.4],
    [0.6, 0.5],
    [0.45, 0.7],
  ],
  3: [
    [0.3, 0.4, 0.5],
    [0.6, 0.5, 0.4],
    [0.45, 0.7, 0.3],
  ],
} as const;

/** The loss and gradient norm on the active backend, the cpu's, and their relative differences. */
export interface BackendCheck {
  backend: string;
  dimension: 2 | 3;
  loss: number;
  gradientNorm: number;
  cpu: { loss: number; gradientNorm: number };
  relativeDifference: { loss: number; gradientNorm: number };
}

/** Loss and global gradient norm of the fixed batch on the active backend. */
async function probe(dimension: 2 | 3): Promise<[number, number]> {
  const shape = [...INPUT[dimension]];
  const cells = shape.reduce((p, v) => p * v, 1);
  const { model } = createHeatmapModel({
    architecture: dimension === 3 ? 'unet3d' : 'unet2d',
    inputShape: shape,
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
        Float32Array.from({ length: cells }, (_, i) => ((i * 7919) % 255) / 255),
        [1, ...shape, 1],
      );
      const target = tf.tensor3d([TARGET[dimension].map((p) => [...p])]);
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
      return [value, sumTensors(squares).sqrt()];
    });
    const [l, n] = [(await loss.data())[0]!, (await norm.data())[0]!];
    tf.dispose([loss, norm]);
    return [l, n];
  } finally {
    model.dispose();
  }
}

/** |a − b| / max(|b|, 1e-6); Infinity when a is not finite. */
const relative = (a: number, b: number) =>
  Number.isFinite(a) ? Math.abs(a - b) / Math.max(Math.abs(b), 1e-6) : Number.POSITIVE_INFINITY;

/**
 * Compares the active backend's loss and gradient norm with the cpu backend's; throws when either
 * differs by more than {@link TOLERANCE}; leaves the active backend as it found it.
 * @returns the comparison (on cpu itself: no comparison is run, differences are 0)
 */
export default async function verifyTrainingBackend(dimension: 2 | 3): Promise<BackendCheck> {
  const backend = tf.getBackend();
  const here = await probe(dimension);
  let reference: [number, number] = here;
  if (backend !== 'cpu') {
    await tf.setBackend('cpu');
    try {
      reference = await probe(dimension);
    } finally {
      await tf.setBackend(backend);
    }
  }
  const check: BackendCheck = {
    backend,
    dimension,
    loss: here[0],
    gradientNorm: here[1],
    cpu: { loss: reference[0], gradientNorm: reference[1] },
    relativeDifference: {
      loss: relative(here[0], reference[0]),
      gradientNorm: relative(here[1], reference[1]),
    },
  };
  const { loss, gradientNorm } = check.relativeDifference;
  if (!(loss <= TOLERANCE[dimension]) || !(gradientNorm <= TOLERANCE[dimension])) {
    const f = (v: number) => v.toPrecision(6);
    throw new Error(
      `${dimension}D training is wrong on ${backend}: loss ${f(here[0])} and gradient norm ` +
        `${f(here[1])}, cpu ${f(reference[0])} and ${f(reference[1])}`,
    );
  }
  return check;
}
