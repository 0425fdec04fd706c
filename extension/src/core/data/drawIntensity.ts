import type { Random } from './createRandom.ts';

/**
 * Per-image intensity augmentation drawn from `rng` in a fixed order (gains, offsets, noise levels,
 * noise seed), shared by the 2D and 3D augmentations so both consume the stream the same way.
 * Gain in 1 ± jitter, offset in ± jitter, noise SD in [0, noiseSd) ([0, 1] intensity units).
 */
export default function drawIntensity(
  rng: Random,
  batch: number,
  options: { intensityJitter: number; noiseSd: number },
): { gains: number[]; offsets: number[]; noise: number[]; noiseSeed: number } {
  const gains = Array.from(
    { length: batch },
    () => 1 + (2 * rng.next() - 1) * options.intensityJitter,
  );
  const offsets = Array.from(
    { length: batch },
    () => (2 * rng.next() - 1) * options.intensityJitter,
  );
  const noise = Array.from({ length: batch }, () => rng.next() * options.noiseSd);
  return { gains, offsets, noise, noiseSeed: rng.int(2 ** 31) };
}
