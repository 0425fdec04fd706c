import type { Letterbox } from '../../core/data/types.ts';

/**
 * Where a heatmap at network resolution (width × height input pixels) lies on the original image: the
 * image-pixel positions (SCOORD pixel-corner convention) of the map's top-left, top-right and
 * bottom-left corners, inverting the letterbox (original = (input − offset) / scale, per axis). The
 * padding of the letterbox maps outside the image.
 */
export default function heatmapImageRect(
  letterbox: Letterbox,
  width: number,
  height: number,
): { topLeft: [number, number]; topRight: [number, number]; bottomLeft: [number, number] } {
  const x = (u: number) => (u - letterbox.offsetX) / letterbox.scaleX;
  const y = (v: number) => (v - letterbox.offsetY) / letterbox.scaleY;
  return {
    topLeft: [x(0), y(0)],
    topRight: [x(width), y(0)],
    bottomLeft: [x(0), y(height)],
  };
}
