/**
 * One optimiser step on a batch of images ([H, W] inputs, n × 2 landmarks) or volumes ([D, H, W]
 * inputs, n × 3 landmarks): augment, forward, per-sample loss choice (a fixed target: the heatmap L1
 * to a Gaussian at the label, plus optionally L1 on the integral coordinates; or Region Attention),
 * Adam update. The forward and backward passes run inside tf.tidy; the loss (and,
 * with clipping, the gradient norm) is read with `await data()`, never `dataSync()`, so that the
 * browser worker's WebGPU backend never takes its slow, fragile synchronous read-back path.
 */
import * as tf from '@tensorflow/tfjs';
import augmentBatch, { type AugmentationOptions } from '../data/augmentBatch.ts';
import augmentVolumeBatch from '../data/augmentVolumeBatch.ts';
import type { Random } from '../data/createRandom.ts';
import integralCoordinates from '../heatmap/integralCoordinates.ts';
import heatmapLoss from '../losses/heatmapLoss.ts';
import l1CoordinateLoss from '../losses/l1CoordinateLoss.ts';
import regionAttentionLoss from '../losses/regionAttentionLoss.ts';
import sampleLatentOffsets from '../losses/sampleLatentOffsets.ts';
import applyClippedGradients from '../tf/applyClippedGradients.ts';
import withHeatmapLogits from '../models/heatmapLogits.ts';
import type { HeatmapTarget } from './types.ts';

/**
 * One batch entry: image or volume (input intensities), target landmarks (input pixels/voxels, (x, y) or
 * (x, y, z)), mask, and whether it uses the RA loss.
 */
export interface BatchItem {
  image: Float32Array;
  landmarks: number[][];
  mask: boolean[];
  regionAttention: boolean;
}

export interface StepContext {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /** Spatial input size: [H, W] (images) or [D, H, W] (volumes). */
  inputShape: number[];
  rng: Random;
  augmentation: AugmentationOptions;
  latentOffset: { mean: number; sd: number };
  /** Loss of the fixed-target samples (see Schedule.heatmapTarget); undefined: integral L1 only. */
  heatmapTarget?: HeatmapTarget;
  /** Gradients are rescaled so that their global L2 norm is at most this (undefined: no clipping). */
  clipNorm?: number;
  /** Called when a step is skipped because its gradient was not finite (only with clipNorm). */
  onSkippedStep?: () => void;
}

/** Stacks the batch's inputs and augments them with the 2D or the 3D augmentation. */
function augmented(ctx: StepContext, batch: readonly BatchItem[]) {
  const landmarks = batch.map((b) => b.landmarks);
  if (ctx.inputShape.length === 3) {
    const [depth, height, width] = ctx.inputShape as [number, number, number];
    const volumes = tf.stack(
      batch.map((b) => tf.tensor4d(b.image, [depth, height, width, 1])),
    ) as tf.Tensor5D;
    return augmentVolumeBatch(volumes, landmarks, ctx.rng, ctx.augmentation);
  }
  const [height, width] = ctx.inputShape as [number, number];
  const images = tf.stack(
    batch.map((b) => tf.tensor3d(b.image, [height, width, 1])),
  ) as tf.Tensor4D;
  return augmentBatch(images, landmarks, ctx.rng, ctx.augmentation);
}

/**
 * The "hard constraint" of §3.2 on labels and unregulated or L1 pseudo labels: the heatmap L1 to a
 * Gaussian at the label plus `coordinateWeight` × L1 on the integral coordinates, or (no heatmapTarget,
 * models trained before the heatmap loss) the integral L1 alone.
 */
function fixedTargetLoss(
  ctx: StepContext,
  heat: tf.Tensor,
  target: tf.Tensor3D,
  mask: tf.Tensor2D,
): tf.Scalar {
  const fromLogits = withHeatmapLogits(ctx.model).fromLogits;
  const coordinateLoss = () =>
    l1CoordinateLoss(integralCoordinates(heat, { fromLogits }), target, mask);
  const spec = ctx.heatmapTarget;
  if (spec === undefined) return coordinateLoss();
  const maps = heatmapLoss(heat, target, mask, { sigma: spec.sigma, fromLogits });
  return spec.coordinateWeight > 0 ? maps.add(coordinateLoss().mul(spec.coordinateWeight)) : maps;
}

/** What the tidy part of a step keeps: the loss, and the gradients when they are clipped before use. */
type StepTensors = { loss: tf.Scalar; grads?: tf.NamedTensorMap } | undefined;

/**
 * @returns the batch loss (mean over counted landmarks); 0 when no landmark of the batch counts
 * @throws when the loss is not finite (training diverged)
 */
export default async function trainStep(
  ctx: StepContext,
  batch: readonly BatchItem[],
): Promise<number> {
  // Sizes along x, y[, z]: the last spatial axis is x.
  const sizes = ctx.inputShape.slice().reverse();
  const n = batch[0]!.landmarks.length;
  const kept = tf.tidy((): StepTensors => {
    const aug = augmented(ctx, batch);
    const target = tf.tensor3d(
      aug.landmarks.map((s) => s.map((p) => sizes.map((d, a) => p[a]! / d))),
    );
    const maskOf = (ra: boolean) =>
      batch.map((b, i) =>
        b.mask.map((m, l) =>
          m && b.regionAttention === ra && Number.isFinite(aug.landmarks[i]![l]![0]!) ? 1 : 0,
        ),
      );
    const [fixedRows, raRows] = [maskOf(false), maskOf(true)];
    const count = (rows: number[][]) => rows.flat().reduce((p, v) => p + v, 0);
    const [nFixed, nRa] = [count(fixedRows), count(raRows)];
    if (nFixed + nRa === 0) return undefined; // nothing to learn from in this batch
    const [fixedMask, raMask] = [tf.tensor2d(fixedRows), tf.tensor2d(raRows)];
    const deltas = tf.tensor2d(
      sampleLatentOffsets(ctx.rng, batch.length, n, ctx.latentOffset.mean, ctx.latentOffset.sd),
    );
    const network = withHeatmapLogits(ctx.model);
    const from = { fromLogits: network.fromLogits };
    const lossFn = () => {
      const heat = network.model.apply(aug.images, { training: true }) as tf.Tensor;
      let total = tf.scalar(0);
      if (nFixed > 0) total = total.add(fixedTargetLoss(ctx, heat, target, fixedMask).mul(nFixed));
      if (nRa > 0)
        total = total.add(regionAttentionLoss(heat, target, deltas, raMask, from).mul(nRa));
      const mean = total.div(Math.max(nFixed + nRa, 1));
      const background = ctx.heatmapTarget?.backgroundWeight ?? 0;
      if (background === 0 || !network.fromLogits) return mean as tf.Scalar;
      return mean.add(heat.softplus().mean().mul(background)) as tf.Scalar;
    };
    if (ctx.clipNorm === undefined)
      return { loss: ctx.optimizer.minimize(lossFn, true) as tf.Scalar };
    const { value, grads } = tf.variableGrads(lossFn);
    return { loss: value, grads };
  });
  if (kept === undefined) return 0;
  let value: number;
  try {
    // applyClippedGradients disposes the gradients, applied or skipped.
    if (kept.grads && !(await applyClippedGradients(ctx.optimizer, kept.grads, ctx.clipNorm!)))
      ctx.onSkippedStep?.();
    value = (await kept.loss.data())[0]!;
  } finally {
    kept.loss.dispose();
  }
  if (!Number.isFinite(value)) throw new Error(`training diverged: loss is ${value}`);
  return value;
}
