/**
 * A DICOM image object (naturalized dataset, e.g. from a Part 10 file) -> {@link DecodedImage}:
 * pixel decoding, Modality LUT, MONOCHROME1 inversion, physical spacing. Each failure names the
 * instance and what is wrong, so a batch can report it and go on.
 */
import { DicomError, asArray, num, transferSyntaxOf, type NaturalDataset } from './datasetIo.ts';
import { applyModalityLut, invertMonochrome1 } from './modalityLut.ts';
import { decodeFrame, type Codecs, type FrameInfo } from './pixelDecode.ts';
import type { DecodedImage } from './types.ts';

/** Spacing `[column, row]` in mm from PixelSpacing, else ImagerPixelSpacing (flagged), else undefined. */
export function spacingOf(
  dataset: NaturalDataset,
): Pick<DecodedImage, 'spacingMm' | 'spacingSource'> {
  for (const key of ['PixelSpacing', 'ImagerPixelSpacing'] as const) {
    const row = num(dataset[key], 0);
    const col = num(dataset[key], 1);
    if (row > 0 && col > 0) return { spacingMm: [col, row], spacingSource: key };
  }
  return {};
}

/** Frame geometry/encoding of a dataset; throws when it has no image pixel module. */
export function frameInfoOf(
  dataset: NaturalDataset,
  source: string,
  transferSyntax = transferSyntaxOf(dataset),
): FrameInfo {
  const rows = num(dataset.Rows);
  const columns = num(dataset.Columns);
  if (!(rows > 0 && columns > 0) || dataset.PixelData === undefined) {
    throw new DicomError(
      source,
      `not an image (SOP Class ${String(dataset.SOPClassUID ?? 'unknown')}, no pixel data)`,
    );
  }
  return {
    rows,
    columns,
    bitsAllocated: num(dataset.BitsAllocated),
    bitsStored: Number.isFinite(num(dataset.BitsStored))
      ? num(dataset.BitsStored)
      : num(dataset.BitsAllocated),
    pixelRepresentation: num(dataset.PixelRepresentation) || 0,
    samplesPerPixel: num(dataset.SamplesPerPixel) || 1,
    transferSyntax,
  };
}

/** Bytes of frame `index` (0-based) from a naturalized PixelData (array of frame buffers or one buffer). */
export function frameBytes(dataset: NaturalDataset, info: FrameInfo, index: number): Uint8Array {
  const parts = asArray(dataset.PixelData as ArrayBuffer | ArrayBuffer[]);
  const encapsulated = ![
    '1.2.840.10008.1.2',
    '1.2.840.10008.1.2.1',
    '1.2.840.10008.1.2.2',
  ].includes(info.transferSyntax);
  if (encapsulated) {
    if (!parts[index]) throw new Error(`frame ${index + 1} is missing`);
    return new Uint8Array(parts[index]);
  }
  const all =
    parts.length === 1
      ? new Uint8Array(parts[0])
      : new Uint8Array(parts.flatMap((p) => Array.from(new Uint8Array(p))));
  const frameSize =
    info.rows * info.columns * info.samplesPerPixel * Math.ceil(info.bitsAllocated / 8);
  if (all.length < (index + 1) * frameSize) {
    throw new Error(
      `pixel data has ${all.length} bytes, frame ${index + 1} needs ${(index + 1) * frameSize} (truncated?)`,
    );
  }
  return all.subarray(index * frameSize, (index + 1) * frameSize);
}

/**
 * Decodes one frame of an image object into modality values (bright = high).
 * @param frameData optional frame bytes from WADO-RS (then `transferSyntax` says how they are encoded)
 */
export async function imageFromDataset(
  dataset: NaturalDataset,
  codecs: Codecs,
  options: { frame?: number; frameData?: Uint8Array; transferSyntax?: string } = {},
): Promise<DecodedImage> {
  const source = `instance ${String(dataset.SOPInstanceUID ?? '(no SOP Instance UID)')}`;
  const info = frameInfoOf(dataset, source, options.transferSyntax);
  let result;
  try {
    const bytes = options.frameData ?? frameBytes(dataset, info, options.frame ?? 0);
    result = applyModalityLut(await decodeFrame(bytes, info, codecs), dataset);
  } catch (error) {
    if (error instanceof DicomError) throw error;
    throw new DicomError(source, (error as Error).message);
  }
  const photometric = String(dataset.PhotometricInterpretation ?? 'MONOCHROME2');
  if (photometric === 'MONOCHROME1') invertMonochrome1(result);
  else if (photometric !== 'MONOCHROME2')
    throw new DicomError(source, `PhotometricInterpretation ${photometric} is not greyscale`);
  return {
    studyUid: String(dataset.StudyInstanceUID ?? ''),
    seriesUid: String(dataset.SeriesInstanceUID ?? ''),
    sopUid: String(dataset.SOPInstanceUID ?? ''),
    width: info.columns,
    height: info.rows,
    pixels: result.values,
    photometric,
    ...(dataset.Modality ? { modality: String(dataset.Modality) } : {}),
    ...spacingOf(dataset),
  };
}

/** Spacing for mm metrics, or a clear error naming the instance when the object has none. */
export function requireSpacing(image: DecodedImage): [number, number] {
  if (!image.spacingMm) {
    throw new DicomError(
      `instance ${image.sopUid}`,
      'no PixelSpacing or ImagerPixelSpacing: distances in mm cannot be computed',
    );
  }
  return image.spacingMm;
}
