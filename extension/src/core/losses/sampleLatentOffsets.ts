/**
 * Latent offsets of paper Eq. 8: |δ_i| ~ N(mean, sd²) in normalised coordinates (paper: N(0.01, 0.005²)).
 */
import type { Random } from '../data/createRandom.ts';

/** Defaults of the paper, normalised units. */
export const DEFAULT_LATENT_OFFSET = { mean: 0.01, sd: 0.005 } as const;

/**
 * Draws |δ| for `batch` × `landmarks` entries; the absolute value of the normal draw, so never negative.
 * @returns batch rows of `landmarks` values, normalised units
 */
export default function sampleLatentOffsets(
  rng: Random,
  batch: number,
  landmarks: number,
  mean: number = DEFAULT_LATENT_OFFSET.mean,
  sd: number = DEFAULT_LATENT_OFFSET.sd,
): number[][] {
  return Array.from({ length: batch }, () =>
    Array.from({ length: landmarks }, () => Math.abs(mean + sd * rng.normal())),
  );
}
