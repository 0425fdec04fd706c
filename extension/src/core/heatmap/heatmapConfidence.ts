/**
 * Per-landmark confidence of one predicted image or volume from its heatmaps, as the worker stores it
 * with each pseudo label and the heatmap overlay shows it. Each map H_t is normalised to a distribution
 * p_t = H_t / Σ H_t (as in paper Eq. 2, whose integral coordinate is the mean of p_t); then
 * - `spreadMm`: the RMS distance of p_t from its mean, in mm (√Σ p·Σₐ (xₐ − x̄ₐ)²·sₐ², over x, y[, z]);
 * - `confidence`: the probability mass of p_t within R of that mean, a unitless number in [0, 1]
 *   (1 = all mass within R); R = `radiusMm` (default 2 mm, the ISBI success radius), but at least one
 *   network pixel/voxel (the largest spacing): a coarse network (e.g. 2.7 mm per input pixel, or 12 mm
 *   per voxel of a 16³ volume network) could otherwise never count even its own peak's neighbours.
 * A map with no positive value gives confidence 0 and spread Infinity.
 *
 * Hand-written loop (no library computes moments of a heatmap): two passes per map over the cells.
 */

/** Confidence of one landmark. */
export interface LandmarkConfidence {
  /** Probability mass within the radius of the predicted point, [0, 1]. */
  confidence: number;
  /** RMS spread of the heatmap around the predicted point, mm (Infinity for an empty map). */
  spreadMm: number;
}

/** Success radius of the ISBI 2015 challenge, mm. */
export const CONFIDENCE_RADIUS_MM = 2;

/** Cell centres (x, y[, z]) of a grid with the given spatial shape (row-major, x fastest). */
function cellCentres(spatial: readonly number[]): Float64Array[] {
  const dims = [...spatial].reverse(); // x, y[, z] sizes
  const cells = spatial.reduce((p, v) => p * v, 1);
  return dims.map((size, a) => {
    const stride = dims.slice(0, a).reduce((p, v) => p * v, 1);
    return Float64Array.from({ length: cells }, (_, i) => (Math.floor(i / stride) % size) + 0.5);
  });
}

/**
 * @param heat heatmaps of ONE image or volume, row-major, channel last (as the network outputs)
 * @param shape [H, W, n] (image) or [D, H, W, n] (volume)
 * @param mmPerPixel millimetres per INPUT pixel/voxel [x, y] or [x, y, z]
 */
export default function heatmapConfidence(
  heat: ArrayLike<number>,
  shape: readonly number[],
  mmPerPixel: readonly number[],
  radiusMm = CONFIDENCE_RADIUS_MM,
): LandmarkConfidence[] {
  const spatial = shape.slice(0, -1);
  const n = shape[shape.length - 1]!;
  const cells = spatial.reduce((p, v) => p * v, 1);
  if ((spatial.length !== 2 && spatial.length !== 3) || heat.length !== cells * n)
    throw new Error(`heatmapConfidence: ${heat.length} values for shape [${shape.join(', ')}]`);
  if (mmPerPixel.length !== spatial.length)
    throw new Error(
      `heatmapConfidence: ${mmPerPixel.length} spacings for a ${spatial.length}D map`,
    );
  const centres = cellCentres(spatial);
  const r2 = Math.max(radiusMm, ...mmPerPixel) ** 2;
  return Array.from({ length: n }, (_, t) => {
    const p = Float64Array.from({ length: cells }, (_, i) => Math.max(0, heat[i * n + t]!));
    const sum = p.reduce((s, v) => s + v, 0);
    if (!(sum > 0)) return { confidence: 0, spreadMm: Number.POSITIVE_INFINITY };
    const mean = centres.map((c) => c.reduce((s, v, i) => s + v * p[i]!, 0) / sum);
    let second = 0;
    let inside = 0;
    for (let i = 0; i < cells; i++) {
      let d2 = 0;
      for (let a = 0; a < centres.length; a++)
        d2 += ((centres[a]![i]! - mean[a]!) * mmPerPixel[a]!) ** 2;
      second += (p[i]! / sum) * d2;
      if (d2 <= r2) inside += p[i]! / sum;
    }
    return { confidence: Math.min(1, inside), spreadMm: Math.sqrt(second) };
  });
}
