import { DEFAULT_REFINER_CONFIG } from './constants.ts';
import type { OffsetDistribution } from './offsetDistribution.ts';
import type { RefinerConfig, RefinerConfigInput } from './types.ts';

function positiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`refiner ${what} must be a positive integer, got ${value}`);
}

function checkPrior(prior: OffsetDistribution): OffsetDistribution {
  const { offsetSdMm: sd, offsetTailSdMm: tailSd = 0, offsetTailFraction: f = 0 } = prior;
  if (
    !(sd > 0 && Number.isFinite(sd)) ||
    !(tailSd >= 0 && Number.isFinite(tailSd)) ||
    !(f >= 0 && f < 1)
  )
    throw new Error(
      `refiner prior must have offsetSdMm > 0, offsetTailSdMm ≥ 0 and 0 ≤ offsetTailFraction < 1, got ${JSON.stringify(prior)}`,
    );
  return { offsetSdMm: sd, offsetTailSdMm: tailSd, offsetTailFraction: f };
}

/** Copies the config, fills defaults and throws an error saying what was expected. Never mutates. */
export default function validateRefinerConfig(config: RefinerConfigInput): RefinerConfig {
  const out: RefinerConfig = {
    patchShape: [...(config.patchShape ?? DEFAULT_REFINER_CONFIG.patchShape)],
    mmPerPixel: config.mmPerPixel ?? DEFAULT_REFINER_CONFIG.mmPerPixel,
    passes: config.passes ?? DEFAULT_REFINER_CONFIG.passes,
    landmarkCount: config.landmarkCount,
    depth: config.depth ?? DEFAULT_REFINER_CONFIG.depth,
    baseFilters: config.baseFilters ?? DEFAULT_REFINER_CONFIG.baseFilters,
    seed: config.seed ?? DEFAULT_REFINER_CONFIG.seed,
  };
  if (config.useRefined !== undefined) out.useRefined = [...config.useRefined];
  if (config.heatmapSigma !== undefined) {
    if (!(config.heatmapSigma > 0))
      throw new Error(`refiner heatmapSigma must be > 0, got ${config.heatmapSigma}`);
    out.heatmapSigma = config.heatmapSigma;
  }
  if (config.prior !== undefined) out.prior = checkPrior(config.prior);
  if (out.patchShape.length !== 2)
    throw new Error(`refiner patchShape must be [H, W], got [${out.patchShape}]`);
  out.patchShape.forEach((s) => positiveInteger(s, 'patchShape entries'));
  if (!(out.mmPerPixel > 0 && Number.isFinite(out.mmPerPixel)))
    throw new Error(`refiner mmPerPixel must be a positive number, got ${out.mmPerPixel}`);
  positiveInteger(out.passes, 'passes');
  positiveInteger(out.landmarkCount, 'landmarkCount');
  positiveInteger(out.depth, 'depth');
  positiveInteger(out.baseFilters, 'baseFilters');
  if (!Number.isInteger(out.seed)) throw new Error(`refiner seed must be an integer`);
  if (
    out.useRefined !== undefined &&
    (out.useRefined.length !== out.landmarkCount ||
      !out.useRefined.every((v) => typeof v === 'boolean'))
  )
    throw new Error(
      `refiner useRefined must hold ${out.landmarkCount} true/false entries, got [${out.useRefined}]`,
    );
  return out;
}
