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
/** Flat indices of the cells whose centre lies within `radius` of `centre` (x, y[, z]; sizes per axis). */
function cellsWithin(
  sizes: readonly number[],
  centre: readonly number[],
  radius: number,
): number[] {
  // Only the bounding box of the ball is visited: a whole 128 × 96 map per call cost as much as the
  // network's forward pass (39 ms per image for 19 maps).
  const lo = sizes.map((_, a) => Math.max(0, Math.ceil(centre[a]! - radius - 0.5)));
  const hi = sizes.map((size, a) => Math.min(size - 1, Math.floor(centre[a]! + radius - 0.5)));
  if (lo.some((v, a) => v > hi[a]!)) return [];
  const out: number[] = [];
  const index = [...lo];
  for (;;) {
    const d2 = index.reduce((s, i, a) => s + (i + 0.5 - centre[a]!) ** 2, 0);
    if (d2 <= radius * radius) out.push(index.reduceRight((flat, i, a) => flat * sizes[a]! + i, 0));
    // Next index, x fastest: reset the axes that are at their end, step the first that is not.
    let a = 0;
    while (a < index.length && index[a] === hi[a]) {
      index[a] = lo[a]!;
      a += 1;
    }
    if (a === index.length) return out;
    index[a]! += 1;
  }
}

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
  const value = (cell: number) => Math.max(0, heat[cell * n + landmark]!);
  const searched = cellsWithin(sizes, centre, searchRadius);
  if (searched.length === 0) return undefined;
  const best = searched.reduce((b, c) => (value(c) > value(b) ? c : b));
  const peak = sizes.map((size, a) => {
    const stride = sizes.slice(0, a).reduce((p, v) => p * v, 1);
    return (Math.floor(best / stride) % size) + 0.5;
  });
  let total = 0;
  for (let c = 0; c < cells; c++) total += value(c);
  let mass = 0;
  const sum = sizes.map(() => 0);
  for (const c of cellsWithin(sizes, peak, localRadius)) {
    const v = value(c);
    mass += v;
    sizes.forEach((size, a) => {
      const stride = sizes.slice(0, a).reduce((p, q) => p * q, 1);
      sum[a]! += v * ((Math.floor(c / stride) % size) + 0.5);
    });
  }
  if (!(mass > 0)) return { point: peak, mass: 0 };
  return { point: sum.map((s) => s / mass), mass: total > 0 ? mass / total : 0 };
}
