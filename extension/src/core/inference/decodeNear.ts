/**
 * Reads one heatmap again near a given place: the largest value within `searchRadius` cells of `centre`,
 * then the mean of the map within `localRadius` cells of it. Used where the robust shape fit finds a
 * landmark far from where the others put it: the map often has a second, weaker peak on the right
 * structure. Plain loops over one map (no tensor op takes a per-map window around a per-map centre).
 */

export interface NearPeak {
  /** The point, input cells (x, y[, z]), pixel-corner convention. */
  point: number[];
  /** Share of the map's mass within localRadius of the peak, [0, 1]. */
  mass: number;
}

/**
 * @param heat sigmoid maps of ONE image or volume, channel last ([H, W, n] or [D, H, W, n])
 * @param shape [H, W, n] or [D, H, W, n]
 * @param landmark the map's channel
 * @param centre input cells (x, y[, z])
 * @returns undefined when no cell lies within searchRadius (centre off the grid)
 */
export default function decodeNear(
  heat: ArrayLike<number>,
  shape: readonly number[],
  landmark: number,
  centre: readonly number[],
  searchRadius: number,
  localRadius: number,
): NearPeak | undefined {
  const n = shape[shape.length - 1]!;
  const sizes = shape.slice(0, -1).reverse(); // x, y[, z]
  const cells = sizes.reduce((p, v) => p * v, 1);
  const position = (cell: number) => {
    let rest = cell;
    return sizes.map((size) => {
      const c = rest % size;
      rest = Math.floor(rest / size);
      return c + 0.5;
    });
  };
  const squaredDistance = (p: number[], q: readonly number[]) =>
    p.reduce((s, v, a) => s + (v - q[a]!) ** 2, 0);
  let best = -1;
  let total = 0;
  for (let c = 0; c < cells; c++) {
    const v = Math.max(0, heat[c * n + landmark]!);
    total += v;
    if (squaredDistance(position(c), centre) > searchRadius ** 2) continue;
    if (best < 0 || v > heat[best * n + landmark]!) best = c;
  }
  if (best < 0) return undefined;
  const peak = position(best);
  let mass = 0;
  const sum = sizes.map(() => 0);
  for (let c = 0; c < cells; c++) {
    const p = position(c);
    if (squaredDistance(p, peak) > localRadius ** 2) continue;
    const v = Math.max(0, heat[c * n + landmark]!);
    mass += v;
    p.forEach((x, a) => (sum[a]! += v * x));
  }
  if (!(mass > 0)) return { point: peak, mass: 0 };
  return { point: sum.map((s) => s / mass), mass: total > 0 ? mass / total : 0 };
}
