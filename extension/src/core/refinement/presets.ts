import type { PresetName } from '../selfTraining/presets.ts';

/** Refiner schedule per training preset; `refine` says whether `landmarks train` runs it by default. */
export interface RefinerPreset {
  refine: boolean;
  steps: number;
  batchSize: number;
  patchShape: number[];
  mmPerPixel: number;
  depth: number;
  baseFilters: number;
}

/**
 * `tiny`: off by default (a seconds-long smoke run; `--refine` turns it on with a few steps);
 * `quick` and `paper`: on, sized for the ISBI budget on 2 cores (see README for the measured times).
 */
export const REFINER_PRESETS: Record<PresetName, RefinerPreset> = {
  tiny: {
    refine: false,
    steps: 40,
    batchSize: 8,
    patchShape: [32, 32],
    mmPerPixel: 0.8,
    depth: 3,
    baseFilters: 4,
  },
  quick: {
    refine: true,
    steps: 1500,
    batchSize: 16,
    patchShape: [64, 64],
    mmPerPixel: 0.4,
    depth: 3,
    baseFilters: 16,
  },
  paper: {
    refine: true,
    steps: 6000,
    batchSize: 16,
    patchShape: [64, 64],
    mmPerPixel: 0.4,
    depth: 4,
    baseFilters: 16,
  },
};
