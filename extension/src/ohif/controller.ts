import { currentLandmarkSrs, type LandmarkSrInfo } from '../dicom/srReader.ts';
import type { LandmarkStatus } from '../dicom/types.ts';
import {
  STATUS_COLOURS,
  buildReviewQueue,
  reviewedStatus,
  type ReviewItem,
} from './services/reviewQueue.ts';
import { readPart10 } from '../dicom/datasetIo.ts';
import { writeLandmarkSr } from '../dicom/srWriter.ts';
import type { LandmarkSet } from '../dicom/types.ts';
import { randomUid } from '../dicom/uids.ts';
import { MPR_VIEWPORT_IDS } from './hps/landmarksMpr.ts';
import { TOOL_GROUP_2D, TOOL_GROUP_MPR } from './id.ts';
import { getCornerstone, type CornerstoneLibraries } from './services/cornerstone.ts';
import { getCurrentStudy } from './services/currentStudy.ts';
import {
  landmarkAnnotations,
  nextLandmark,
  toLandmarkSet2D,
  toLandmarkSet3D,
  type PointAnnotation,
  type Target,
} from './services/landmarkAnnotations.ts';
import { IndexedDbQueueStorage } from './services/indexedDbQueueStorage.ts';
import { listLandmarkSrs, type PacsAccess } from './services/landmarkSrStore.ts';
import { PacsResultQueue, type QueueStatus, type SaveOutcome } from './services/pacsResultQueue.ts';
import { stowRs } from './services/stowRs.ts';
import { studyIdentityOf } from './services/studyIdentity.ts';
import { createLandmarkTool, type LandmarkDisplay } from './tools/createLandmarkTool.ts';
import { toolNames } from './tools/toolNames.ts';
import type { OhifContext } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

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
}

/** What the panel shows about the annotation in progress. */
export interface AnnotationState {
  names: string[];
  annotating: boolean;
  /** Names placed on the active image/volume. */
  placed: string[];
  next?: string;
  /** Landmarks loaded from the current SR (empty when none was loaded). */
  review: ReviewRow[];
  /** Landmark selected for review. */
  selected?: string;
  /** SOP Instance UID of the SR whose landmarks are shown. */
  loadedSr?: string;
  /** Landmark names drawn beside the points (all viewports). */
  showNames: boolean;
  /** SRs kept in the browser until the PACS accepts them. */
  queue: QueueStatus;
}

/** Our extra per-annotation data for review. */
interface ReviewData {
  originalPoint?: number[];
  decision?: 'accepted' | 'rejected';
}

/** Result of saving landmarks as an SR. */
export interface SaveResult {
  sopUid: string;
  seriesUid: string;
  count: number;
  revises?: string;
  /** `queued`: the PACS was not reachable; the SR is kept in the browser and sent later. */
  outcome: SaveOutcome;
}

/**
 * The extension's state and its bridge to Cornerstone and the PACS, created once per extension
 * registration (never at import time). Commands are thin wrappers over these methods.
 */
export class LandmarksController {
  private names: string[] = [];
  private annotating = false;
  private listeners = new Set<() => void>();
  private cs?: CornerstoneLibraries;
  private toolRegistered = false;
  private removeCsListeners?: () => void;
  private Tool?: any;
  private selected?: string;
  private loadedSr?: string;
  private showNames = true;
  private results?: PacsResultQueue;
  private queueStatus: QueueStatus = { waiting: 0, refused: 0 };
  /** Last landmark SR list per study, used to find a revision's predecessor while the PACS is down. */
  private srCache = new Map<string, LandmarkSrInfo[]>();

  constructor(private readonly ctx: OhifContext) {}

  /** Subscribe to state changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify = () => this.listeners.forEach((l) => l());

  /** Annotation events: re-colour reviewed landmarks (a drag makes one "corrected"), then notify. */
  private onCsEvent = () => {
    this.syncMprCopies();
    for (const a of this.currentAnnotations()) this.restyle(a);
    this.notify();
  };

  private libs(): CornerstoneLibraries {
    this.cs ??= getCornerstone(this.ctx.extensionManager);
    return this.cs;
  }

