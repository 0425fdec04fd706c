/**
 * Node implementation of the compressed-frame {@link Codecs}: the @cornerstonejs wasm codecs
 * (libjpeg-turbo for JPEG baseline, CharLS for JPEG-LS, OpenJPEG for JPEG 2000 / HTJ2K) and
 * jpeg-lossless-decoder-js for JPEG Lossless (process 14, which libjpeg-turbo does not decode).
 * Each wasm module is loaded once, on first use (no work at import time).
 */
import { createRequire } from 'node:module';
import { Decoder as LosslessDecoder } from 'jpeg-lossless-decoder-js';
import type { Codecs, FrameCodec, FrameInfo } from '../../dicom/pixelDecode.ts';

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; isSigned?: boolean };
  delete(): void;
}
type WasmModule = Record<string, new () => WasmDecoder>;

const require = createRequire(import.meta.url);
const modules = new Map<string, Promise<WasmModule>>();

function loadModule(specifier: string): Promise<WasmModule> {
  let loaded = modules.get(specifier);
  if (!loaded) {
    const factory = require(specifier) as
      (() => Promise<WasmModule>) | { default: () => Promise<WasmModule> };
    loaded = (typeof factory === 'function' ? factory : factory.default)();
    modules.set(specifier, loaded);
  }
  return loaded;
}

function copySamples(bytes: Uint8Array, bitsPerSample: number, signed: boolean): ArrayLike<number> {
  const copy = bytes.slice(); // the view points into wasm memory, freed by delete()
  if (bitsPerSample <= 8) return signed ? new Int8Array(copy.buffer) : copy;
  return signed
    ? new Int16Array(copy.buffer, 0, copy.length >> 1)
    : new Uint16Array(copy.buffer, 0, copy.length >> 1);
}

function wasmCodec(specifier: string, className: string): FrameCodec {
  return async (bytes: Uint8Array, info: FrameInfo) => {
    const module = await loadModule(specifier);
    const decoder = new module[className]();
    try {
      decoder.getEncodedBuffer(bytes.length).set(bytes);
      decoder.decode();
      const frame = decoder.getFrameInfo();
      if (frame.width !== info.columns || frame.height !== info.rows) {
        throw new Error(
          `frame is ${frame.width}x${frame.height}, the dataset says ${info.columns}x${info.rows}`,
        );
      }
      return copySamples(decoder.getDecodedBuffer(), frame.bitsPerSample, frame.isSigned ?? false);
    } finally {
      decoder.delete();
    }
  };
}

const jpegLossless: FrameCodec = async (bytes: Uint8Array, info: FrameInfo) => {
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  return new LosslessDecoder().decode(
    buffer,
    0,
    buffer.byteLength,
    info.bitsAllocated <= 8 ? 1 : 2,
  );
};

/** The codecs available in Node. */
export function nodeCodecs(): Codecs {
  return {
    jpegBaseline: wasmCodec('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder'),
    jpegLossless,
    jpegLs: wasmCodec('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder'),
    jpeg2000: wasmCodec('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder'),
  };
}
