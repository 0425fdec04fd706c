/**
 * Types shared by the DICOM adapters (readers, writers, SR) and the PACS client.
 *
 * Coordinate frames:
 * - 2D landmark positions are image pixel coordinates `[column, row]` in the DICOM SCOORD convention
 *   (PS3.3 C.18.6.1.1): `0,0` is the top-left CORNER of the top-left pixel, so the centre of pixel
 *   (i, j) is `(i + 0.5, j + 0.5)`. They are written to and read from SR SCOORD POINTs unchanged.
 * - 3D landmark positions are patient coordinates in mm (DICOM LPS, the frame of
 *   `ImagePositionPatient`), written as SCOORD3D POINTs in the series' Frame of Reference.
 */

// The landmark set and its statuses are the product's own vocabulary, defined in the core.
export {
  LABEL_STATUSES,
  LANDMARK_STATUSES,
  REVIEW_REASONS,
  type Landmark,
  type LandmarkSet,
  type LandmarkStatus,
  type ModelIdentity,
  type ReviewReason,
} from '../core/landmarks/landmarkSet.ts';

/** Patient/study identity copied into every object of a study. */
export interface StudyIdentity {
  patientId: string;
  patientName: string;
  studyUid: string;
  /** `YYYYMMDD`. */
  studyDate: string;
  /** `HHMMSS`. */
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  studyDescription?: string;
  patientBirthDate?: string;
  /** `M`, `F` or `O`. */
  patientSex?: string;
}

/** A decoded 2D image (one frame), after the Modality LUT. */
export interface DecodedImage {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  width: number;
  height: number;
  /** Modality values (after rescale / LUT), MONOCHROME1 already inverted so bright = high. Row-major. */
  pixels: Float32Array;
  /** `[column spacing, row spacing]` in mm, or undefined when the object has none. */
  spacingMm?: [number, number];
  /** Which attribute the spacing came from (ImagerPixelSpacing is at the detector, not the patient). */
  spacingSource?: 'PixelSpacing' | 'ImagerPixelSpacing';
  photometric: string;
  modality?: string;
}

/** A CT/CBCT series assembled into a volume. */
export interface DecodedVolume {
  studyUid: string;
  seriesUid: string;
  frameOfReferenceUid?: string;
  /** Instances in slice order (increasing along the slice normal). */
  sopUids: string[];
  width: number;
  height: number;
  depth: number;
  /** Voxels, x fastest then y then slice; modality units (HU for CT). */
  voxels: Float32Array;
  /** `[column, row, slice]` spacing in mm. */
  spacingMm: [number, number, number];
  /** `ImagePositionPatient` of the first slice (centre of its first voxel), mm. */
  origin: [number, number, number];
  /** Row direction, column direction, slice normal (unit vectors, LPS). */
  direction: [number[], number[], number[]];
}
