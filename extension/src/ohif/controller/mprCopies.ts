import { MPR_VIEWPORT_IDS } from '../hps/landmarksMpr.ts';
import { toolNames } from '../tools/toolNames.ts';
import type { Session } from './session.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** |cos| of the angle between view plane normals above which two views show the same plane. */
const SAME_PLANE = 0.99;

/**
 * 3D landmarks in all three MPR views: a point annotation belongs to one view plane, so each 3D
 * landmark gets a copy in the other MPR views (same world point), and those views jump to the slice
 * through a new landmark. Dragging a landmark in any view moves it in all three: a copy the reviewer
 * moved (its point is no longer where the last sync put it) moves its landmark first, then every copy
 * follows the landmark. Copies are never saved.
 */
export function syncMprCopies(s: Session): void {
  if (s.state.syncing || !s.state.Tool) return;
  const viewports = MPR_VIEWPORT_IDS.map((id) => s.view.viewport(id)).filter(
    (v: any) => v?.type === 'orthographic',
  );
  if (viewports.length < 2 || !s.ctx.servicesManager.services.viewportGridService) return;
  s.state.syncing = true;
  try {
    const { state } = s.view.libs().cornerstoneTools.annotation;
    const ours = (state.getAllAnnotations() as any[]).filter(
      (a) => a.metadata?.toolName === toolNames.LandmarkPoint,
    );
    const frame = viewports[0].getFrameOfReferenceUID?.();
    const primaries = ours.filter(
      (a) => !a.data.companionOf && frame && a.metadata.FrameOfReferenceUID === frame,
    );
    followMovedCopies(primaries, ours);
    const alive = new Set(primaries.map((a) => a.annotationUID));
    for (const c of ours.filter((a) => a.data.companionOf && !alive.has(a.data.companionOf))) {
      state.removeAnnotation(c.annotationUID);
    }
    for (const p of primaries) {
      for (const vp of viewports) {
        const n = vp.getCamera().viewPlaneNormal;
        const pn = p.metadata.viewPlaneNormal ?? [0, 0, 0];
        if (Math.abs(n[0] * pn[0] + n[1] * pn[1] + n[2] * pn[2]) > SAME_PLANE) continue;
        syncCopy(s, p, vp, ours);
      }
    }
    viewports.forEach((vp: any) => vp.render());
  } finally {
    s.state.syncing = false;
  }
}

/** Creates the copy of landmark `p` in viewport `vp`, or moves the existing copy to `p`'s point. */
function syncCopy(s: Session, p: any, vp: any, ours: any[]): void {
  const { state } = s.view.libs().cornerstoneTools.annotation;
  const point: number[] = p.data.handles.points[0];
  const copy = ours.find(
    (a) => a.data.companionOf === p.annotationUID && a.data.companionViewport === vp.id,
  );
  if (copy) {
    if (copy.data.handles.points[0].some((v: number, i: number) => v !== point[i])) {
      copy.data.handles.points[0] = [...point];
      copy.invalidated = true;
    }
    copy.data.syncedPoint = [...point];
    return;
  }
  // Jump first, so the copy's view metadata is taken on the slice through the point.
  vp.jumpToWorld?.(point);
  const c = s.state.Tool.createAnnotationForViewport(vp, {
    data: { handles: { points: [[...point]] } },
  });
  Object.assign(c.data, {
    label: p.data.label,
    companionOf: p.annotationUID,
    companionViewport: vp.id,
    syncedPoint: [...point],
  });
  state.addAnnotation(c, vp.element);
}

/** A copy dragged in its view (moved from where the last sync put it) moves its landmark there. */
function followMovedCopies(primaries: any[], ours: any[]): void {
  for (const c of ours) {
    const synced: number[] | undefined = c.data.companionOf ? c.data.syncedPoint : undefined;
    const point: number[] = c.data.handles.points[0];
    if (!synced || point.every((v, i) => v === synced[i])) continue;
    const p = primaries.find((x) => x.annotationUID === c.data.companionOf);
    if (!p) continue;
    p.data.handles.points[0] = [...point];
    p.invalidated = true;
  }
}

/**
 * Centres every MPR view on a world point: each view's slice goes through it and the point sits in
 * the middle of the view (Cornerstone's volume jumpToWorld moves the slice only). Zoom is kept.
 */
export function centreMprViewsOn(s: Session, point: readonly number[]): void {
  for (const id of MPR_VIEWPORT_IDS) {
    const vp = s.view.viewport(id);
    if (vp?.type !== 'orthographic') continue;
    const { focalPoint, position } = vp.getCamera();
    const delta = point.map((v, a) => v - focalPoint[a]);
    vp.setCamera({
      focalPoint: [...point],
      position: position.map((v: number, a: number) => v + delta[a]!),
    });
    vp.render();
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
