/**
 * Small builders shared by the backbones: seeded convolutions (2D/3D), pooling and nearest upsampling,
 * so that two networks built with the same seed have identical initial weights.
 */
import * as tf from '@tensorflow/tfjs';
import { HEATMAP_LOGITS_LAYER } from './constants.ts';
import UpSampling3D from './upSampling3d.ts';

/** Builds layers of one dimensionality with consecutive initialiser seeds. */
export interface LayerFactory {
  conv(
    x: tf.SymbolicTensor,
    filters: number,
    kernel: number,
    activation?: 'relu' | 'linear',
  ): tf.SymbolicTensor;
  pool(x: tf.SymbolicTensor): tf.SymbolicTensor;
  upsample(x: tf.SymbolicTensor): tf.SymbolicTensor;
  output(x: tf.SymbolicTensor, landmarks: number, bias: number): tf.SymbolicTensor;
}

/** @param rank 2 for images, 3 for volumes */
export default function createLayerFactory(rank: 2 | 3, seed: number): LayerFactory {
  let next = seed * 1000;
  const kernelInitializer = () => tf.initializers.heNormal({ seed: next++ });
  const convLayer = rank === 2 ? tf.layers.conv2d : tf.layers.conv3d;
  return {
    conv: (x, filters, kernel, activation = 'relu') =>
      convLayer({
        filters,
        kernelSize: kernel,
        padding: 'same',
        activation,
        kernelInitializer: kernelInitializer(),
      }).apply(x) as tf.SymbolicTensor,
    pool: (x) =>
      (rank === 2
        ? tf.layers.maxPooling2d({ poolSize: 2, strides: 2 })
        : tf.layers.maxPooling3d({ poolSize: 2, strides: 2 })
      ).apply(x) as tf.SymbolicTensor,
    // Nearest upsampling + convolution instead of a transposed convolution: tfjs 4.22 has no gradient
    // for conv3dTranspose, and using the same block in 2D keeps the backbones alike.
    upsample: (x) =>
      (rank === 2 ? tf.layers.upSampling2d({ size: [2, 2] }) : new UpSampling3D({})).apply(
        x,
      ) as tf.SymbolicTensor,
    // Logits and sigmoid are separate layers so that training and integral coordinates can read the
    // logits (see heatmapLogits.ts); the model's output stays the sigmoid heatmap.
    output: (x, landmarks, bias) => {
      const logits = convLayer({
        filters: landmarks,
        kernelSize: 1,
        padding: 'same',
        activation: 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: next++ }),
        biasInitializer: tf.initializers.constant({ value: bias }),
        name: HEATMAP_LOGITS_LAYER,
      }).apply(x) as tf.SymbolicTensor;
      return tf.layers
        .activation({ activation: 'sigmoid', name: 'heatmaps' })
        .apply(logits) as tf.SymbolicTensor;
    },
  };
}
