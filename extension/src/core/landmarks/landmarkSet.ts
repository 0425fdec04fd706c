/**
 * A set of landmarks of one image (2D) or one volume (3D), with the status of each, as the product
 * stores them (the DICOM adapters write and read it as a landmark SR: dicom/srWriter.ts, srReader.ts).
 *
 * Coordinate frames:
 * - 2D landmark positions are image pixel coordinates `[column, row]` with `0,0` the top-left CORNER
 *   of the top-left pixel (DICOM's SCOORD convention), so the centre of pixel (i, j) is (i + 0.5, j + 0.5).
 * - 3D landmark positions are patient coordinates in mm (DICOM LPS).
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

/**
 * Why a pseudo label is flagged for review: it is an outlier of the robust shape fit (`shape`), its
 * heatmap has little mass at the point (`confidence`), or the paper's regulator moves it more than
 * Z (`shape-model`, Eq. 6).
 */
export type ReviewReason = 'shape' | 'confidence' | 'shape-model';

/** All review reasons, in the order they are written and shown. */
export const REVIEW_REASONS: readonly ReviewReason[] = ['shape', 'confidence', 'shape-model'];

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
  /** Why the model flagged it for review (pseudo labels; kept after the review as a record). */
  reviewReasons?: ReviewReason[];
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
