import type { Landmark, LandmarkSet, LandmarkStatus, ReviewReason } from '../../dicom/types.ts';
import { toolNames } from '../tools/toolNames.ts';

/** The fields of a Cornerstone annotation that we read (cornerstoneTools Annotation). */
export interface PointAnnotation {
  annotationUID: string;
  metadata: { toolName: string; referencedImageId?: string; FrameOfReferenceUID?: string };
  data: {
    label?: string;
    handles: { points: number[][] };
    /** Status loaded from an SR or decided in review. */
    landmarkStatus?: LandmarkStatus;
    /** Deviation |X_α − X_β| from the shape model, mm (from the SR). */
    deviationMm?: number;
    /** Shape-adjusted position X_β as stored in the SR (2D image pixels, SCOORD convention; 3D mm). */
    adjustedPosition?: number[];
    /** X_β in world coordinates (what is drawn; what "Use adjusted" moves the point to). */
    adjustedPoint?: number[];
    /** Model confidence in [0, 1] (from the SR). */
    confidence?: number;
    /** Why the model flagged it (from the SR). */
    reviewReasons?: ReviewReason[];
    /** Display-only copy of a 3D landmark in another MPR view: the UID of the landmark it mirrors. */
    companionOf?: string;
  };
}

/** Which image (2D) or volume (3D) the landmarks belong to. */
export type Target = { imageId: string } | { frameOfReferenceUid: string };

/** Our landmark annotations on one target, in store order (display-only MPR copies excluded). */
export function landmarkAnnotations(
  all: readonly PointAnnotation[],
  target: Target,
): PointAnnotation[] {
  return all.filter((a) => {
    if (a.metadata?.toolName !== toolNames.LandmarkPoint || a.data?.companionOf) return false;
    return 'imageId' in target
      ? a.metadata.referencedImageId === target.imageId
      : a.metadata.FrameOfReferenceUID === target.frameOfReferenceUid;
  });
}

/** First landmark of the template that has no annotation yet; undefined when all are placed. */
export function nextLandmark(
  names: readonly string[],
  annotations: readonly PointAnnotation[],
): string | undefined {
  const placed = new Set(annotations.map((a) => a.data.label));
  return names.find((n) => !placed.has(n));
}

/** Image references of a 2D landmark set. */
export interface ImageRef {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  sopClassUid: string;
}

/**
 * 2D landmark set from annotations. `worldToImage` is Cornerstone's `utilities.worldToImageCoords`
 * for the image, which already uses the DICOM SCOORD convention of the SR (origin = top-left CORNER of
 * the first pixel, PS3.3 C.18.6.1.1: it shifts ImagePositionPatient, a pixel centre, by half a pixel;
 * checked against clicked positions in test/e2e/viewer.test.ts), so its [column, row] is stored as is.
 * Landmarks come out in template order; names not in the template are dropped; non-finite positions
 * throw (no NaN reaches the PACS).
 */
export function toLandmarkSet2D(
  names: readonly string[],
  annotations: readonly PointAnnotation[],
  worldToImage: (world: number[]) => number[],
  ref: ImageRef,
  status: LandmarkStatus = 'manual',
): LandmarkSet {
  const landmarks = collectLandmarks(names, annotations, status, (a, name) => {
    const [col, row] = worldToImage(a.data.handles.points[0]);
    if (!Number.isFinite(col) || !Number.isFinite(row)) {
      throw new Error(`landmark ${name} on image ${ref.sopUid}: position is not a number`);
    }
    return [col, row];
  });
  return {
    studyUid: ref.studyUid,
    seriesUid: ref.seriesUid,
    sopUids: [ref.sopUid],
    sopClassUid: ref.sopClassUid,
    dimension: 2,
    landmarks,
  };
}

/**
 * 3D landmark set from annotations on a volume: positions are the annotations' world points, which are
 * DICOM patient coordinates in mm (LPS) in the series' Frame of Reference.
 */
