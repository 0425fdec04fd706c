/**
 * Configuration of the heatmap networks. Each network maps a single-channel image (2D: [H, W, 1]) or
 * volume (3D: [D, H, W, 1]) to n sigmoid heatmaps of the same spatial size ([..., n]), paper §3.3.1.
 */

/** Available backbones: two 2D backbones to show the method is plug-in, and a 3D U-Net for CBCT. */
export type Architecture = 'unet2d' | 'hourglass2d' | 'unet3d';

export interface HeatmapModelConfig {
  /** Backbone. Default 'unet2d'. */
  architecture?: Architecture;
  /** Spatial input size in pixels: [H, W] for 2D, [D, H, W] for 3D. Each must divide by 2^(depth−1). */
  inputShape: number[];
  /** Number of landmarks n = number of output heatmaps. */
  landmarkCount: number;
  /** Resolution levels (U-Net) or nesting depth (hourglass). Default 4 (2D), 3 (3D). */
  depth?: number;
  /** Filters at the finest level, doubled per level (U-Net) or constant (hourglass). Default 16 (2D), 8 (3D). */
  baseFilters?: number;
  /** Seed of the weight initialisers. Default 0. */
  seed?: number;
  /**
   * Initial bias of the output logits. Default −4 (sigmoid ≈ 0.018), so that the background starts low and
   * the integral coordinates (Eq. 2) are not swamped by the background from the first step.
   */
  outputBias?: number;
}

/** A config with every default filled in. */
export type ResolvedModelConfig = Required<HeatmapModelConfig>;
