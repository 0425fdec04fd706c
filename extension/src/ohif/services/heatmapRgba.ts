/**
 * The heatmap overlay's colours, 2D and volume alike: values in [0, 1] → RGBA, red → yellow with rising
 * value, alpha proportional to the value (ALPHA at 1); values below FLOOR (the map's far tail is noise),
 * and NaN, are left transparent.
 */

/** Values below this are left transparent. */
export const FLOOR = 0.05;
/** Opacity at the map's maximum. */
export const ALPHA = 0.6;

/** Writes the colours of `values` into `rgba` (4 bytes per value; untouched bytes stay as they are). */
export default function heatmapRgba(values: ArrayLike<number>, rgba: Uint8ClampedArray): void {
  if (rgba.length < 4 * values.length)
    throw new Error(`heatmapRgba: ${rgba.length} bytes for ${values.length} values`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= FLOOR)) continue;
    rgba[4 * i] = 255;
    rgba[4 * i + 1] = Math.round(255 * Math.min(1, v));
    rgba[4 * i + 3] = Math.round(255 * ALPHA * Math.min(1, v));
  }
}
