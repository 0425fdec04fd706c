import type { LandmarkStatus, ReviewReason } from '../../dicom/types.ts';
import type { PointAnnotation } from '../services/landmarkAnnotations.ts';
import { STATUS_COLOURS, reviewedStatus } from '../services/reviewQueue.ts';
import { centreMprViewsOn, syncMprCopies } from './mprCopies.ts';
import type { ReviewData, Session } from './session.ts';

/** One landmark loaded from an SR, as the review list shows it. */
export interface ReviewRow {
  name: string;
  /** Status stored in the SR. */
  stored: LandmarkStatus;
  /** Status after the reviewer's decision or correction (what "Save" writes). */
  status: LandmarkStatus;
  deviationMm?: number;
  /** The SR has a shape-adjusted position X_β for it ("Use adjusted" is possible). */
  hasAdjusted?: boolean;
  confidence?: number;
  /** Why the model flagged it (pseudo labels). */
  reviewReasons?: ReviewReason[];
}

/** Moved farther than this from where it was loaded (world mm) counts as corrected. */
const MOVED_MM = 1e-3;

/** Status after review: stored status, the reviewer's decision, and whether the point was moved. */
export function effectiveStatus(a: PointAnnotation): LandmarkStatus {
  const d = a.data as PointAnnotation['data'] & ReviewData;
  const stored = a.data.landmarkStatus ?? 'manual';
  const p = a.data.handles.points[0];
  const o = d.originalPoint;
  const moved = !!o && Math.hypot(p[0] - o[0], p[1] - o[1], (p[2] ?? 0) - (o[2] ?? 0)) > MOVED_MM;
  return reviewedStatus(stored, d.decision, moved);
}

/** The loaded SR's landmarks on the active viewport, with stored and reviewed status. */
export function reviewRows(s: Session): ReviewRow[] {
  if (!s.state.loadedSr) return [];
  return s.view
    .currentAnnotations()
    .filter((a) => (a.data as ReviewData).originalPoint)
    .map((a) => ({
      name: a.data.label ?? '',
      stored: a.data.landmarkStatus ?? 'manual',
      status: effectiveStatus(a),
      ...(a.data.deviationMm !== undefined ? { deviationMm: a.data.deviationMm } : {}),
      ...(a.data.adjustedPoint ? { hasAdjusted: true } : {}),
      ...(a.data.confidence !== undefined ? { confidence: a.data.confidence } : {}),
      ...(a.data.reviewReasons?.length ? { reviewReasons: a.data.reviewReasons } : {}),
    }));
}

/** Colours a landmark (and its MPR copies) by its status after review (STATUS_COLOURS). */
export function restyle(s: Session, a: PointAnnotation): void {
  const colour = STATUS_COLOURS[effectiveStatus(a)];
  const { annotation } = s.view.libs().cornerstoneTools;
  const copies = (annotation.state.getAllAnnotations() as PointAnnotation[]).filter(
    (c) => c.data?.companionOf === a.annotationUID,
  );
  for (const uid of [a.annotationUID, ...copies.map((c) => c.annotationUID)]) {
    annotation.config.style.setAnnotationStyles(uid, {
      color: colour,
      colorHighlighted: colour,
      colorSelected: colour,
      textBoxColor: colour,
      textBoxColorHighlighted: colour,
      textBoxColorSelected: colour,
    });
  }
}

/** The landmark `name` on the active viewport, or a clear error. */
function landmark(s: Session, name: string | undefined, missing: string): PointAnnotation {
  const a = s.view.find(name);
  if (!a) throw new Error(missing);
  return a;
}

/** Selects a landmark for review (highlighted; in 3D every MPR view is centred on it). */
export function select(s: Session, name: string): void {
  const a = landmark(s, name, `landmarks: ${name} is not on the image`);
  s.state.selected = name;
  s.view.libs().cornerstoneTools.annotation.selection.setAnnotationSelected(a.annotationUID, true);
  if (s.view.activeViewport()?.type === 'orthographic')
    centreMprViewsOn(s, a.data.handles.points[0]!);
  s.view.renderAll();
  s.notify();
}

/**
 * Moves the selected landmark (or `name`) to its shape-adjusted position X_β from the SR; it then
 * counts as corrected (it moved) and is saved so by "Save SR".
 */
export function useAdjusted(s: Session, name = s.state.selected): void {
  const a = landmark(s, name, 'landmarks: select a landmark first');
  const target = a.data.adjustedPoint;
  if (!target) throw new Error(`landmarks: the SR has no shape-adjusted position for ${name}`);
  const before = [...a.data.handles.points[0]!];
  a.data.handles.points[0] = [...target];
  s.state.history.record({ uid: a.annotationUID, name: name ?? '', before, after: [...target] });
  (a as PointAnnotation & { invalidated?: boolean }).invalidated = true;
  restyle(s, a);
  syncMprCopies(s);
  s.view.renderAll();
  s.notify();
}

/** Selects the next landmark still flagged (after the selected one, wrapping); its name. */
export function selectNextFlagged(s: Session): string | undefined {
  const rows = reviewRows(s);
  const start = rows.findIndex((r) => r.name === s.state.selected);
  for (let k = 1; k <= rows.length; k++) {
    const r = rows[(start + k + rows.length) % rows.length];
    if (r.status === 'flagged-abnormal') {
      select(s, r.name);
      return r.name;
    }
  }
  return undefined;
}

/** Accepts or rejects the selected landmark (or `name`). */
export function decide(
  s: Session,
  decision: 'accepted' | 'rejected',
  name = s.state.selected,
): void {
  const a = landmark(s, name, 'landmarks: select a landmark first');
  (a.data as ReviewData).decision = decision;
  restyle(s, a);
  s.view.activeViewport()?.render();
  s.notify();
}
