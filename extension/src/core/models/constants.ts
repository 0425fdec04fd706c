import type { Architecture } from './types.ts';

/** Defaults per architecture (see HeatmapModelConfig for what each field means). */
export const DEFAULT_CONFIG: Record<Architecture, { depth: number; baseFilters: number }> = {
  unet2d: { depth: 4, baseFilters: 16 },
  hourglass2d: { depth: 4, baseFilters: 32 },
  unet3d: { depth: 3, baseFilters: 8 },
};

/** Default initial bias of the output logits. */
export const DEFAULT_OUTPUT_BIAS = -4;

/** Name of the layer whose output is the heatmaps' logits (before the sigmoid) in models built here. */
export const HEATMAP_LOGITS_LAYER = 'heatmap_logits';
