// The Node codecs decode what the reference encoders (the same wasm builds' encoder halves) produce:
// JPEG-LS and JPEG 2000 losslessly at 12 bits (exact), JPEG baseline at quality 100 (within 3 grey
// levels, it is lossy), JPEG Lossless is covered by the real CR sample (samples.test.ts).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeFrame, type FrameInfo } from '../../../extension/src/dicom/pixelDecode.ts';
import { nodeCodecs } from '../../../extension/src/node/codecs/nodeCodecs.ts';

const require = createRequire(import.meta.url);
interface Encoder {
  getDecodedBuffer(info: object): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
  setQuality?(quality: number): void;
}

async function encode(
  specifier: string,
  className: string,
  pixels: Uint8Array | Uint16Array,
  width: number,
  height: number,
  bits: number,
  setup?: (e: Encoder) => void,
) {
  const factory = require(specifier);
  const module = await (factory.default ?? factory)();
  const encoder: Encoder = new module[className]();
  try {
    const input = encoder.getDecodedBuffer({
      width,
      height,
      bitsPerSample: bits,
      componentCount: 1,
      isSigned: false,
      isUsingColorTransform: false,
    });
    input.set(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
    setup?.(encoder);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

// Non-square, with a gradient and a bright block, so swapped axes or byte order fail.
// At least 32 px each way: OpenJPEG's default 6 resolution levels need it.
const width = 67;
const height = 41;
const image12 = Uint16Array.from(
  { length: width * height },
  (_, i) => ((i % width) * 97 + Math.floor(i / width) * 31 + (i % 7 === 0 ? 2000 : 0)) % 4096,
);
const image8 = Uint8Array.from(
  { length: width * height },
  (_, i) => ((i % width) * 6 + Math.floor(i / width) * 3) % 256,
);
const info = (transferSyntax: string, bits: number): FrameInfo => ({
  rows: height,
  columns: width,
  bitsAllocated: bits > 8 ? 16 : 8,
  bitsStored: bits,
  pixelRepresentation: 0,
  samplesPerPixel: 1,
  transferSyntax,
});

describe('compressed transfer syntaxes in Node', () => {
  it('JPEG-LS lossless (1.2.840.10008.1.2.4.80) is exact', async () => {
    const bytes = await encode(
      '@cornerstonejs/codec-charls/wasmjs',
      'JpegLSEncoder',
      image12,
      width,
      height,
      12,
    );
    const decoded = await decodeFrame(bytes, info('1.2.840.10008.1.2.4.80', 12), nodeCodecs());
    expect(Array.from(decoded)).toEqual(Array.from(image12));
  });

  it('JPEG 2000 lossless (1.2.840.10008.1.2.4.90) is exact', async () => {
    const bytes = await encode(
      '@cornerstonejs/codec-openjpeg/wasmjs',
      'J2KEncoder',
      image12,
      width,
      height,
      12,
    );
    const decoded = await decodeFrame(bytes, info('1.2.840.10008.1.2.4.90', 12), nodeCodecs());
    expect(Array.from(decoded)).toEqual(Array.from(image12));
  });

  it('JPEG baseline (1.2.840.10008.1.2.4.50) is within 3 grey levels at quality 100', async () => {
    const bytes = await encode(
      '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs',
      'JPEGEncoder',
      image8,
      width,
      height,
      8,
      (e) => e.setQuality?.(100),
    );
    const decoded = await decodeFrame(bytes, info('1.2.840.10008.1.2.4.50', 8), nodeCodecs());
    const worst = Math.max(...Array.from(decoded, (v, i) => Math.abs(v - image8[i])));
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('says which syntax failed on a corrupt stream', async () => {
    const bytes = await encode(
      '@cornerstonejs/codec-charls/wasmjs',
      'JpegLSEncoder',
      image12,
      width,
      height,
      12,
    );
    const corrupt = bytes.slice();
    corrupt.fill(0x55, 4, 40);
    await expect(
      decodeFrame(corrupt, info('1.2.840.10008.1.2.4.80', 12), nodeCodecs()),
    ).rejects.toThrow(/1\.2\.840\.10008\.1\.2\.4\.80/);
  });
});
