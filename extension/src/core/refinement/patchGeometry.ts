/**
 * Geometry of a patch cut from an image at a fixed millimetre resolution, centred on a point, optionally
 * rotated. Both frames use continuous coordinates with the pixel-corner convention of computeLetterbox:
 * pixel i covers [i, i + 1), its centre is at i + 0.5. The patch centre (W/2, H/2) maps onto `centre`.
 *
 *   image = centre + R(angle) · (patch − (W/2, H/2)) · mmPerPixel ⊘ spacingMm
 *
 * where ⊘ divides per axis (anisotropic pixels are handled exactly).
 */

/** Where a patch lies in an image. */
export interface PatchGeometry {
  /** Patch centre in image pixels (x, y). */
  centre: number[];
  /** Patch size [H, W], patch pixels. */
  patchShape: number[];
  /** Millimetres per patch pixel. */
  mmPerPixel: number;
  /** Millimetres per image pixel along (x, y). */
  spacingMm: number[];
  /** Rotation of the patch axes in the image, radians (counter-clockwise in a y-down frame's view). */
  angleRad: number;
}

/** Patch pixels (x, y) → image pixels (x, y). */
export function patchToImage(point: readonly number[], g: PatchGeometry): number[] {
  const [h, w] = g.patchShape as [number, number];
  const dx = (point[0]! - w / 2) * g.mmPerPixel;
  const dy = (point[1]! - h / 2) * g.mmPerPixel;
  const [c, s] = [Math.cos(g.angleRad), Math.sin(g.angleRad)];
  return [
    g.centre[0]! + (c * dx - s * dy) / g.spacingMm[0]!,
    g.centre[1]! + (s * dx + c * dy) / g.spacingMm[1]!,
  ];
}

/** Image pixels (x, y) → patch pixels (x, y); the inverse of {@link patchToImage}. */
export function imageToPatch(point: readonly number[], g: PatchGeometry): number[] {
  const [h, w] = g.patchShape as [number, number];
  const ex = (point[0]! - g.centre[0]!) * g.spacingMm[0]!;
  const ey = (point[1]! - g.centre[1]!) * g.spacingMm[1]!;
  const [c, s] = [Math.cos(g.angleRad), Math.sin(g.angleRad)];
  return [(c * ex + s * ey) / g.mmPerPixel + w / 2, (-s * ex + c * ey) / g.mmPerPixel + h / 2];
}
