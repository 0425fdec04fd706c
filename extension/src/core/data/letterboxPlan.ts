/**
 * Letterbox geometry of a grid (an image or a volume) into a network input, the same for any number of
 * axes: every input cell covers the same millimetres along each axis (the largest mm per cell that fits
 * the whole grid), so the physical aspect is kept; the content is centred, the rest zero. The content
 * size is rounded to whole input cells and each scale is resized / (pooled size · pool factor), so
 * input = original · scale + offset holds exactly (continuous, cell i covering [i, i+1)). Large
 * reductions average-pool first by an integer factor per axis (anti-aliasing).
 */
export interface LetterboxPlan {
  /** Per axis (x, y[, z]): input = original · scale + offset. */
  scale: number[];
  offset: number[];
  /** Network input size per axis (x, y[, z]), cells. */
  input: number[];
  /** Size of the resampled content per axis, input cells. */
  resized: number[];
  /** Integer average-pooling factor per axis, 1 = none. */
  poolFactor: number[];
}

/**
 * @param size grid size per axis (x, y[, z]), cells
 * @param spacingMm cell size per axis, mm (all 1 for square pixels of unknown size)
 * @param input network input size per axis (x, y[, z]), cells
 */
export default function letterboxPlan(
  size: readonly number[],
  spacingMm: readonly number[],
  input: readonly number[],
): LetterboxPlan {
  const extent = size.map((s, a) => s * spacingMm[a]!);
  const mmPerCell = Math.max(...extent.map((e, a) => e / input[a]!));
  const resized = extent.map((e, a) => Math.max(1, Math.min(input[a]!, Math.round(e / mmPerCell))));
  const poolFactor = spacingMm.map((s) => Math.max(1, Math.floor(mmPerCell / s / 2)));
  return {
    scale: size.map((s, a) => resized[a]! / (Math.ceil(s / poolFactor[a]!) * poolFactor[a]!)),
    offset: input.map((n, a) => Math.floor((n - resized[a]!) / 2)),
    input: [...input],
    resized,
    poolFactor,
  };
}