  /** Registers the landmark tool with Cornerstone and adds it (passive) to the mode's tool groups. */
  initTools(): void {
    const { cornerstone, cornerstoneTools } = this.libs();
    if (!this.toolRegistered) {
      const Tool = createLandmarkTool(cornerstoneTools, {
        nextLabel: (imageId: string | undefined) => this.nextFor(imageId),
        display: () => this.display(),
      });
      cornerstoneTools.addTool(Tool);
      this.Tool = Tool;
      this.toolRegistered = true;
    }
    for (const id of [TOOL_GROUP_2D, TOOL_GROUP_MPR]) {
      const group = cornerstoneTools.ToolGroupManager.getToolGroup(id);
      if (!group || group.hasTool?.(toolNames.LandmarkPoint)) continue;
      group.addTool(toolNames.LandmarkPoint);
      group.setToolPassive(toolNames.LandmarkPoint);
    }
    if (!this.removeCsListeners) {
      const events = cornerstoneTools.Enums.Events;
      const names = [
        events.ANNOTATION_ADDED,
        events.ANNOTATION_MODIFIED,
        events.ANNOTATION_REMOVED,
        events.ANNOTATION_COMPLETED,
      ];
      names.forEach((n: string) => cornerstone.eventTarget.addEventListener(n, this.onCsEvent));
      this.removeCsListeners = () =>
        names.forEach((n: string) =>
          cornerstone.eventTarget.removeEventListener(n, this.onCsEvent),
        );
    }
    // SRs a previous page could not store (PACS down) are sent now.
    void this.resultQueue()
      .resume()
      .catch(() => undefined);
  }

  /** What the landmark tool draws: names on or off, X_β of the selected review landmark. */
  private display(): LandmarkDisplay {
    const selected = this.selected
      ? this.currentAnnotations().find((a) => a.data.label === this.selected)
      : undefined;
    return { showNames: this.showNames, adjustedFor: selected?.annotationUID };
  }

  /** Shows or hides the landmark names on every viewport (2D and the three MPR views). */
  setShowNames(show: boolean): void {
    this.showNames = show;
    this.renderAll();
    this.notify();
  }

  /** Re-renders every Cornerstone viewport of the host (annotations are redrawn with them). */
  private renderAll(): void {
    const engines = this.libs().cornerstone.getRenderingEngines?.();
    if (!engines) return this.activeViewport()?.render();
    for (const engine of engines) engine.render?.();
  }

  /** The outage-proof queue every stored SR goes through (IndexedDB, created on first use). */
  private resultQueue(): PacsResultQueue {
    this.results ??= new PacsResultQueue(
      new IndexedDbQueueStorage(),
      (file, studyUid) => {
        const pacs = this.pacs();
        return stowRs(pacs.wadoRoot, pacs.headers, file, `an SR of study ${studyUid}`);
      },
      (status) => {
        const stored = status.waiting < this.queueStatus.waiting;
        this.queueStatus = status;
        if (stored) this.srCache.clear();
        this.notify();
      },
    );
    return this.results;
  }

  /** Tries every SR waiting for the PACS now ("Retry now"). */
  async retryQueue(): Promise<QueueStatus> {
    await this.resultQueue().retryNow();
    return this.queueStatus;
  }

  /** Stops listening to Cornerstone (mode exit). */
  dispose(): void {
    this.results?.stop();
    this.removeCsListeners?.();
    this.removeCsListeners = undefined;
    this.annotating = false;
  }

  /** Sets the template's landmark names and makes a click on the image place the next one. */
  startAnnotating(names: string[]): void {
    this.names = [...names];
    const { cornerstoneTools } = this.libs();
    const primary = [{ mouseButton: cornerstoneTools.Enums.MouseBindings.Primary }];
    for (const id of [TOOL_GROUP_2D, TOOL_GROUP_MPR]) {
      const group = cornerstoneTools.ToolGroupManager.getToolGroup(id);
      if (!group) continue;
      const current = group.getActivePrimaryMouseButtonTool?.();
      if (current && current !== toolNames.LandmarkPoint) group.setToolPassive(current);
      group.setToolActive(toolNames.LandmarkPoint, { bindings: primary });
    }
    this.annotating = true;
    this.notify();
  }

