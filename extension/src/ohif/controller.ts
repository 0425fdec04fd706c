import { currentLandmarkSrs, type LandmarkSrInfo } from '../dicom/srReader.ts';
import { writeLandmarkSr } from '../dicom/srWriter.ts';
import type { LandmarkSet } from '../dicom/types.ts';
import { randomUid } from '../dicom/uids.ts';
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
import { listLandmarkSrs, type PacsAccess } from './services/landmarkSrStore.ts';
import { studyIdentityOf } from './services/studyIdentity.ts';
import { createLandmarkTool } from './tools/createLandmarkTool.ts';
import { toolNames } from './tools/toolNames.ts';
import type { OhifContext } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the panel shows about the annotation in progress. */
export interface AnnotationState {
  names: string[];
  annotating: boolean;
  /** Names placed on the active image/volume. */
  placed: string[];
  next?: string;
}

/** Result of saving landmarks as an SR. */
export interface SaveResult {
  sopUid: string;
  seriesUid: string;
  count: number;
  revises?: string;
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

  constructor(private readonly ctx: OhifContext) {}

  /** Subscribe to state changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify = () => this.listeners.forEach((l) => l());

  private libs(): CornerstoneLibraries {
    this.cs ??= getCornerstone(this.ctx.extensionManager);
    return this.cs;
  }

  /** Registers the landmark tool with Cornerstone and adds it (passive) to the mode's tool groups. */
  initTools(): void {
    const { cornerstone, cornerstoneTools } = this.libs();
    if (!this.toolRegistered) {
      const Tool = createLandmarkTool(cornerstoneTools, (imageId) => this.nextFor(imageId));
      cornerstoneTools.addTool(Tool);
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
      names.forEach((n: string) => cornerstone.eventTarget.addEventListener(n, this.notify));
      this.removeCsListeners = () =>
        names.forEach((n: string) => cornerstone.eventTarget.removeEventListener(n, this.notify));
    }
  }

  /** Stops listening to Cornerstone (mode exit). */
  dispose(): void {
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
    };
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
    return currentLandmarkSrs(await listLandmarkSrs(this.pacs(), studyUid));
  }

  /** The landmark set drawn on the active viewport, in template order. */
  currentLandmarkSet(): LandmarkSet {
    const { cornerstone } = this.libs();
    const viewport = this.activeViewport();
    const target = this.targetOf(viewport);
    const study = getCurrentStudy(this.ctx.servicesManager.services);
    if (!target || !study) throw new Error('landmarks: no image in the active viewport');
    const annotations = this.annotationsOn(target);
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
    const previous = (await this.listSrs(set.studyUid)).find(
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
    const [dataSource] = this.ctx.extensionManager.getActiveDataSource() as Array<{
      store?: { dicom(b: ArrayBuffer): Promise<unknown> };
    }>;
    if (!dataSource?.store?.dicom) throw new Error('landmarks: the data source cannot store DICOM');
    await dataSource.store.dicom(buffer);
    this.notify();
    return { sopUid, seriesUid, count: set.landmarks.length, revises: previous?.sr.sopUid };
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
