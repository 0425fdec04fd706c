/**
 * Part 10 file <-> naturalized dataset (dcmjs). Every error names the source (file, instance) so a
 * batch can report it and go on.
 */
import dcmjs from 'dcmjs';

const { DicomMessage, DicomDict, DicomMetaDictionary, ValueRepresentation } = dcmjs.data;
const DECIMAL_STRING = ValueRepresentation.createByTypeString('DS');

/** A naturalized DICOM dataset: keyword -> value (dcmjs convention). */
export type NaturalDataset = Record<string, unknown>;

/** Explicit VR Little Endian. */
export const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';
/** Implementation Class UID of this product (2.25 root, fixed). */
export const IMPLEMENTATION_CLASS_UID = '2.25.162913483741526287123448417512845310271';

/** Error reading or writing a DICOM object; `source` names the file or instance. */
export class DicomError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'DicomError';
  }
}

/**
 * Parses a Part 10 file into a naturalized dataset (pixel data kept as the raw frame buffers).
 * @param source name used in errors (file path or SOP Instance UID)
 */
export function readPart10(buffer: ArrayBuffer, source: string): NaturalDataset {
  if (buffer.byteLength < 132)
    throw new DicomError(source, `not a DICOM file (only ${buffer.byteLength} bytes)`);
  const magic = new TextDecoder().decode(new Uint8Array(buffer, 128, 4));
  if (magic !== 'DICM') {
    if (!looksLikeRawDataset(buffer)) {
      throw new DicomError(source, 'not a DICOM file (no DICM prefix at byte 128)');
    }
    buffer = withImplicitLittleMeta(buffer);
  }
  let dict;
  try {
    dict = DicomMessage.readFile(buffer, { ignoreErrors: false, untilTag: undefined });
  } catch (error) {
    throw new DicomError(source, `unreadable or truncated DICOM (${(error as Error).message})`);
  }
  const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict);
  const meta = DicomMetaDictionary.naturalizeDataset(dict.meta);
  dataset._meta = meta;
  return dataset;
}

/** Implicit VR Little Endian (the default of objects written without a Part 10 header). */
export const IMPLICIT_LITTLE = '1.2.840.10008.1.2';

/** True when a file without preamble starts with a group 0x0008 tag in little endian (old ACR-NEMA style). */
function looksLikeRawDataset(buffer: ArrayBuffer): boolean {
  const view = new DataView(buffer);
  return view.getUint16(0, true) === 0x0008 && view.getUint16(2, true) < 0x0100;
}

/**
 * Prefixes a raw Implicit VR Little Endian dataset with a preamble and a minimal File Meta group so the
 * Part 10 reader accepts it (such files are still common in test collections).
 */
function withImplicitLittleMeta(buffer: ArrayBuffer): ArrayBuffer {
  const uid = IMPLICIT_LITTLE.length % 2 === 1 ? `${IMPLICIT_LITTLE}\u0000` : IMPLICIT_LITTLE; // even length
  const element = new Uint8Array(8 + uid.length);
  const view = new DataView(element.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, 0x0010, true);
  element.set([0x55, 0x49], 4); // VR "UI"
  view.setUint16(6, uid.length, true);
  element.set(new TextEncoder().encode(uid), 8);
  const groupLength = new Uint8Array(12);
  const glView = new DataView(groupLength.buffer);
  glView.setUint16(0, 0x0002, true);
  glView.setUint16(2, 0x0000, true);
  groupLength.set([0x55, 0x4c], 4); // VR "UL"
  glView.setUint16(6, 4, true);
  glView.setUint32(8, element.length, true);
  const out = new Uint8Array(132 + groupLength.length + element.length + buffer.byteLength);
  out.set(new TextEncoder().encode('DICM'), 128);
  out.set(groupLength, 132);
  out.set(element, 132 + groupLength.length);
  out.set(new Uint8Array(buffer), 132 + groupLength.length + element.length);
  return out.buffer;
}

/** Transfer Syntax UID of a dataset read by {@link readPart10}. */
export function transferSyntaxOf(dataset: NaturalDataset): string {
  const meta = dataset._meta as NaturalDataset | undefined;
  return String(meta?.TransferSyntaxUID ?? EXPLICIT_LITTLE);
}

/**
 * Writes a naturalized dataset as a Part 10 file in Explicit VR Little Endian (or `transferSyntax` when
 * the pixel data is already encoded in it).
 */
export function writePart10(
  dataset: NaturalDataset,
  transferSyntax = EXPLICIT_LITTLE,
): ArrayBuffer {
  const body = { ...dataset };
  delete body._meta;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: body.SOPClassUID,
    MediaStorageSOPInstanceUID: body.SOPInstanceUID,
    TransferSyntaxUID: transferSyntax,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'LANDMARKS_0_1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(withDecimalStrings(body));
  return dict.write();
}

/**
 * Copy of a naturalized dataset (sequences included) whose DS numbers are already strings of at most
 * 16 characters. dcmjs 0.51's denaturalizeDataset turns a number into `String(n)` and then cuts it to
 * 16 characters, so 1.35921170887877e-5 would be stored as "1.35921170887877" (10⁵ times too large);
 * its DS representation's own formatter (`convertToString`, used here) keeps the exponent.
 */
function withDecimalStrings(dataset: NaturalDataset): NaturalDataset {
  const out: NaturalDataset = {};
  for (const [keyword, value] of Object.entries(dataset)) {
    out[keyword] = withDecimalStringValue(keyword, value);
  }
  return out;
}

function withDecimalStringValue(keyword: string, value: unknown): unknown {
  const isItem = (v: unknown): v is NaturalDataset =>
    typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);
  if (DicomMetaDictionary.nameMap[keyword]?.vr === 'DS') {
    const format = (v: unknown) => (typeof v === 'number' ? DECIMAL_STRING.convertToString(v) : v);
    return Array.isArray(value) ? value.map(format) : format(value);
  }
  if (Array.isArray(value) && value.every(isItem)) return value.map(withDecimalStrings);
  return isItem(value) && !Array.isArray(value) ? withDecimalStrings(value) : value;
}

/** dcmjs wraps single-item sequences inconsistently; always get an array. */
export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** First value of a possibly multi-valued attribute, as a number (NaN when absent). */
export function num(value: unknown, index = 0): number {
  const v = Array.isArray(value) ? value[index] : index === 0 ? value : undefined;
  return v === undefined || v === null || v === '' ? Number.NaN : Number(v);
}

/** DICOM DA/TM values for "now" (UTC). */
export function nowDicom(): { date: string; time: string } {
  const iso = new Date().toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}