  /** Gives the primary button back to window/level. */
  stopAnnotating(): void {
    const { cornerstoneTools } = this.libs();
    const primary = [{ mouseButton: cornerstoneTools.Enums.MouseBindings.Primary }];
    for (const id of [TOOL_GROUP_2D, TOOL_GROUP_MPR]) {
      const group = cornerstoneTools.ToolGroupManager.getToolGroup(id);
      if (!group) continue;
      group.setToolPassive(toolNames.LandmarkPoint);
      group.setToolActive('WindowLevel', { bindings: primary });
    }
    this.annotating = false;
    this.notify();
  }

  /** The active Cornerstone viewport, or undefined while none is ready. */
  private activeViewport(): any {
    const { viewportGridService, cornerstoneViewportService } = this.ctx.servicesManager.services;
    const id = viewportGridService?.getActiveViewportId();
    return id ? (cornerstoneViewportService as any)?.getCornerstoneViewport?.(id) : undefined;
  }

  private targetOf(viewport: any): Target | undefined {
    if (!viewport) return undefined;
    if (typeof viewport.getFrameOfReferenceUID === 'function' && viewport.type === 'orthographic') {
      return { frameOfReferenceUid: viewport.getFrameOfReferenceUID() };
    }
    const imageId = viewport.getCurrentImageId?.();
    return imageId ? { imageId } : undefined;
  }

  private annotationsOn(target: Target): PointAnnotation[] {
    const all =
      this.libs().cornerstoneTools.annotation.state.getAllAnnotations() as PointAnnotation[];
    return landmarkAnnotations(all, target);
  }

  private nextFor(imageId: string | undefined): string | undefined {
    const target = imageId ? { imageId } : this.targetOf(this.activeViewport());
    if (!target) return undefined;
    const next = nextLandmark(this.names, this.annotationsOn(target));
    queueMicrotask(this.notify);
    return next;
  }

  /** Current annotation state for the panel. */
  getState(): AnnotationState {
    let placed: string[] = [];
    try {
      const target = this.targetOf(this.activeViewport());
      if (target && this.cs) placed = this.annotationsOn(target).map((a) => a.data.label ?? '');
    } catch {
      placed = [];
    }
    return {
      names: this.names,
      annotating: this.annotating,
      placed,
      next: this.names.find((n) => !placed.includes(n)),
      review: this.reviewRows(),
      selected: this.selected,
      loadedSr: this.loadedSr,
      showNames: this.showNames,
      queue: this.queueStatus,
    };
  }

  private currentAnnotations(): PointAnnotation[] {
    try {
      const target = this.targetOf(this.activeViewport());
      return target && this.cs ? this.annotationsOn(target) : [];
    } catch {
      return [];
    }
  }

  private effectiveStatus(a: PointAnnotation): LandmarkStatus {
    const d = a.data as PointAnnotation['data'] & ReviewData;
    const stored = a.data.landmarkStatus ?? 'manual';
    const p = a.data.handles.points[0];
    const o = d.originalPoint;
    const moved = !!o && Math.hypot(p[0] - o[0], p[1] - o[1], (p[2] ?? 0) - (o[2] ?? 0)) > 1e-3;
    return reviewedStatus(stored, d.decision, moved);
  }

  private reviewRows(): ReviewRow[] {
    if (!this.loadedSr) return [];
    return this.currentAnnotations()
      .filter((a) => (a.data as ReviewData).originalPoint)
      .map((a) => ({
        name: a.data.label ?? '',
        stored: a.data.landmarkStatus ?? 'manual',
        status: this.effectiveStatus(a),
        ...(a.data.deviationMm !== undefined ? { deviationMm: a.data.deviationMm } : {}),
        ...(a.data.adjustedPoint ? { hasAdjusted: true } : {}),
        ...(a.data.confidence !== undefined ? { confidence: a.data.confidence } : {}),
      }));
  }

