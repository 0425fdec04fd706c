/**
 * The single map drawn by the heatmap overlay: every landmark's heatmap rescaled between its own minimum
 * and maximum to [0, 1] (so the overlay shows where each map is relatively high, whatever the network's
 * output scale or offset: an untrained network's nearly flat maps still show their structure), then the
 * maximum over landmarks per cell, or only the selected landmark's map. With `region` (cells whose
 * centre lies in [x0, x1] × [y0, y1], input pixels: the image inside the letterbox), the minimum and
 * maximum are taken over the region only and cells outside it are 0. Row-major H × W.
 */
export interface CellRegion {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export default function heatmapOverlayMap(
  heat: ArrayLike<number>,
  shape: readonly [number, number, number],
  landmark?: number,
  region?: CellRegion,
): Float32Array {
  const [h, w, n] = shape;
  if (heat.length !== h * w * n)
    throw new Error(`heatmapOverlayMap: ${heat.length} values for shape [${shape.join(', ')}]`);
  if (landmark !== undefined && !(landmark >= 0 && landmark < n))
    throw new Error(`heatmapOverlayMap: landmark ${landmark} outside 0..${n - 1}`);
  const inside = (i: number) => {
    if (!region) return true;
    const [x, y] = [(i % w) + 0.5, Math.floor(i / w) + 0.5];
    return x >= region.x0 && x <= region.x1 && y >= region.y0 && y <= region.y1;
  };
  const lo = new Float64Array(n).fill(Infinity);
  const hi = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < h * w; i++) {
    if (!inside(i)) continue;
    for (let t = 0; t < n; t++) {
      lo[t] = Math.min(lo[t]!, heat[i * n + t]!);
      hi[t] = Math.max(hi[t]!, heat[i * n + t]!);
    }
  }
  const out = new Float32Array(h * w);
  const channels = landmark === undefined ? [...Array(n).keys()] : [landmark];
  for (let i = 0; i < h * w; i++) {
    if (!inside(i)) continue;
    let m = 0;
    for (const t of channels) {
      const span = hi[t]! - lo[t]!;
      if (span > 0) m = Math.max(m, (heat[i * n + t]! - lo[t]!) / span);
    }
    out[i] = m;
  }
  return out;
}
