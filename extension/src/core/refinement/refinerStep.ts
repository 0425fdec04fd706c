/**
 * One optimiser step of the patch network: forward a batch of patches, integral coordinates (Eq. 2) of
 * every channel, L1 loss (Eq. 1) on the ONE channel each patch is for (a one-hot mask in
 * l1CoordinateLoss), or the heatmap L1 to a Gaussian at the target on that channel, Adam update with optional global-norm clipping. The forward and backward passes run
 * inside tf.tidy; the loss and the gradient norm are read with `await data()` (no synchronous read-back,
 * which is slow and fragile on the browser's WebGPU backend).
 */
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../heatmap/integralCoordinates.ts';
import withHeatmapLogits from '../models/heatmapLogits.ts';
import heatmapLoss from '../losses/heatmapLoss.ts';
import l1CoordinateLoss from '../losses/l1CoordinateLoss.ts';
import regionAttentionLoss from '../losses/regionAttentionLoss.ts';
import applyClippedGradients from '../tf/applyClippedGradients.ts';
import type { PatchBatch } from './drawPatchBatch.ts';

/**
 * @param batch patches, landmark index per patch, targets in patch pixels
 * @param patchShape [H, W]
 * @returns the batch loss (mean L1 of normalised coordinates over the batch)
 */
export default async function refinerStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: PatchBatch,
  patchShape: number[],
  clipNorm?: number,
  regionAttentionWeight = 0,
  heatmapSigma?: number,
): Promise<number> {
  const [h, w] = patchShape as [number, number];
  const b = batch.landmark.length;
  const n = model.outputs[0]!.shape[3]!;
  const kept = tf.tidy((): { loss: tf.Scalar; grads?: tf.NamedTensorMap } => {
    const images = tf.tensor4d(batch.images, [b, h, w, 1]);
    const mask = tf.oneHot(tf.tensor1d(batch.landmark, 'int32'), n).toFloat() as tf.Tensor2D;
    // The target of patch k sits in its own channel; the other channels are masked out.
    const target = tf.tensor3d(
      batch.targets.map(([x, y]) => Array.from({ length: n }, () => [x! / w, y! / h])),
    );
    const network = withHeatmapLogits(model);
    const from = { fromLogits: network.fromLogits };
    const lossFn = (): tf.Scalar => {
      const heat = network.model.apply(images, { training: true }) as tf.Tensor4D;
      // As the coarse network: the heatmap L1 to a Gaussian at the target, on the patch's own channel.
      if (heatmapSigma !== undefined)
        return heatmapLoss(heat, target, mask, { sigma: heatmapSigma, ...from });
      const l1 = l1CoordinateLoss(integralCoordinates(heat, from), target, mask);
      if (regionAttentionWeight === 0) return l1;
      // Eq. 10 with a fixed latent offset of half a patch pixel: pulls the heatmap's mass towards the
      // target, which the L1 on its centre of mass alone does only slowly (the background must fade).
      const delta = tf.fill([b, n], 0.5 / Math.max(h, w)) as tf.Tensor2D;
      return l1.add(
        regionAttentionLoss(heat, target, delta, mask, from).mul(regionAttentionWeight),
      ) as tf.Scalar;
    };
    if (clipNorm === undefined) return { loss: optimizer.minimize(lossFn, true) as tf.Scalar };
    const { value, grads } = tf.variableGrads(lossFn);
    return { loss: value, grads };
  });
  let value: number;
  try {
    // Skipped when the gradient norm is not finite; the gradients are disposed either way.
    if (kept.grads) await applyClippedGradients(optimizer, kept.grads, clipNorm!);
    value = (await kept.loss.data())[0]!;
  } finally {
    kept.loss.dispose();
  }
  if (!Number.isFinite(value)) throw new Error(`refiner training diverged: loss is ${value}`);
  return value;
}