  /**
   * Draws the landmarks of an SR on the active 2D viewport (replacing ours there), coloured by status,
   * ready for review. SR positions and Cornerstone's image coordinates share the SCOORD pixel-corner
   * convention (see landmarkAnnotations.ts).
   */
  loadSr(info: LandmarkSrInfo): void {
    const { cornerstone, cornerstoneTools } = this.libs();
    const viewport = this.activeViewport();
    const imageId: string | undefined = viewport?.getCurrentImageId?.();
    if (!viewport || !imageId || !this.Tool)
      throw new Error('landmarks: the image is not ready yet');
    if (info.set.dimension !== 2)
      throw new Error('landmarks: review of 3D SRs is not supported yet');
    const state = cornerstoneTools.annotation.state;
    for (const a of this.annotationsOn({ imageId })) state.removeAnnotation(a.annotationUID);
    for (const l of info.set.landmarks) {
      const world = cornerstone.utilities.imageToWorldCoords(imageId, [
        l.position[0],
        l.position[1],
      ]);
      const ann = this.Tool.createAnnotationForViewport(viewport, {
        data: { handles: { points: [[...world]] } },
      });
      const adjusted = l.adjustedPosition;
      Object.assign(ann.data, {
        label: l.name,
        landmarkStatus: l.status,
        deviationMm: l.deviationMm,
        confidence: l.confidence,
        originalPoint: [...world],
        ...(adjusted?.length === 2
          ? {
              adjustedPosition: [...adjusted],
              adjustedPoint: [
                ...cornerstone.utilities.imageToWorldCoords(imageId, [adjusted[0], adjusted[1]]),
              ],
            }
          : {}),
      });
      state.addAnnotation(ann, viewport.element);
      this.restyle(ann);
    }
    this.names = info.set.landmarks.map((l) => l.name);
    this.loadedSr = info.sr.sopUid;
    this.selected = undefined;
    viewport.render();
    this.notify();
  }

  private syncing = false;

  /**
   * 3D landmarks in all three MPR views: a point annotation belongs to one view plane, so each 3D
   * landmark gets a locked, display-only copy in the other MPR views (same world point, moved with
   * it), and those views jump to the slice through a new landmark. Copies are never saved.
   */
  private syncMprCopies(): void {
    if (this.syncing || !this.Tool) return;
    const { viewportGridService, cornerstoneViewportService } = this.ctx.servicesManager.services;
    const viewports = MPR_VIEWPORT_IDS.map((id) =>
      (cornerstoneViewportService as any)?.getCornerstoneViewport?.(id),
    ).filter((v: any) => v?.type === 'orthographic');
    if (viewports.length < 2 || !viewportGridService) return;
    this.syncing = true;
    try {
      const { cornerstoneTools } = this.libs();
      const { state, locking } = cornerstoneTools.annotation;
      const ours = (state.getAllAnnotations() as any[]).filter(
        (a) => a.metadata?.toolName === toolNames.LandmarkPoint,
      );
      const frame = viewports[0].getFrameOfReferenceUID?.();
      const primaries = ours.filter(
        (a) => !a.data.companionOf && frame && a.metadata.FrameOfReferenceUID === frame,
      );
      const alive = new Set(primaries.map((a) => a.annotationUID));
      for (const c of ours.filter((a) => a.data.companionOf && !alive.has(a.data.companionOf))) {
        state.removeAnnotation(c.annotationUID);
      }
      for (const p of primaries) {
        const point = p.data.handles.points[0];
        for (const vp of viewports) {
          const n = vp.getCamera().viewPlaneNormal;
          const pn = p.metadata.viewPlaneNormal ?? [0, 0, 0];
          if (Math.abs(n[0] * pn[0] + n[1] * pn[1] + n[2] * pn[2]) > 0.99) continue;
          const copy = ours.find(
            (a) => a.data.companionOf === p.annotationUID && a.data.companionViewport === vp.id,
          );
          if (!copy) {
            // Jump first, so the copy's view metadata is taken on the slice through the point.
            vp.jumpToWorld?.(point);
            const c = this.Tool.createAnnotationForViewport(vp, {
              data: { handles: { points: [[...point]] } },
            });
            Object.assign(c.data, {
              label: p.data.label,
              companionOf: p.annotationUID,
              companionViewport: vp.id,
            });
            state.addAnnotation(c, vp.element);
            locking?.setAnnotationLocked?.(c.annotationUID, true);
          } else if (copy.data.handles.points[0].some((v: number, i: number) => v !== point[i])) {
            copy.data.handles.points[0] = [...point];
            copy.invalidated = true;
          }
        }
      }
      viewports.forEach((vp: any) => vp.render());
    } finally {
      this.syncing = false;
    }
  }