export function toLandmarkSet3D(
  names: readonly string[],
  annotations: readonly PointAnnotation[],
  ref: Omit<ImageRef, 'sopUid'> & { sopUids: string[]; frameOfReferenceUid: string },
  status: LandmarkStatus = 'manual',
): LandmarkSet {
  const landmarks = collectLandmarks(names, annotations, status, (a, name) => {
    const p = a.data.handles.points[0].slice(0, 3);
    if (p.length !== 3 || !p.every(Number.isFinite)) {
      throw new Error(`landmark ${name} in series ${ref.seriesUid}: position is not a 3D point`);
    }
    return p;
  });
  return {
    studyUid: ref.studyUid,
    seriesUid: ref.seriesUid,
    sopUids: ref.sopUids,
    sopClassUid: ref.sopClassUid,
    dimension: 3,
    frameOfReferenceUid: ref.frameOfReferenceUid,
    landmarks,
  };
}

/** The template's landmarks that have an annotation, in template order, at `position(a)`. */
function collectLandmarks(
  names: readonly string[],
  annotations: readonly PointAnnotation[],
  status: LandmarkStatus,
  position: (a: PointAnnotation, name: string) => number[],
): Landmark[] {
  const landmarks: Landmark[] = [];
  for (const name of names) {
    const a = annotations.find((x) => x.data.label === name);
    if (a) landmarks.push(withDeviation(a, { name, position: position(a, name), status }));
  }
  return landmarks;
}

/**
 * The landmark with the annotation's own status and the model's values it was loaded with (X_β, the
 * deviation |X_α − X_β| in mm, the confidence, the review reasons), so a review revision keeps them; a deviation without
 * X_β (SRs before issue 5) is kept only while the landmark is flagged, as before.
 */
function withDeviation(a: PointAnnotation, base: Landmark): Landmark {
  const status = a.data.landmarkStatus ?? base.status;
  const l: Landmark = { ...base, status };
  const { deviationMm, adjustedPosition, confidence, reviewReasons } = a.data;
  const hasAdjusted =
    Array.isArray(adjustedPosition) &&
    adjustedPosition.length === base.position.length &&
    adjustedPosition.every(Number.isFinite);
  if (Number.isFinite(deviationMm) && (hasAdjusted || status === 'flagged-abnormal')) {
    l.deviationMm = deviationMm;
    if (hasAdjusted) l.adjustedPosition = [...adjustedPosition];
  }
  if (Number.isFinite(confidence)) l.confidence = confidence;
  if (reviewReasons?.length) l.reviewReasons = [...reviewReasons];
  return l;
}

/** A landmark of a loaded SR as an annotation: where to put it and the data it carries. */
export interface SrAnnotation {
  /** World point (Cornerstone world = DICOM patient mm). */
  point: number[];
  data: Partial<PointAnnotation['data']> & { label: string; originalPoint: number[] };
}

/**
 * The annotation of one SR landmark, 2D or 3D alike: `toWorld` maps an SR position (2D: image pixels,
 * SCOORD convention; 3D: patient mm, already world) to a world point. The status, deviation and
 * confidence come from the SR; `originalPoint` remembers where it was loaded (a later move makes it
 * "corrected"); X_β is kept as stored and as a world point when it has the landmark's dimension.
 * Returns undefined for a position that is not finite (nothing non-finite is drawn).
 */
export function srAnnotation(
  landmark: Landmark,
  dimension: 2 | 3,
  toWorld: (position: number[]) => number[],
): SrAnnotation | undefined {
  const position = landmark.position.slice(0, dimension);
  if (position.length !== dimension || !position.every(Number.isFinite)) return undefined;
  const point = [...toWorld(position)];
  if (!point.every(Number.isFinite)) return undefined;
  const adjusted = landmark.adjustedPosition;
  const hasAdjusted = adjusted?.length === dimension && adjusted.every(Number.isFinite);
  return {
    point,
    data: {
      label: landmark.name,
      landmarkStatus: landmark.status,
      deviationMm: landmark.deviationMm,
      confidence: landmark.confidence,
      ...(landmark.reviewReasons ? { reviewReasons: [...landmark.reviewReasons] } : {}),
      originalPoint: [...point],
      ...(hasAdjusted
        ? { adjustedPosition: [...adjusted], adjustedPoint: [...toWorld(adjusted)] }
        : {}),
    },
  };
}
