/**
 * U-Net (Ronneberger et al. 2015), the paper's backbone (§3.3.1), in 2D or 3D: two 3×3(×3) ReLU
 * convolutions per level, max pooling down, nearest upsampling + convolution up, skip concatenation,
 * 1×1 sigmoid output with n heatmaps at input resolution.
 */
import * as tf from '@tensorflow/tfjs';
import createLayerFactory from './layerFactory.ts';
import type { ResolvedModelConfig } from './types.ts';

/** Builds an untrained U-Net for a resolved config ('unet2d' or 'unet3d'). */
export default function createUnet(config: ResolvedModelConfig): tf.LayersModel {
  const rank = config.architecture === 'unet3d' ? 3 : 2;
  const f = createLayerFactory(rank, config.seed);
  const input = tf.input({ shape: [...config.inputShape, 1], name: 'image' });
  let x: tf.SymbolicTensor = input;
  const skips: tf.SymbolicTensor[] = [];
  for (let level = 0; level < config.depth; level++) {
    const filters = config.baseFilters * 2 ** level;
    x = f.conv(f.conv(x, filters, 3), filters, 3);
    if (level < config.depth - 1) {
      skips.push(x);
      x = f.pool(x);
    }
  }
  for (let level = config.depth - 2; level >= 0; level--) {
    const filters = config.baseFilters * 2 ** level;
    x = f.conv(f.upsample(x), filters, 3);
    x = tf.layers.concatenate().apply([skips[level]!, x]) as tf.SymbolicTensor;
    x = f.conv(f.conv(x, filters, 3), filters, 3);
  }
  const output = f.output(x, config.landmarkCount, config.outputBias);
  return tf.model({ inputs: input, outputs: output, name: config.architecture });
}
