/**
 * Radial (Euclidean) error per landmark in millimetres, 2D or 3D, with anisotropic spacing.
 */

type Points = readonly (readonly number[])[];

/**
 * Radial error of each landmark, millimetres: ‖(p − t) ∘ spacing‖₂ with p and t in pixel (voxel)
 * coordinates. A landmark whose prediction or truth has a non-finite coordinate is missing and gets
 * NaN here (the summaries exclude and count it; NaN never leaves the summaries).
 *
 * @param predictedPx n × d predicted coordinates (x, y[, z]) in pixels.
 * @param truthPx n × d true coordinates in pixels, same order.
 * @param spacingMm d positive millimetres-per-pixel values, one per axis (x, y[, z]).
 * @param caseId named in error messages.
 * @throws Error when the shapes disagree or a spacing is not a positive finite number.
 */
export default function radialErrors(
  predictedPx: Points,
  truthPx: Points,
  spacingMm: readonly number[],
  caseId = 'case',
): number[] {
  const d = spacingMm.length;
  if (d !== 2 && d !== 3) {
    throw new Error(`${caseId}: spacing must have 2 or 3 values (x, y[, z]), got ${d}`);
  }
  spacingMm.forEach((s, axis) => {
    if (!Number.isFinite(s) || s <= 0) {
      throw new Error(`${caseId}: spacing along axis ${axis} must be a positive number, got ${s}`);
    }
  });
  if (predictedPx.length !== truthPx.length) {
    throw new Error(
      `${caseId}: ${predictedPx.length} predicted landmarks but ${truthPx.length} true landmarks`,
    );
  }
  return truthPx.map((t, i) => {
    const p = predictedPx[i];
    if (p.length !== d || t.length !== d) {
      throw new Error(
        `${caseId}: landmark ${i + 1} has ${p.length} predicted and ${t.length} true coordinates, expected ${d}`,
      );
    }
    let sum = 0;
    for (let axis = 0; axis < d; axis++) sum += ((p[axis] - t[axis]) * spacingMm[axis]) ** 2;
    return Number.isFinite(sum) ? Math.sqrt(sum) : Number.NaN;
  });
}
