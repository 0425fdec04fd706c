import type { LandmarkSrInfo } from '../../dicom/srReader.ts';
import { srAnnotation, type Target } from '../services/landmarkAnnotations.ts';
import { templateNames } from '../services/templateOfSet.ts';
import { syncMprCopies } from './mprCopies.ts';
import { restyle } from './reviewDecisions.ts';
import type { Session } from './session.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Draws the landmarks of a 2D SR on the active viewport (replacing ours there), coloured by status,
 * ready for review. SR positions and Cornerstone's image coordinates share the SCOORD pixel-corner
 * convention (see landmarkAnnotations.ts).
 */
export function loadSr(s: Session, info: LandmarkSrInfo): void {
  const { cornerstone } = s.view.libs();
  const viewport = s.view.activeViewport();
  const imageId: string | undefined = viewport?.getCurrentImageId?.();
  if (!viewport || !imageId || !s.state.Tool) {
    throw new Error('landmarks: the image is not ready yet');
  }
  if (info.set.dimension !== 2) {
    throw new Error('landmarks: review of 3D SRs is not supported yet');
  }
  drawSr(s, viewport, { imageId }, info, (p) =>
    cornerstone.utilities.imageToWorldCoords(imageId, [p[0], p[1]]),
  );
}

/**
 * Loads the study's current landmark SR for what the active viewport shows (the 2D image, or the
 * volume's Frame of Reference in an MPR view); false when there is none. `listSrs` reads the PACS.
 */
export async function loadCurrentSr(
  s: Session,
  studyUid: string,
  listSrs: (studyUid: string) => Promise<LandmarkSrInfo[]>,
): Promise<boolean> {
  const viewport = s.view.activeViewport();
  if (viewport?.type === 'orthographic') {
    const frame = viewport.getFrameOfReferenceUID?.();
    const info = (await listSrs(studyUid)).find(
      (i) => i.set.dimension === 3 && i.set.frameOfReferenceUid === frame,
    );
    if (!info || !s.state.Tool) return false;
    // 3D positions are patient mm: already world points.
    drawSr(s, viewport, { frameOfReferenceUid: frame }, info, (p) => p, true);
    return true;
  }
  const imageId: string | undefined = viewport?.getCurrentImageId?.();
  if (!imageId) return false;
  const sop = s.view.libs().cornerstone.metaData.get('instance', imageId)?.SOPInstanceUID;
  const info = (await listSrs(studyUid)).find(
    (i) => i.set.dimension === 2 && (!sop || i.set.sopUids.includes(sop)),
  );
  if (!info) return false;
  loadSr(s, info);
  return true;
}

/**
 * Replaces our landmarks on `target` by the SR's (2D and 3D alike): each becomes an annotation of the
 * viewport at `toWorld(position)`, coloured by status; in 3D (`jump`) the view first moves to the
 * landmark's slice, and syncMprCopies shows it in the other two views. The landmark list becomes the
 * SR's template's (templateOfSet.ts), so a partial annotation can be continued.
 */
function drawSr(
  s: Session,
  viewport: any,
  target: Target,
  info: LandmarkSrInfo,
  toWorld: (position: number[]) => number[],
  jump = false,
): void {
  const { state } = s.view.libs().cornerstoneTools.annotation;
  for (const a of s.view.annotationsOn(target)) state.removeAnnotation(a.annotationUID);
  const dimension = info.set.dimension === 3 ? 3 : 2;
  for (const l of info.set.landmarks) {
    const drawn = srAnnotation(l, dimension, toWorld);
    if (!drawn) continue;
    if (jump) viewport.jumpToWorld?.(drawn.point);
    const ann = s.state.Tool.createAnnotationForViewport(viewport, {
      data: { handles: { points: [[...drawn.point]] } },
    });
    Object.assign(ann.data, drawn.data);
    state.addAnnotation(ann, viewport.element);
    restyle(s, ann);
  }
  // The template's full list: a partial SR shows "5/19 placed" and the next click places landmark 6.
  const { names, templateId } = templateNames(s.state.templates, info.set);
  s.state.names = names;
  s.state.templateId = templateId;
  s.state.loadedSr = info.sr.sopUid;
  s.state.selected = undefined;
  s.state.pick = undefined;
  s.state.history.clear();
  if (jump) syncMprCopies(s);
  viewport.render();
  s.notify();
}
/* eslint-enable @typescript-eslint/no-explicit-any */
