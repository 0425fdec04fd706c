/**
 * Per-landmark confidence of one predicted image from its heatmaps, as the worker stores it with each
 * pseudo label. Each map H_t is normalised to a distribution p_t = H_t / Σ H_t (as in paper Eq. 2, whose
 * integral coordinate is the mean of p_t); then
 * - `spreadMm`: the RMS distance of p_t from its mean, in mm (√Σ p·((x−x̄)²·sx² + (y−ȳ)²·sy²));
 * - `confidence`: the probability mass of p_t within R of that mean, a unitless number in [0, 1]
 *   (1 = all mass within R); R = `radiusMm` (default 2 mm, the ISBI success radius), but at least one
 *   network pixel (max(sx, sy)): a coarse network (e.g. 2.7 mm per input pixel) could otherwise never
 *   count even its own peak's neighbours.
 * A map with no positive value gives confidence 0 and spread Infinity.
 *
 * Hand-written loop (no library computes moments of a heatmap): one pass per map over H·W cells.
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

/**
 * @param heat heatmaps of ONE image, row-major [H, W, n] (channel last, as the network outputs)
 * @param shape [H, W, n]
 * @param mmPerPixel millimetres per INPUT pixel [x, y]
 */
export default function heatmapConfidence(
  heat: ArrayLike<number>,
  shape: readonly [number, number, number],
  mmPerPixel: readonly [number, number],
  radiusMm = CONFIDENCE_RADIUS_MM,
): LandmarkConfidence[] {
  const [h, w, n] = shape;
  if (heat.length !== h * w * n)
    throw new Error(`heatmapConfidence: ${heat.length} values for shape [${shape.join(', ')}]`);
  const [sx, sy] = mmPerPixel;
  const r2 = Math.max(radiusMm, sx, sy) ** 2;
  const value = (y: number, x: number, t: number) => Math.max(0, heat[(y * w + x) * n + t]!);
  return Array.from({ length: n }, (_, t) => {
    let sum = 0;
    let mx = 0;
    let my = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = value(y, x, t);
        sum += v;
        mx += v * (x + 0.5);
        my += v * (y + 0.5);
      }
    }
    if (!(sum > 0)) return { confidence: 0, spreadMm: Number.POSITIVE_INFINITY };
    mx /= sum;
    my /= sum;
    let second = 0;
    let inside = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = value(y, x, t) / sum;
        const d2 = ((x + 0.5 - mx) * sx) ** 2 + ((y + 0.5 - my) * sy) ** 2;
        second += p * d2;
        if (d2 <= r2) inside += p;
      }
    }
    return { confidence: Math.min(1, inside), spreadMm: Math.sqrt(second) };
  });
}