  /** Colours a landmark (and its MPR copies) by its status after review (STATUS_COLOURS). */
  private restyle(a: PointAnnotation): void {
    const colour = STATUS_COLOURS[this.effectiveStatus(a)];
    const { annotation } = this.libs().cornerstoneTools;
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

  /** Loads the study's current landmark SR for the image on screen; false when there is none. */
  async loadCurrentSr(studyUid: string): Promise<boolean> {
    const viewport = this.activeViewport();
    if (viewport?.type === 'orthographic') return this.loadCurrentSr3D(studyUid, viewport);
    const imageId: string | undefined = viewport?.getCurrentImageId?.();
    if (!imageId) return false;
    const sop = this.libs().cornerstone.metaData.get('instance', imageId)?.SOPInstanceUID;
    const info = (await this.listSrs(studyUid)).find(
      (i) => i.set.dimension === 2 && (!sop || i.set.sopUids.includes(sop)),
    );
    if (!info) return false;
    this.loadSr(info);
    return true;
  }

  /**
   * Draws the current 3D landmark SR of the volume on screen (same Frame of Reference) in the active
   * MPR view; syncMprCopies then shows each point in the other two views. Positions are patient mm.
   */
  private async loadCurrentSr3D(studyUid: string, viewport: any): Promise<boolean> {
    const frame = viewport.getFrameOfReferenceUID?.();
    const info = (await this.listSrs(studyUid)).find(
      (i) => i.set.dimension === 3 && i.set.frameOfReferenceUid === frame,
    );
    if (!info || !this.Tool) return false;
    const { state } = this.libs().cornerstoneTools.annotation;
    for (const a of this.annotationsOn({ frameOfReferenceUid: frame })) {
      state.removeAnnotation(a.annotationUID);
    }
    for (const l of info.set.landmarks) {
      const point = l.position.slice(0, 3);
      if (point.length !== 3 || !point.every(Number.isFinite)) continue;
      viewport.jumpToWorld?.(point);
      const ann = this.Tool.createAnnotationForViewport(viewport, {
        data: { handles: { points: [[...point]] } },
      });
      const adjusted = l.adjustedPosition;
      Object.assign(ann.data, {
        label: l.name,
        landmarkStatus: l.status,
        deviationMm: l.deviationMm,
        confidence: l.confidence,
        originalPoint: [...point],
        // 3D: X_β is already a world point (patient mm).
        ...(adjusted?.length === 3
          ? { adjustedPosition: [...adjusted], adjustedPoint: [...adjusted] }
          : {}),
      });
      state.addAnnotation(ann, viewport.element);
      this.restyle(ann);
    }
    this.names = info.set.landmarks.map((l) => l.name);
    this.loadedSr = info.sr.sopUid;
    this.syncMprCopies();
    viewport.render();
    this.notify();
    return true;
  }

  /** Selects a landmark for review (highlights it). */
  select(name: string): void {
    const a = this.currentAnnotations().find((x) => x.data.label === name);
    if (!a) throw new Error(`landmarks: ${name} is not on the image`);
    this.selected = name;
    const selection = this.libs().cornerstoneTools.annotation.selection;
    selection.setAnnotationSelected(a.annotationUID, true);
    // 3D: every MPR view jumps to the slice through the landmark (a 2D image is shown whole).
    const viewport = this.activeViewport();
    if (viewport?.type === 'orthographic') {
      const point = a.data.handles.points[0];
      for (const id of MPR_VIEWPORT_IDS) {
        const vp = (
          this.ctx.servicesManager.services.cornerstoneViewportService as any
        )?.getCornerstoneViewport?.(id);
        vp?.jumpToWorld?.(point);
      }
    }
    this.renderAll();
    this.notify();
  }

  /**
   * Moves the selected landmark (or `name`) to its shape-adjusted position X_β from the SR; it then
   * counts as corrected (it moved) and is saved so by "Save SR".
   */
  useAdjusted(name = this.selected): void {
    const a = this.currentAnnotations().find((x) => x.data.label === name);
    if (!a) throw new Error('landmarks: select a landmark first');
    const target = a.data.adjustedPoint;
    if (!target) throw new Error(`landmarks: the SR has no shape-adjusted position for ${name}`);
    a.data.handles.points[0] = [...target];
    (a as PointAnnotation & { invalidated?: boolean }).invalidated = true;
    this.restyle(a);
    this.syncMprCopies();
    this.renderAll();
    this.notify();
  }

  /** Selects the next landmark still flagged (after the selected one, wrapping). */
  selectNextFlagged(): string | undefined {
    const rows = this.reviewRows();
    const start = rows.findIndex((r) => r.name === this.selected);
    for (let k = 1; k <= rows.length; k++) {
      const r = rows[(start + k + rows.length) % rows.length];
      if (r.status === 'flagged-abnormal') {
        this.select(r.name);
        return r.name;
      }
    }
    return undefined;
  }

  /** Accepts or rejects the selected landmark (or `name`). */
  decide(decision: 'accepted' | 'rejected', name = this.selected): void {
    const a = this.currentAnnotations().find((x) => x.data.label === name);
    if (!a) throw new Error('landmarks: select a landmark first');
    (a.data as ReviewData).decision = decision;
    this.restyle(a);
    this.activeViewport()?.render();
    this.notify();
  }

  /** The review queue over all studies of the PACS (at most `limit` studies are scanned). */
  async reviewQueue(landmark?: string, limit = 200): Promise<ReviewItem[]> {
    const pacs = this.pacs();
    const res = await fetch(`${pacs.qidoRoot}/studies?limit=${limit}`, {
      headers: { ...pacs.headers, Accept: 'application/dicom+json' },
    });
    if (!res.ok) throw new Error(`PACS ${pacs.qidoRoot}/studies: HTTP ${res.status}`);
    const text = await res.text();
    const studies = (text ? JSON.parse(text) : []) as Array<
      Record<string, { Value?: Array<string | { Alphabetic?: string }> }>
    >;
    const withSrs = [];
    for (const s of studies) {
      const studyUid = String(s['0020000D']?.Value?.[0] ?? '');
      if (!studyUid) continue;
      const pn = s['00100010']?.Value?.[0];
      const patientName = typeof pn === 'object' ? (pn?.Alphabetic ?? '') : String(pn ?? '');
      withSrs.push({ studyUid, patientName, srs: await this.listSrs(studyUid) });
    }
    return buildReviewQueue(withSrs, landmark);
  }

  /** DICOMweb roots and auth of the active data source. */
  pacs(): PacsAccess {
    const [dataSource] = this.ctx.extensionManager.getActiveDataSource();
    const config = dataSource?.getConfig?.();
    if (!config?.qidoRoot || !config.wadoRoot) {
      throw new Error('landmarks: the active data source has no qidoRoot/wadoRoot (DICOMweb)');
    }
    const auth =
      this.ctx.servicesManager.services.userAuthenticationService?.getAuthorizationHeader?.() ?? {};
    return { qidoRoot: config.qidoRoot, wadoRoot: config.wadoRoot, headers: { ...auth } };
  }

  /** Landmark SRs of a study on the PACS, current revisions first. */
  async listSrs(studyUid: string): Promise<LandmarkSrInfo[]> {
    const srs = currentLandmarkSrs(await listLandmarkSrs(this.pacs(), studyUid));
    this.srCache.set(studyUid, srs);
    return srs;
  }

  /**
   * Stores a Part 10 object (an SR) in the active data source's PACS (STOW-RS with OHIF's auth
   * header) through the result queue: kept in IndexedDB first, so that when the PACS is down it waits
   * there ("N results waiting for the PACS"), is retried with back-off and sent after a reload.
   * Resolves `queued` in that case; rejects when the PACS refuses the object.
   */
  async storeDicom(buffer: ArrayBuffer): Promise<SaveOutcome> {
    const ds = readPart10(buffer, 'the SR to store');
    const sopUid = String(ds.SOPInstanceUID ?? '');
    const studyUid = String(ds.StudyInstanceUID ?? '');
    if (!sopUid || !studyUid) throw new Error('landmarks: the SR to store has no SOP/study UID');
    return this.resultQueue().save(sopUid, studyUid, buffer);
  }

  /** The study's current SRs, or the last ones seen when the PACS cannot be reached. */
  private async srsForRevision(studyUid: string): Promise<LandmarkSrInfo[]> {
    try {
      return await this.listSrs(studyUid);
    } catch (err) {
      const cached = this.srCache.get(studyUid);
      if (cached) return cached;
      throw err;
    }
  }

  /** The landmark set drawn on the active viewport, in template order. */
  currentLandmarkSet(): LandmarkSet {
    const { cornerstone } = this.libs();
    const viewport = this.activeViewport();
    const target = this.targetOf(viewport);
    const study = getCurrentStudy(this.ctx.servicesManager.services);
    if (!target || !study) throw new Error('landmarks: no image in the active viewport');
    const annotations = this.annotationsOn(target).map((a) => ({
      ...a,
      data: { ...a.data, landmarkStatus: this.effectiveStatus(a) },
    }));
    const ds = study.displaySet;
    if ('imageId' in target) {
      const inst = (cornerstone.metaData.get('instance', target.imageId) ??
        ds.instances?.[0]) as Record<string, string>;
      return toLandmarkSet2D(
        this.names,
        annotations,
        (w) => cornerstone.utilities.worldToImageCoords(target.imageId, w),
        {
          studyUid: ds.StudyInstanceUID,
          seriesUid: inst.SeriesInstanceUID ?? ds.SeriesInstanceUID,
          sopUid: inst.SOPInstanceUID,
          sopClassUid: inst.SOPClassUID,
        },
      );
    }
    const instances = (ds.instances ?? []) as Array<Record<string, string>>;
    return toLandmarkSet3D(this.names, annotations, {
      studyUid: ds.StudyInstanceUID,
      seriesUid: ds.SeriesInstanceUID,
      sopUids: instances.map((i) => i.SOPInstanceUID),
      sopClassUid: instances[0]?.SOPClassUID ?? '',
      frameOfReferenceUid: target.frameOfReferenceUid,
    });
  }

  /**
   * Saves the active viewport's landmarks as a landmark SR through the data source (STOW-RS). When the
   * series already has a landmark SR, the new one is a revision of it (new SOP Instance UID that lists
   * the old one as predecessor).
   */
  async save(set: LandmarkSet = this.currentLandmarkSet()): Promise<SaveResult> {
    if (set.landmarks.length === 0) throw new Error('landmarks: nothing placed yet');
    const study = getCurrentStudy(this.ctx.servicesManager.services);
    const instance = (study?.displaySet.instances?.[0] ?? {}) as Record<string, unknown>;
    const previous = (await this.srsForRevision(set.studyUid)).find(
      (i) => i.set.seriesUid === set.seriesUid,
    );
    const seriesUid = previous?.sr.seriesUid ?? randomUid();
    const sopUid = randomUid();
    const buffer = writeLandmarkSr(set, {
      study: studyIdentityOf({ ...instance, StudyInstanceUID: set.studyUid }),
      seriesUid,
      sopUid,
      observerName: 'Reviewer^OHIF',
      seriesDescription: 'Landmarks',
      ...(previous ? { predecessor: previous.sr } : {}),
    });
    const outcome = await this.storeDicom(buffer);
    if (this.loadedSr && outcome === 'stored') await this.loadCurrentSr(set.studyUid);
    this.notify();
    return {
      sopUid,
      seriesUid,
      count: set.landmarks.length,
      revises: previous?.sr.sopUid,
      outcome,
    };
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
