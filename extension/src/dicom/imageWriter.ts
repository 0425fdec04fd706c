/**
 * Writers of image objects for demo/test studies and imports: DX For Presentation (2D) and CT Image
 * Storage series (3D), uncompressed MONOCHROME2, Explicit VR Little Endian. Both pass dciodvfy with 0
 * errors (test/integration/dicom). Pixel values must already be integers in [0, 2^bitsStored).
 */
import { nowDicom, writePart10, type NaturalDataset } from './datasetIo.ts';
import { SOP_CLASS } from './sopClasses.ts';
import { uidFromSeed } from './uids.ts';
import type { StudyIdentity } from './types.ts';

/** Common series/equipment fields. */
export interface SeriesInfo {
  seriesUid: string;
  seriesNumber: number;
  seriesDescription?: string;
  manufacturer?: string;
  /** Device model, e.g. the synthetic "device" name; goes to ManufacturerModelName. */
  deviceModel?: string;
}

/** One DX image. */
export interface DxImageInput {
  width: number;
  height: number;
  /** Row-major stored values, integers in [0, 2^bitsStored). */
  pixels: ArrayLike<number>;
  bitsStored: 8 | 10 | 12 | 14 | 16;
  /** `[column spacing, row spacing]` in mm (written as PixelSpacing = row\column). */
  spacingMm: [number, number];
  sopUid: string;
  instanceNumber?: number;
  /** Lateral cephalogram by default. */
  bodyPart?: string;
}

function patientStudy(study: StudyIdentity): NaturalDataset {
  return {
    PatientName: study.patientName,
    PatientID: study.patientId,
    PatientBirthDate: study.patientBirthDate ?? '',
    PatientSex: study.patientSex ?? 'O',
    StudyInstanceUID: study.studyUid,
    StudyDate: study.studyDate,
    StudyTime: study.studyTime ?? '120000',
    ReferringPhysicianName: '',
    StudyID: study.studyId ?? '1',
    AccessionNumber: study.accessionNumber ?? '',
    StudyDescription: study.studyDescription ?? '',
  };
}

function equipment(series: SeriesInfo): NaturalDataset {
  return {
    Manufacturer: series.manufacturer ?? 'ohif-landmarks',
    ManufacturerModelName: series.deviceModel ?? 'synthetic',
    SoftwareVersions: '0.1.0',
  };
}

function pixelBuffer(pixels: ArrayLike<number>, bitsStored: number, label: string): ArrayBuffer {
  const max = 2 ** bitsStored - 1;
  const bytesPerPixel = bitsStored <= 8 ? 1 : 2;
  const out = bytesPerPixel === 1 ? new Uint8Array(pixels.length) : new Uint16Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new Error(`${label}: pixel ${i} = ${v} is not an integer in [0, ${max}]`);
    }
    out[i] = v;
  }
  // Pixel Data must have an even length (PS3.5 7.1.1).
  if (out.byteLength % 2 === 1) {
    const padded = new Uint8Array(out.byteLength + 1);
    padded.set(new Uint8Array(out.buffer));
    return padded.buffer;
  }
  return out.buffer as ArrayBuffer;
}

function imagePixel(width: number, height: number, bitsStored: number): NaturalDataset {
  return {
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: height,
    Columns: width,
    BitsAllocated: bitsStored <= 8 ? 8 : 16,
    BitsStored: bitsStored,
    HighBit: bitsStored - 1,
    PixelRepresentation: 0,
  };
}

