/**
 * Image folder reader: `<dir>/<id>.jpg|.jpeg|.png|.dcm` → greyscale images (original pixels). JPEG via
 * jpeg-js, PNG via pngjs (8 or 16 bit), DICOM through the DICOM adapter (modality LUT applied,
 * MONOCHROME1 inverted, pixel spacing returned).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readPart10 } from '../dicom/datasetIo.ts';
import { imageFromDataset } from '../dicom/imageFromDataset.ts';
import { nodeCodecs } from './codecs/nodeCodecs.ts';
import type { GrayImage } from '../core/data/types.ts';

const EXTENSIONS = ['.jpg', '.jpeg', '.png', '.dcm'];

/** Image id (file name without extension) → path, for every supported file in `dir`. */
export async function listImages(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(`image folder ${dir}: ${(error as Error).message}`);
  }
  const out = new Map<string, string>();
  for (const name of names.sort()) {
    const ext = path.extname(name).toLowerCase();
    if (!EXTENSIONS.includes(ext)) continue;
    const id = name.slice(0, -ext.length);
    if (out.has(id)) throw new Error(`image folder ${dir}: two files for image "${id}"`);
    out.set(id, path.join(dir, name));
  }
  return out;
}

/** Luminance of interleaved RGB(A) data; the first channel when the image is already grey. */
function toGray(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
): Float32Array {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const r = data[i * channels]!;
    const g = data[i * channels + 1]!;
    const b = data[i * channels + 2]!;
    out[i] = r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
  }
  return out;
}

/** Reads one image; `spacingMm` is set for DICOM objects that carry a pixel spacing. */
export async function readImage(
  file: string,
): Promise<{ image: GrayImage; spacingMm?: [number, number] }> {
  const ext = path.extname(file).toLowerCase();
  const bytes = await readFile(file).catch((error: Error) => {
    throw new Error(`${file}: ${error.message}`);
  });
  try {
    if (ext === '.jpg' || ext === '.jpeg') {
      const decoded = jpeg.decode(bytes, { useTArray: true, maxMemoryUsageInMB: 1024 });
      return {
        image: {
          width: decoded.width,
          height: decoded.height,
          pixels: toGray(decoded.data, decoded.width, decoded.height, 4),
        },
      };
    }
    if (ext === '.png') {
      const png = PNG.sync.read(bytes, { skipRescale: true });
      const data =
        png.depth === 16
          ? new Uint16Array(png.data.buffer, png.data.byteOffset, png.data.byteLength / 2)
          : png.data;
      return {
        image: {
          width: png.width,
          height: png.height,
          pixels: toGray(data, png.width, png.height, 4),
        },
      };
    }
    if (ext === '.dcm') {
      const dataset = readPart10(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        file,
      );
      const decoded = await imageFromDataset(dataset, nodeCodecs());
      return {
        image: { width: decoded.width, height: decoded.height, pixels: decoded.pixels },
        spacingMm: decoded.spacingMm,
      };
    }
  } catch (error) {
    throw new Error(`${file}: cannot decode (${(error as Error).message})`);
  }
  throw new Error(`${file}: unsupported image type "${ext}" (expected ${EXTENSIONS.join(', ')})`);
}
