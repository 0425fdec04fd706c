import type { GrayImage } from '../../core/data/types.ts';
import type { ImageItem } from './protocol.ts';

/**
 * Fetches an image as WADO-RS `/rendered` PNG (the PACS applies the Modality LUT and window) and
 * decodes it to a grey image (0–255) with the browser's decoder (OffscreenCanvas, works in workers).
 * Throws naming the instance on any failure.
 */
export default async function loadRenderedImage(
  wadoRoot: string,
  headers: Record<string, string>,
  item: ImageItem,
): Promise<GrayImage> {
  const url = `${wadoRoot}/studies/${item.studyUid}/series/${item.seriesUid}/instances/${item.sopUid}/rendered`;
  const res = await fetch(url, { headers: { ...headers, Accept: 'image/png' } });
  if (!res.ok) throw new Error(`instance ${item.sopUid}: rendered image HTTP ${res.status}`);
  const bitmap = await createImageBitmap(await res.blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(`instance ${item.sopUid}: no 2D canvas to decode the image`);
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const pixels = new Float32Array(bitmap.width * bitmap.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[4 * i];
  bitmap.close();
  return { width: canvas.width, height: canvas.height, pixels };
}
