import type { Architecture, HeatmapModelConfig, ResolvedModelConfig } from './types.ts';
import { DEFAULT_CONFIG, DEFAULT_OUTPUT_BIAS } from './constants.ts';

const ARCHITECTURES: Architecture[] = ['unet2d', 'hourglass2d', 'unet3d'];

function positiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${what} must be a positive integer, got ${value}`);
}

/** Copies the config, fills defaults and throws an error saying what was expected. Never mutates. */
export default function validateConfig(config: HeatmapModelConfig): ResolvedModelConfig {
  const architecture = config.architecture ?? 'unet2d';
  if (!ARCHITECTURES.includes(architecture)) {
    throw new Error(
      `architecture must be one of ${ARCHITECTURES.join(', ')}, got "${architecture}"`,
    );
  }
  const defaults = DEFAULT_CONFIG[architecture];
  const out: ResolvedModelConfig = {
    architecture,
    inputShape: [...config.inputShape],
    landmarkCount: config.landmarkCount,
    depth: config.depth ?? defaults.depth,
    baseFilters: config.baseFilters ?? defaults.baseFilters,
    seed: config.seed ?? 0,
    outputBias: config.outputBias ?? DEFAULT_OUTPUT_BIAS,
  };
  const rank = architecture === 'unet3d' ? 3 : 2;
  if (out.inputShape.length !== rank) {
    throw new Error(`${architecture} needs inputShape of ${rank} sizes, got [${out.inputShape}]`);
  }
  positiveInteger(out.landmarkCount, 'landmarkCount');
  positiveInteger(out.depth, 'depth');
  positiveInteger(out.baseFilters, 'baseFilters');
  const factor = 2 ** (out.depth - 1);
  out.inputShape.forEach((s) => {
    positiveInteger(s, 'inputShape entries');
    if (s % factor !== 0) {
      throw new Error(
        `inputShape [${out.inputShape}]: every size must divide by 2^(depth−1) = ${factor}`,
      );
    }
  });
  if (!Number.isFinite(out.outputBias))
    throw new Error(`outputBias must be finite, got ${out.outputBias}`);
  return out;
}
