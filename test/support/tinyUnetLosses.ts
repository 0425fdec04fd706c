/**
 * Losses of a few Adam steps of the tiny 2D or 3D U-Net on fixed random data (integral coordinates,
 * L1), on the current backend: the same training on two backends or thread counts must give the same
 * losses. Reads with `await data()` (webgpu in Node cannot read synchronously).
 */
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../../extension/src/core/heatmap/integralCoordinates.ts';
import createHeatmapModel from '../../extension/src/core/models/createHeatmapModel.ts';
import withHeatmapLogits from '../../extension/src/core/models/heatmapLogits.ts';
import createAdam from '../../extension/src/core/tf/createAdam.ts';

/**
 * @param weights start from these (another run's `weights`) instead of the seeded initialisation
 * @returns the loss of each step and the weights it started from
 */
export default async function tinyUnetLosses(
  inputShape: number[],
  architecture: 'unet2d' | 'unet3d',
  steps: number,
  weights?: Float32Array[],
): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const { model } = createHeatmapModel({
    inputShape,
    landmarkCount: 3,
    depth: 3,
    baseFilters: 4,
    architecture,
    seed: 1,
  });
  if (weights) model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape)));
  const initial = await Promise.all(
    model.getWeights().map(async (w) => (await w.data()) as Float32Array),
  );
  const network = withHeatmapLogits(model);
  const optimizer = createAdam(1e-2);
  const x = tf.randomUniform([2, ...inputShape, 1], 0, 1, 'float32', 1);
  const target = tf.randomUniform([2, 3, inputShape.length], 0, 1, 'float32', 2);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(
      () =>
        integralCoordinates(network.model.apply(x, { training: true }) as tf.Tensor, {
          fromLogits: network.fromLogits,
        })
          .sub(target)
          .abs()
          .sum(2)
          .mean() as tf.Scalar,
      true,
    )!;
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  tf.dispose([x, target]);
  model.dispose();
  optimizer.dispose();
  return { losses, weights: initial };
}
