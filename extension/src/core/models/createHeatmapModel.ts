/**
 * Builds an untrained heatmap network from a config (tfjs-models style: validate, fill defaults, switch on
 * the architecture).
 */
import type * as tf from '@tensorflow/tfjs';
import createHourglass from './hourglass.ts';
import createUnet from './unet.ts';
import type { HeatmapModelConfig, ResolvedModelConfig } from './types.ts';
import validateConfig from './validateConfig.ts';
import { registerCustomLayers } from './upSampling3d.ts';

/** @returns the model (input [B, ...inputShape, 1], output [B, ...inputShape, n] in (0, 1)) and its resolved config */
export default function createHeatmapModel(config: HeatmapModelConfig): {
  model: tf.LayersModel;
  config: ResolvedModelConfig;
} {
  const resolved = validateConfig(config);
  registerCustomLayers();
  const model =
    resolved.architecture === 'hourglass2d' ? createHourglass(resolved) : createUnet(resolved);
  return { model, config: resolved };
}
