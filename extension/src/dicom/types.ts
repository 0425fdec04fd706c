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

/** Where a landmark position came from / what a reviewer decided about it. */
export type LandmarkStatus =
  'manual' | 'pseudo-label' | 'flagged-abnormal' | 'accepted' | 'corrected' | 'rejected';

/** All statuses, in a stable order. */
export const LANDMARK_STATUSES: readonly LandmarkStatus[] = [
  'manual',
  'pseudo-label',
  'flagged-abnormal',
  'accepted',
  'corrected',
  'rejected',
];

/** Statuses that make a landmark a training label ("annotated study"). */
export const LABEL_STATUSES: readonly LandmarkStatus[] = ['manual', 'accepted', 'corrected'];

/** One landmark of a {@link LandmarkSet}. */
export interface Landmark {
  /**
   * Landmark name, e.g. `Sella`, 1 to 64 characters: the SR's Comment and Tracking Identifier, with a
   * standard Finding Site where one exists (see `srCodes.ts`).
   */
  name: string;
  /** 2D: `[column, row]` in pixels (SCOORD convention); 3D: `[x, y, z]` patient mm (LPS). */
  position: number[];
  status: LandmarkStatus;
  /**
   * Distance |X_α − X_β| in mm between the network's prediction and the shape-adjusted position (paper
   * Eq. 7); always set for `flagged-abnormal`, and for every landmark whose {@link adjustedPosition} is
   * known.
   */
  deviationMm?: number;
  /**
   * Shape-adjusted position X_β (paper section 3.1) in the same frame as `position` (2D pixels in the
   * SCOORD convention, 3D patient mm). Needs `deviationMm`.
   */
  adjustedPosition?: number[];
  /** Detection confidence of the model, a unitless number in [0, 1] (e.g. the heatmap peak). */
  confidence?: number;
}

/** The algorithm that produced a landmark set (SR Algorithm Identification, TID 4019). */
export interface ModelIdentity {
  name: string;
  version: string;
  /** e.g. `shape-regulated self-training`. */
  method: string;
}

/** Landmarks of one image (2D) or one volume (3D), as stored in / read from a landmark SR. */
export interface LandmarkSet {
  studyUid: string;
  /** Series of the referenced image(s). */
  seriesUid: string;
  /** 2D: the one referenced image; 3D: every instance of the series (evidence). */
  sopUids: string[];
  /** SOP Class UID of the referenced images (needed for the SR references). */
  sopClassUid: string;
  dimension: 2 | 3;
  /** 3D only: Frame of Reference of the volume. */
  frameOfReferenceUid?: string;
  /**
   * Only the landmarks placed so far (a partial annotation lists fewer than its template has);
   * never a placeholder for a missing one.
   */
  landmarks: Landmark[];
  /**
   * Id of the anatomy template the set was annotated with (`cephalogram`, `hand`, `cbct` or a user
   * template): it gives the full, ordered landmark list, so a partial set can be continued and trained
   * on. Absent in SRs written before partial annotations (readers then match the names to a template).
   */
  templateId?: string;
  model?: ModelIdentity;
  /** Mahalanobis distance of the whole shape from the shape model (unitless; once per SR). */
  mahalanobis?: number;
}

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