/** Builds the naturalized dataset of a DX For Presentation image (exported for tests and the importer). */
export function dxDataset(
  study: StudyIdentity,
  series: SeriesInfo,
  image: DxImageInput,
): NaturalDataset {
  const { date, time } = nowDicom();
  const [colSpacing, rowSpacing] = image.spacingMm;
  const max = 2 ** image.bitsStored - 1;
  return {
    ...patientStudy(study),
    ...equipment(series),
    SOPClassUID: SOP_CLASS.DX_PRESENTATION,
    SOPInstanceUID: image.sopUid,
    SpecificCharacterSet: 'ISO_IR 100',
    Modality: 'DX',
    SeriesInstanceUID: series.seriesUid,
    SeriesNumber: series.seriesNumber,
    SeriesDescription: series.seriesDescription ?? '',
    PresentationIntentType: 'FOR PRESENTATION',
    InstanceNumber: image.instanceNumber ?? 1,
    ContentDate: date,
    ContentTime: time,
    ImageType: ['DERIVED', 'PRIMARY'],
    PatientOrientation: ['A', 'F'],
    BodyPartExamined: image.bodyPart ?? 'HEAD',
    ImageLaterality: 'U',
    AnatomicRegionSequence: [
      { CodeValue: '69536005', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Head' },
    ],
    ViewPosition: 'LL',
    ViewCodeSequence: [
      { CodeValue: '399198007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'left lateral' },
    ],
    PositionerType: 'NONE',
    DetectorType: 'DIRECT',
    ImagerPixelSpacing: [rowSpacing, colSpacing],
    PixelSpacing: [rowSpacing, colSpacing],
    PixelSpacingCalibrationType: 'GEOMETRY',
    PixelSpacingCalibrationDescription: 'known pixel spacing of the source dataset',
    PixelIntensityRelationship: 'LIN',
    PixelIntensityRelationshipSign: 1,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    PresentationLUTShape: 'IDENTITY',
    LossyImageCompression: '00',
    BurnedInAnnotation: 'NO',
    WindowCenter: (max + 1) / 2,
    WindowWidth: max + 1,
    AcquisitionContextSequence: [],
    ...imagePixel(image.width, image.height, image.bitsStored),
    PixelData: pixelBuffer(image.pixels, image.bitsStored, `DX ${image.sopUid}`),
    _vrMap: { PixelData: image.bitsStored <= 8 ? 'OB' : 'OW' },
  };
}

/** Writes one DX For Presentation image as a Part 10 file. */
export function writeDxImage(
  study: StudyIdentity,
  series: SeriesInfo,
  image: DxImageInput,
): ArrayBuffer {
  return writePart10(dxDataset(study, series, image));
}

/** A CT/CBCT volume to write as a series of CT Image Storage slices. */
export interface CtVolumeInput {
  width: number;
  height: number;
  depth: number;
  /** Voxels in HU, x fastest, then y, then slice; rounded to integers, stored as HU + 1024 in 12 bits. */
  voxelsHu: ArrayLike<number>;
  /** `[column, row, slice]` spacing in mm. */
  spacingMm: [number, number, number];
  /** Patient position of the centre of the first voxel of the first slice (default 0,0,0). */
  origin?: [number, number, number];
  frameOfReferenceUid: string;
  /** Seed for the slice SOP Instance UIDs (`<seed>/slice/<k>`). */
  uidSeed: string;
  /**
   * Attributes written into every slice over the defaults, e.g. `ImageType` and
   * `DerivationDescription` of a converted series, or an empty `KVP` when it is unknown.
   */
  attributes?: NaturalDataset;
}

/** SOP Instance UID of slice `k` of a volume written with `uidSeed`. */
export function ctSliceUid(uidSeed: string, k: number): string {
  return uidFromSeed(`${uidSeed}/slice/${k}`);
}

/** Builds the datasets of a CT series, axial, identity orientation, slices along +z. */
export function ctDatasets(
  study: StudyIdentity,
  series: SeriesInfo,
  volume: CtVolumeInput,
): NaturalDataset[] {
  const { width, height, depth, spacingMm } = volume;
  const origin = volume.origin ?? [0, 0, 0];
  const sliceSize = width * height;
  if (volume.voxelsHu.length !== sliceSize * depth) {
    throw new Error(
      `CT ${series.seriesUid}: ${volume.voxelsHu.length} voxels, expected ${width}x${height}x${depth}`,
    );
  }
  const { date, time } = nowDicom();
  const out: NaturalDataset[] = [];
  for (let k = 0; k < depth; k++) {
    const slice = new Array<number>(sliceSize);
    for (let i = 0; i < sliceSize; i++) {
      slice[i] = Math.min(4095, Math.max(0, Math.round(volume.voxelsHu[k * sliceSize + i] + 1024)));
    }
    const z = origin[2] + k * spacingMm[2];
    out.push({
      ...patientStudy(study),
      ...equipment(series),
      SOPClassUID: SOP_CLASS.CT,
      SOPInstanceUID: ctSliceUid(volume.uidSeed, k),
      SpecificCharacterSet: 'ISO_IR 100',
      Modality: 'CT',
      SeriesInstanceUID: series.seriesUid,
      SeriesNumber: series.seriesNumber,
      SeriesDescription: series.seriesDescription ?? '',
      FrameOfReferenceUID: volume.frameOfReferenceUid,
      PositionReferenceIndicator: '',
      PatientPosition: 'HFS',
      BodyPartExamined: 'HEAD',
      InstanceNumber: k + 1,
      AcquisitionNumber: 1,
      ContentDate: date,
      ContentTime: time,
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      ImagePositionPatient: [origin[0], origin[1], z],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      SliceLocation: z,
      SliceThickness: spacingMm[2],
      PixelSpacing: [spacingMm[1], spacingMm[0]],
      KVP: '90',
      RescaleIntercept: -1024,
      RescaleSlope: 1,
      RescaleType: 'HU',
      WindowCenter: 400,
      WindowWidth: 2000,
      ...imagePixel(width, height, 12),
      ...volume.attributes,
      PixelData: pixelBuffer(slice, 12, `CT ${series.seriesUid} slice ${k}`),
      _vrMap: { PixelData: 'OW' },
    });
  }
  return out;
}

/** Writes a CT series as Part 10 files, one per slice, in slice order. */
export function writeCtSeries(
  study: StudyIdentity,
  series: SeriesInfo,
  volume: CtVolumeInput,
): ArrayBuffer[] {
  return ctDatasets(study, series, volume).map((ds) => writePart10(ds));
}
