import type * as tf from '@tensorflow/tfjs';
import createHeatmapModel from '../models/createHeatmapModel.ts';
import type { ResolvedModelConfig } from '../models/types.ts';
import type { RefinerConfig } from './types.ts';

/**
 * The patch network: a 2D U-Net over one patch with n sigmoid heatmaps (a patch of landmark i is read
 * from channel i only, so one network serves every landmark).
 * @returns an untrained model (input [B, H, W, 1], output [B, H, W, n]) and its network config
 */
export default function createRefinerModel(config: RefinerConfig): {
  model: tf.LayersModel;
  network: ResolvedModelConfig;
} {
  const { model, config: network } = createHeatmapModel({
    architecture: 'unet2d',
    inputShape: config.patchShape,
    landmarkCount: config.landmarkCount,
    depth: config.depth,
    baseFilters: config.baseFilters,
    seed: config.seed,
  });
  return { model, network };
}
