/**
 * The single map drawn by the heatmap overlay: every landmark's heatmap rescaled between its own minimum
 * and maximum to [0, 1] (so the overlay shows where each map is relatively high, whatever the network's
 * output scale or offset: an untrained network's nearly flat maps still show their structure), then the
 * maximum over landmarks per cell, or only the selected landmark's map. Images: maps [H, W, n], result
 * H × W; volumes: maps [D, H, W, n], result D × H × W (x fastest). With `region` (cells whose centre
 * lies in [x0, x1] × [y0, y1] (× [z0, z1] for volumes), input pixels/voxels: the image or volume inside
 * the letterbox), the minimum and maximum are taken over the region only and cells outside it are 0.
 */
export interface CellRegion {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Volumes only: the slice range (input voxels); absent = every slice. */
  z0?: number;
  z1?: number;
}

/** Whether cell `i` (x fastest) of a [(D,) H, W] grid has its centre inside `region`. */
function insideRegion(i: number, h: number, w: number, region?: CellRegion): boolean {
  if (!region) return true;
  const x = (i % w) + 0.5;
  const y = (Math.floor(i / w) % h) + 0.5;
  const z = Math.floor(i / (w * h)) + 0.5;
  return (
    x >= region.x0 &&
    x <= region.x1 &&
    y >= region.y0 &&
    y <= region.y1 &&
    (region.z0 === undefined || z >= region.z0) &&
    (region.z1 === undefined || z <= region.z1)
  );
}

/**
 * @param heat maps, row-major, channel last
 * @param shape [H, W, n] (image) or [D, H, W, n] (volume)
 * @param landmark index of the one map to show; all (max) when absent
 */
export default function heatmapOverlayMap(
  heat: ArrayLike<number>,
  shape: readonly number[],
  landmark?: number,
  region?: CellRegion,
): Float32Array {
  if (shape.length !== 3 && shape.length !== 4)
    throw new Error(`heatmapOverlayMap: shape [${shape.join(', ')}] is not [(D,) H, W, n]`);
  const n = shape[shape.length - 1]!;
  const [h, w] = shape.slice(-3, -1) as [number, number];
  const cells = shape.slice(0, -1).reduce((p, v) => p * v, 1);
  if (heat.length !== cells * n)
    throw new Error(`heatmapOverlayMap: ${heat.length} values for shape [${shape.join(', ')}]`);
  if (landmark !== undefined && !(landmark >= 0 && landmark < n))
    throw new Error(`heatmapOverlayMap: landmark ${landmark} outside 0..${n - 1}`);
  const inside = (i: number) => insideRegion(i, h, w, region);
  const lo = new Float64Array(n).fill(Infinity);
  const hi = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < cells; i++) {
    if (!inside(i)) continue;
    for (let t = 0; t < n; t++) {
      lo[t] = Math.min(lo[t]!, heat[i * n + t]!);
      hi[t] = Math.max(hi[t]!, heat[i * n + t]!);
    }
  }
  const out = new Float32Array(cells);
  const channels = landmark === undefined ? [...Array(n).keys()] : [landmark];
  for (let i = 0; i < cells; i++) {
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
