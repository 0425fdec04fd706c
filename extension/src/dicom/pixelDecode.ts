/**
 * Pixel data of one frame -> stored values (before the Modality LUT), for every transfer syntax the
 * product meets. Compressed syntaxes go through a pluggable {@link Codecs} (the Node implementation
 * wraps the @cornerstonejs wasm codecs and jpeg-lossless-decoder-js, see `node/codecs/nodeCodecs.ts`).
 */

/** Geometry and encoding of a frame (from the dataset / WADO metadata). */
export interface FrameInfo {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  samplesPerPixel: number;
  transferSyntax: string;
}

/** A decoder of one compressed frame; returns the decoded samples (unsigned or signed integers). */
export type FrameCodec = (bytes: Uint8Array, info: FrameInfo) => Promise<ArrayLike<number>>;

/** Decoders by family. */
export interface Codecs {
  jpegBaseline?: FrameCodec;
  jpegLossless?: FrameCodec;
  jpegLs?: FrameCodec;
  jpeg2000?: FrameCodec;
}

/** Transfer syntax UID -> codec family (PS3.5 Table A-1 / PS3.6 Annex A). */
export const TRANSFER_SYNTAX_FAMILY: Record<string, keyof Codecs | 'raw' | 'raw-big'> = {
  '1.2.840.10008.1.2': 'raw',
  '1.2.840.10008.1.2.1': 'raw',
  '1.2.840.10008.1.2.2': 'raw-big',
  '1.2.840.10008.1.2.4.50': 'jpegBaseline',
  '1.2.840.10008.1.2.4.51': 'jpegBaseline',
  '1.2.840.10008.1.2.4.57': 'jpegLossless',
  '1.2.840.10008.1.2.4.70': 'jpegLossless',
  '1.2.840.10008.1.2.4.80': 'jpegLs',
  '1.2.840.10008.1.2.4.81': 'jpegLs',
  '1.2.840.10008.1.2.4.90': 'jpeg2000',
  '1.2.840.10008.1.2.4.91': 'jpeg2000',
  '1.2.840.10008.1.2.4.201': 'jpeg2000',
  '1.2.840.10008.1.2.4.202': 'jpeg2000',
  '1.2.840.10008.1.2.4.203': 'jpeg2000',
};

function rawSamples(bytes: Uint8Array, info: FrameInfo, bigEndian: boolean): ArrayLike<number> {
  const count = info.rows * info.columns * info.samplesPerPixel;
  if (info.bitsAllocated === 8) {
    if (bytes.length < count)
      throw new Error(`pixel data has ${bytes.length} bytes, expected ${count}`);
    return bytes.subarray(0, count);
  }
  if (info.bitsAllocated !== 16 && info.bitsAllocated !== 32) {
    throw new Error(`BitsAllocated ${info.bitsAllocated} is not supported`);
  }
  const size = info.bitsAllocated / 8;
  if (bytes.length < count * size)
    throw new Error(`pixel data has ${bytes.length} bytes, expected ${count * size}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = size === 2 ? view.getUint16(i * 2, !bigEndian) : view.getUint32(i * 4, !bigEndian);
  }
  return out;
}

/**
 * Applies BitsStored masking and two's-complement sign extension (PS3.5 8.1.1) to raw samples, so the
 * result is the stored value whatever container the codec returned.
 */
export function storedValues(samples: ArrayLike<number>, info: FrameInfo): Float32Array {
  const bits = info.bitsStored;
  const mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  const signBit = 2 ** (bits - 1);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    let v = samples[i];
    if (v < 0) v += 2 ** Math.max(16, info.bitsAllocated); // a codec returned an Int16Array
    v = bits >= 32 ? v : v % (mask + 1);
    if (info.pixelRepresentation === 1 && v >= signBit) v -= 2 * signBit;
    out[i] = v;
  }
  return out;
}

/**
 * JPEG, JPEG-LS and JPEG 2000 code streams all end with the marker FF D9 (EOI / EOC), possibly followed
 * by one padding byte (fragments have even length); a truncated file loses it.
 */
export function endsWithEoi(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const at = (i: number): boolean => i >= 0 && bytes[i] === 0xff && bytes[i + 1] === 0xd9;
  return at(n - 2) || (bytes[n - 1] === 0 && at(n - 3));
}

/** Decodes one frame to stored values; errors say which transfer syntax failed and why. */
export async function decodeFrame(
  bytes: Uint8Array,
  info: FrameInfo,
  codecs: Codecs,
): Promise<Float32Array> {
  if (info.samplesPerPixel !== 1)
    throw new Error(`SamplesPerPixel ${info.samplesPerPixel}: only greyscale images are supported`);
  const family = TRANSFER_SYNTAX_FAMILY[info.transferSyntax];
  if (family === undefined)
    throw new Error(`transfer syntax ${info.transferSyntax} is not supported`);
  if (family === 'raw' || family === 'raw-big')
    return storedValues(rawSamples(bytes, info, family === 'raw-big'), info);
  if (!endsWithEoi(bytes)) {
    throw new Error(
      `compressed frame (${info.transferSyntax}) does not end with an end-of-image marker: truncated`,
    );
  }
  const codec = codecs[family];
  if (!codec) throw new Error(`no ${family} decoder for transfer syntax ${info.transferSyntax}`);
  let samples: ArrayLike<number>;
  try {
    samples = await codec(bytes, info);
  } catch (error) {
    throw new Error(
      `${family} decoding failed (${info.transferSyntax}): ${(error as Error).message}`,
    );
  }
  const expected = info.rows * info.columns;
  if (samples.length < expected)
    throw new Error(`${family} decoder returned ${samples.length} samples, expected ${expected}`);
  return storedValues(
    samples.length === expected ? samples : Array.prototype.slice.call(samples, 0, expected),
    info,
  );
}
