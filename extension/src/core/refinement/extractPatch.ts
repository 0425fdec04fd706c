/**
 * Bilinear resampling of a patch from an image (see patchGeometry.ts for the mapping). Hand-written
 * rather than tf.image.transform: the source is a full-resolution radiograph (ISBI: 1935 × 2400) from
 * which only n small patches are needed, so uploading it as a tensor for every batch would cost more
 * than the ~4k samples per patch done here in plain loops; it also keeps the mapping exact and testable.
 */
import type { GrayImage } from '../data/types.ts';
import { patchToImage, type PatchGeometry } from './patchGeometry.ts';

/** Bilinear value at continuous image coordinates (pixel-corner convention); outside the image is 0. */
export function sampleBilinear(image: GrayImage, x: number, y: number): number {
  const { width, height, pixels } = image;
  // Pixel centres sit at i + 0.5: shift to index space.
  const u = x - 0.5;
  const v = y - 0.5;
  const i0 = Math.floor(u);
  const j0 = Math.floor(v);
  const fu = u - i0;
  const fv = v - j0;
  const at = (i: number, j: number) =>
    i >= 0 && j >= 0 && i < width && j < height ? pixels[j * width + i]! : 0;
  return (
    (1 - fv) * ((1 - fu) * at(i0, j0) + fu * at(i0 + 1, j0)) +
    fv * ((1 - fu) * at(i0, j0 + 1) + fu * at(i0 + 1, j0 + 1))
  );
}

/**
 * @param image source image (any intensity range)
 * @param geometry where the patch lies; `spacingMm` is the source image's mm per pixel
 * @param out optional buffer of H·W values to fill (avoids an allocation per patch)
 * @returns H × W row-major intensities sampled at the patch pixel centres
 */
export default function extractPatch(
  image: GrayImage,
  geometry: PatchGeometry,
  out?: Float32Array,
): Float32Array {
  const [h, w] = geometry.patchShape as [number, number];
  const patch = out ?? new Float32Array(h * w);
  if (patch.length !== h * w)
    throw new Error(`extractPatch: buffer of ${patch.length} for ${h}×${w}`);
  // The map is affine: step along the patch axes instead of mapping every pixel.
  const origin = patchToImage([0.5, 0.5], geometry);
  const alongX = patchToImage([1.5, 0.5], geometry).map((v, k) => v - origin[k]!);
  const alongY = patchToImage([0.5, 1.5], geometry).map((v, k) => v - origin[k]!);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const x = origin[0]! + c * alongX[0]! + r * alongY[0]!;
      const y = origin[1]! + c * alongX[1]! + r * alongY[1]!;
      patch[r * w + c] = sampleBilinear(image, x, y);
    }
  }
  return patch;
}
