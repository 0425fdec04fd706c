import { pickMessage, type LandmarkPick } from '../tools/pickLandmark.ts';
import type { PointAnnotation } from '../services/landmarkAnnotations.ts';
import { syncMprCopies } from './mprCopies.ts';
import { restyle } from './reviewDecisions.ts';
import type { Session } from './session.ts';

/**
 * A press grabbed a landmark point (the landmark tool's hit-test, tools/pickLandmark.ts): it becomes the
 * selected landmark, the panel says which one was grabbed and why, and the drag that may follow is
 * recorded for undo.
 */
export function onPick(s: Session, a: PointAnnotation, pick: LandmarkPick): void {
  s.state.pick = pickMessage(pick);
  s.state.selected = a.data.label;
  s.state.history.start(a.annotationUID, a.data.label ?? '', a.data.handles.points[0]!);
  s.notify();
}

/** The press on `a` ended: a move away from where it started is recorded for undo. */
export function onMoveEnd(s: Session, a: PointAnnotation): void {
  if (s.state.history.end(a.annotationUID, a.data.handles.points[0]!)) s.notify();
}

/**
 * Puts the landmark of the newest recorded move back where it was (its "corrected" status goes with
 * it, since that status means "moved from where the SR had it"). Returns its name; undefined when there
 * is no move to undo (or its annotation is gone).
 */
export function undoMove(s: Session): string | undefined {
  const move = s.state.history.pop();
  if (!move) return undefined;
  const { state } = s.view.libs().cornerstoneTools.annotation;
  const a = (state.getAllAnnotations() as PointAnnotation[]).find(
    (x) => x.annotationUID === move.uid,
  );
  if (!a) return undoMove(s);
  a.data.handles.points[0] = [...move.before];
  (a as PointAnnotation & { invalidated?: boolean }).invalidated = true;
  restyle(s, a);
  syncMprCopies(s);
  s.state.pick = `Undid the move of ${move.name}`;
  s.view.renderAll();
  s.notify();
  return move.name;
}
