/**
 * Modality LUT (PS3.3 C.11.1): stored values -> modality values, by the Modality LUT Sequence when
 * present, else RescaleSlope/RescaleIntercept; then MONOCHROME1 inversion so bright = high everywhere.
 */
import { asArray, num, type NaturalDataset } from './datasetIo.ts';

/** LUT data as numbers; dcmjs gives OW LUT data as an ArrayBuffer and US as a number array. */
function lutEntries(data: unknown, count: number, bits: number): number[] {
  const first = asArray(data as unknown[])[0];
  if (first instanceof ArrayBuffer || ArrayBuffer.isView(first)) {
    const bytes =
      first instanceof ArrayBuffer
        ? new Uint8Array(first)
        : new Uint8Array(first.buffer, first.byteOffset, first.byteLength);
    if (bits <= 8 && bytes.length === count) return Array.from(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: Math.min(count, Math.floor(bytes.length / 2)) }, (_, i) =>
      view.getUint16(i * 2, true),
    );
  }
  return asArray(data as number | number[]).map(Number);
}

/** Range of modality values the object can produce, `[min, max]` (used for MONOCHROME1 inversion). */
export interface ModalityResult {
  values: Float32Array;
  range: [number, number];
}

/** Applies the Modality LUT of `dataset` to `stored` (a new array; the input is not changed). */
export function applyModalityLut(stored: Float32Array, dataset: NaturalDataset): ModalityResult {
  const item = asArray(dataset.ModalityLUTSequence as NaturalDataset | NaturalDataset[])[0];
  const values = new Float32Array(stored.length);
  if (item && item.LUTDescriptor !== undefined) {
    const descriptor = asArray(item.LUTDescriptor as number | number[]).map(Number);
    const count = descriptor[0] === 0 ? 65536 : descriptor[0];
    let firstMapped = descriptor[1];
    if (num(dataset.PixelRepresentation) === 1 && firstMapped > 32767) firstMapped -= 65536;
    const bits = descriptor[2];
    const lut = lutEntries(item.LUTData, count, bits);
    if (lut.length < count)
      throw new Error(`Modality LUT has ${lut.length} entries, descriptor says ${count}`);
    for (let i = 0; i < stored.length; i++) {
      const index = Math.min(count - 1, Math.max(0, stored[i] - firstMapped));
      values[i] = lut[index];
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < count; i++) {
      lo = Math.min(lo, lut[i]);
      hi = Math.max(hi, lut[i]);
    }
    // The LUT's own output range (not 2^bits - 1): MONOCHROME1 inversion then keeps the value span.
    return { values, range: [lo, hi] };
  }
  const slope = Number.isFinite(num(dataset.RescaleSlope)) ? num(dataset.RescaleSlope) : 1;
  const intercept = Number.isFinite(num(dataset.RescaleIntercept))
    ? num(dataset.RescaleIntercept)
    : 0;
  for (let i = 0; i < stored.length; i++) values[i] = stored[i] * slope + intercept;
  const bitsStored = num(dataset.BitsStored);
  const signed = num(dataset.PixelRepresentation) === 1;
  const lo = signed ? -(2 ** (bitsStored - 1)) : 0;
  const hi = signed ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;
  const ends = [lo * slope + intercept, hi * slope + intercept];
  return { values, range: [Math.min(...ends), Math.max(...ends)] };
}

/** MONOCHROME1 (bright = low value) -> MONOCHROME2 orientation, in place: v -> min + max - v. */
export function invertMonochrome1(result: ModalityResult): void {
  const [min, max] = result.range;
  for (let i = 0; i < result.values.length; i++) result.values[i] = min + max - result.values[i];
}
