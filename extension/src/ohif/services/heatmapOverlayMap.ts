/**
 * The single map drawn by the heatmap overlay: every landmark's heatmap divided by its own maximum (so
 * each peak is 1 whatever the network's output scale), then the maximum over landmarks per pixel, or
 * only the selected landmark's map. Values in [0, 1], network input resolution, row-major H × W.
 */
export default function heatmapOverlayMap(
  heat: ArrayLike<number>,
  shape: readonly [number, number, number],
  landmark?: number,
): Float32Array {
  const [h, w, n] = shape;
  if (heat.length !== h * w * n)
    throw new Error(`heatmapOverlayMap: ${heat.length} values for shape [${shape.join(', ')}]`);
  if (landmark !== undefined && !(landmark >= 0 && landmark < n))
    throw new Error(`heatmapOverlayMap: landmark ${landmark} outside 0..${n - 1}`);
  const peaks = new Float64Array(n);
  for (let i = 0; i < h * w; i++) {
    for (let t = 0; t < n; t++) peaks[t] = Math.max(peaks[t]!, heat[i * n + t]!);
  }
  const out = new Float32Array(h * w);
  const channels = landmark === undefined ? [...Array(n).keys()] : [landmark];
  for (let i = 0; i < h * w; i++) {
    let m = 0;
    for (const t of channels) {
      if (peaks[t]! > 0) m = Math.max(m, Math.max(0, heat[i * n + t]!) / peaks[t]!);
    }
    out[i] = m;
  }
  return out;
}
