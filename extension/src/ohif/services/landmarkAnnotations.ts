import type { Landmark, LandmarkSet, LandmarkStatus } from '../../dicom/types.ts';
import { toolNames } from '../tools/toolNames.ts';

/** The fields of a Cornerstone annotation that we read (cornerstoneTools Annotation). */
export interface PointAnnotation {
  annotationUID: string;
  metadata: { toolName: string; referencedImageId?: string; FrameOfReferenceUID?: string };
  data: { label?: string; handles: { points: number[][] }; landmarkStatus?: LandmarkStatus };
}

/** Which image (2D) or volume (3D) the landmarks belong to. */
export type Target = { imageId: string } | { frameOfReferenceUid: string };

/** Our landmark annotations on one target, in store order. */
export function landmarkAnnotations(
  all: readonly PointAnnotation[],
  target: Target,
): PointAnnotation[] {
  return all.filter((a) => {
    if (a.metadata?.toolName !== toolNames.LandmarkPoint) return false;
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
 * for the image: it returns continuous pixel indices whose integer values are pixel CENTRES (origin =
 * centre of the top-left pixel, ImagePositionPatient). The SR uses the DICOM SCOORD convention (origin
 * = top-left CORNER, PS3.3 C.18.6.1.1), hence the +0.5. Landmarks come out in template order; names
 * not in the template are dropped; non-finite positions throw (no NaN reaches the PACS).
 */
export function toLandmarkSet2D(
  names: readonly string[],
  annotations: readonly PointAnnotation[],
  worldToImage: (world: number[]) => number[],
  ref: ImageRef,
  status: LandmarkStatus = 'manual',
): LandmarkSet {
  const landmarks: Landmark[] = [];
  for (const name of names) {
    const a = annotations.find((x) => x.data.label === name);
    if (!a) continue;
    const [col, row] = worldToImage(a.data.handles.points[0]);
    if (!Number.isFinite(col) || !Number.isFinite(row)) {
      throw new Error(`landmark ${name} on image ${ref.sopUid}: position is not a number`);
    }
    landmarks.push({
      name,
      position: [col + 0.5, row + 0.5],
      status: a.data.landmarkStatus ?? status,
    });
  }
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
  const landmarks: Landmark[] = [];
  for (const name of names) {
    const a = annotations.find((x) => x.data.label === name);
    if (!a) continue;
    const p = a.data.handles.points[0].slice(0, 3);
    if (p.length !== 3 || !p.every(Number.isFinite)) {
      throw new Error(`landmark ${name} in series ${ref.seriesUid}: position is not a 3D point`);
    }
    landmarks.push({ name, position: p, status: a.data.landmarkStatus ?? status });
  }
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
