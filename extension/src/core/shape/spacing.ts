/**
 * Pixel ↔ millimetre conversion of shapes. The shape model works in millimetres (pixel × spacing) so that
 * distances, and the third axis of a volume, are physical.
 */

/** Pixel spacing in mm: one number (isotropic) or one per axis (x, y[, z]). */
export type Spacing = number | readonly number[];

/** Returns the per-axis spacing (mm per pixel) for `dimension` axes; throws on zero, negative, NaN or a wrong length. */
export function spacingPerAxis(spacing: Spacing | undefined, dimension: number): number[] {
  if (spacing === undefined) throw new Error('pixel spacing is missing');
  const axes = typeof spacing === 'number' ? Array<number>(dimension).fill(spacing) : [...spacing];
  if (axes.length !== dimension) {
    throw new Error(`pixel spacing has ${axes.length} values, shapes have ${dimension} axes`);
  }
  axes.forEach((s, a) => {
    if (!Number.isFinite(s) || s <= 0) {
      throw new Error(
        `pixel spacing must be a positive finite number of mm, axis ${a + 1} is ${s}`,
      );
    }
  });
  return axes;
}

/** Converts a shape from pixels to millimetres (NaN, a missing landmark, stays NaN). */
export function pixelsToMm(shape: readonly (readonly number[])[], spacing: Spacing): number[][] {
  const s = spacingPerAxis(spacing, shape[0]?.length ?? 0);
  return shape.map((p) => p.map((v, a) => v * s[a]!));
}

/** Converts a shape from millimetres back to pixels (NaN stays NaN). */
export function mmToPixels(shape: readonly (readonly number[])[], spacing: Spacing): number[][] {
  const s = spacingPerAxis(spacing, shape[0]?.length ?? 0);
  return shape.map((p) => p.map((v, a) => v / s[a]!));
}

/**
 * Isotropic spacing (mm per pixel) that makes the distance between landmarks `from` and `to`
 * (1-based) equal `mm`: the usual normalisation of the hand radiographs (landmarks 1 and 5 at 50 mm),
 * whose pixel spacing is unknown. Throws if either landmark is missing or they coincide.
 */
export function spacingFromLandmarkDistance(
  shapePx: readonly (readonly number[])[],
  from: number,
  to: number,
  mm: number,
): number {
  const p = shapePx[from - 1];
  const q = shapePx[to - 1];
  if (!p || !q) throw new Error(`landmarks ${from} and ${to} do not both exist`);
  const distance = Math.hypot(...p.map((v, a) => v - q[a]!));
  if (!(Number.isFinite(distance) && distance > 0)) {
    throw new Error(`landmarks ${from} and ${to} are missing or coincide, cannot derive a spacing`);
  }
  if (!(Number.isFinite(mm) && mm > 0))
    throw new Error(`reference distance must be > 0 mm, got ${mm}`);
  return mm / distance;
}
