/**
 * One-stage hourglass (Newell et al. 2016) as the second 2D backbone: residual blocks, a recursive
 * down/up path whose upsampled result is ADDED to a same-resolution residual branch, 1×1 sigmoid output.
 */
import * as tf from '@tensorflow/tfjs';
import createLayerFactory, { type LayerFactory } from './layerFactory.ts';
import type { ResolvedModelConfig } from './types.ts';

function residual(f: LayerFactory, x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = f.conv(f.conv(x, filters, 3), filters, 3, 'linear');
  const sum = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(sum) as tf.SymbolicTensor;
}

function hourglass(
  f: LayerFactory,
  x: tf.SymbolicTensor,
  level: number,
  filters: number,
): tf.SymbolicTensor {
  const upper = residual(f, x, filters);
  let lower = residual(f, f.pool(x), filters);
  lower = level > 1 ? hourglass(f, lower, level - 1, filters) : residual(f, lower, filters);
  lower = f.upsample(residual(f, lower, filters));
  return tf.layers.add().apply([upper, lower]) as tf.SymbolicTensor;
}

/** Builds an untrained one-stage hourglass ('hourglass2d'); depth = number of poolings + 1. */
export default function createHourglass(config: ResolvedModelConfig): tf.LayersModel {
  const f = createLayerFactory(2, config.seed);
  const input = tf.input({ shape: [...config.inputShape, 1], name: 'image' });
  const stem = f.conv(input, config.baseFilters, 3);
  const body =
    config.depth > 1
      ? hourglass(f, stem, config.depth - 1, config.baseFilters)
      : residual(f, stem, config.baseFilters);
  const head = f.conv(body, config.baseFilters, 3);
  const output = f.output(head, config.landmarkCount, config.outputBias);
  return tf.model({ inputs: input, outputs: output, name: 'hourglass2d' });
}
