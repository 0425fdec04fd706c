import type { LandmarkSrInfo } from '../dicom/srReader.ts';
import type { LandmarkSet } from '../dicom/types.ts';
import { loadLabelOptions, saveLabelOptions, withLabelOptions } from './controller/labelOptions.ts';
import { MoveHistory } from './controller/moveHistory.ts';
import { undoMove } from './controller/moves.ts';
import { syncMprCopies } from './controller/mprCopies.ts';
import * as review from './controller/reviewDecisions.ts';
import type { ReviewRow } from './controller/reviewDecisions.ts';
import { currentLandmarkSet, saveLandmarkSr, type SaveResult } from './controller/saving.ts';
import type { Session } from './controller/session.ts';
import { loadCurrentSr, loadSr } from './controller/srLoading.ts';
import { SrStore } from './controller/srStore.ts';
import { initTools, setAnnotating } from './controller/toolSetup.ts';
import { ViewerAccess } from './controller/viewerAccess.ts';
import type { PacsAccess } from './services/landmarkSrStore.ts';
import type { QueueStatus, SaveOutcome } from './services/pacsResultQueue.ts';
import type { ReviewItem } from './services/reviewQueue.ts';
import { BUILTIN_TEMPLATES, type LandmarkTemplate } from './templates.ts';
import type { LabelOptions } from './tools/labelText.ts';
import type { OhifContext } from './types.ts';

export type { ReviewRow, SaveResult };

/** What the panel shows about the annotation in progress. */
export interface AnnotationState {
  /** Every landmark of the template (a loaded partial SR: its template's full list). */
  names: string[];
  /** Template of `names` (the loaded SR's, or the one being annotated); undefined when unknown. */
  templateId?: string;
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
  /** Labels show each landmark's number in its template (1..n) instead of its name. */
  numbersOnly: boolean;
  /** Landmarks whose label is hidden (their points stay). */
  hiddenNames: string[];
  /** SRs kept in the browser until the PACS accepts them. */
  queue: QueueStatus;
  /** Which landmark the last press on the image grabbed, and why (or what an undo did). */
  pick?: string;
  /** Name of the landmark whose move "Undo move" (Ctrl+Z) would revert. */
  undo?: string;
}

/**
 * The extension's state and its bridge to Cornerstone and the PACS, created once per extension
 * registration (never at import time). Commands are thin wrappers over these methods; the work is in
 * controller/ (tool set-up, SR loading, review decisions, MPR copies, saving, the PACS store).
 */
export class LandmarksController {
  private listeners = new Set<() => void>();
  private readonly s: Session;
  private readonly store: SrStore;
  private removeCsListeners?: () => void;

  constructor(ctx: OhifContext) {
    this.s = {
      ctx,
      view: new ViewerAccess(ctx),
      state: {
        names: [],
        annotating: false,
        labels: loadLabelOptions(),
        queue: { waiting: 0, refused: 0 },
        syncing: false,
        templates: BUILTIN_TEMPLATES,
        history: new MoveHistory(),
      },
      notify: () => this.listeners.forEach((l) => l()),
    };
    this.store = new SrStore(ctx, (status) => {
      this.s.state.queue = status;
      this.s.notify();
    });
  }

  /** The viewer's landmark templates (built-in and from the configuration). */
  get templates(): readonly LandmarkTemplate[] {
    return this.s.state.templates;
  }

  /** Sets the templates (from the app configuration, see getPanelModule.ts). */
  setTemplates(templates: readonly LandmarkTemplate[]): void {
    this.s.state.templates = templates;
  }

  /** Subscribe to state changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Annotation events: re-colour reviewed landmarks (a drag makes one "corrected"), then notify. */
  private onCsEvent = () => {
    syncMprCopies(this.s);
    for (const a of this.s.view.currentAnnotations()) review.restyle(this.s, a);
    this.s.notify();
  };

  /** Registers the landmark tool and adds it (passive) to the mode's tool groups; resumes the queue. */
  initTools(): void {
    const remove = initTools(this.s, this.onCsEvent, !!this.removeCsListeners);
    this.removeCsListeners ??= remove;
    // SRs a previous page could not store (PACS down) are sent now.
    this.store.resume();
  }

  /** Shows or hides the landmark names on every viewport (2D and the three MPR views). */
  setShowNames(show: boolean): void {
    this.setLabelOptions({ showNames: show });
  }

  /**
   * Changes how labels are drawn on every viewport (names on/off, numbers only, hidden landmarks;
   * fields left out keep their value) and keeps the choice for the browser tab's session.
   */
  setLabelOptions(patch: Partial<LabelOptions>): void {
    this.s.state.labels = withLabelOptions(this.s.state.labels, patch);
    saveLabelOptions(this.s.state.labels);
    this.s.view.renderAll();
    this.s.notify();
  }

  /** Tries every SR waiting for the PACS now ("Retry now"). */
  retryQueue(): Promise<QueueStatus> {
    return this.store.retryNow();
  }

  /** Stops listening to Cornerstone (mode exit). */
  dispose(): void {
    this.store.stop();
    this.removeCsListeners?.();
    this.removeCsListeners = undefined;
    this.s.state.annotating = false;
  }

  /**
   * Sets the template's landmark names (template `templateId`) and makes a click on the image place the
   * next one not placed yet.
   */
  startAnnotating(names: string[], templateId?: string): void {
    setAnnotating(this.s, true, names, templateId);
  }

  /** Reverts the newest landmark move; its name, or undefined when there is none. */
  undoMove(): string | undefined {
    return undoMove(this.s);
  }

  /** Gives the primary button back to window/level. */
  stopAnnotating(): void {
    setAnnotating(this.s, false);
  }

  /** Current annotation state for the panel. */
  getState(): AnnotationState {
    const { state, view } = this.s;
    const placed = view.currentAnnotations().map((a) => a.data.label ?? '');
    return {
      names: state.names,
      ...(state.templateId !== undefined ? { templateId: state.templateId } : {}),
      annotating: state.annotating,
      placed,
      next: state.names.find((n) => !placed.includes(n)),
      review: review.reviewRows(this.s),
      selected: state.selected,
      loadedSr: state.loadedSr,
      showNames: state.labels.showNames,
      numbersOnly: state.labels.numbersOnly,
      hiddenNames: [...state.labels.hidden],
      queue: state.queue,
      ...(state.pick !== undefined ? { pick: state.pick } : {}),
      ...(state.history.last() ? { undo: state.history.last()!.name } : {}),
    };
  }

  /** Draws the landmarks of a 2D SR on the active viewport for review (see srLoading.ts). */
  loadSr(info: LandmarkSrInfo): void {
    loadSr(this.s, info);
  }

  /** Loads the study's current landmark SR for what is on screen (2D or MPR); false when none. */
  loadCurrentSr(studyUid: string): Promise<boolean> {
    return loadCurrentSr(this.s, studyUid, (uid) => this.listSrs(uid));
  }

  /** Selects a landmark for review (highlights it; in 3D the MPR views jump to it). */
  select(name: string): void {
    review.select(this.s, name);
  }

  /** Moves the selected landmark (or `name`) to its shape-adjusted position X_β (corrected). */
  useAdjusted(name?: string): void {
    review.useAdjusted(this.s, name);
  }

  /** Selects the next landmark still flagged (after the selected one, wrapping). */
  selectNextFlagged(): string | undefined {
    return review.selectNextFlagged(this.s);
  }

  /** Accepts or rejects the selected landmark (or `name`). */
  decide(decision: 'accepted' | 'rejected', name?: string): void {
    review.decide(this.s, decision, name);
  }

  /** The review queue over all studies of the PACS (at most `limit` studies are scanned). */
  reviewQueue(landmark?: string, limit = 200): Promise<ReviewItem[]> {
    return this.store.reviewQueue(landmark, limit);
  }

  /** DICOMweb roots and auth of the active data source. */
  pacs(): PacsAccess {
    return this.store.pacs();
  }

  /** Landmark SRs of a study on the PACS, current revisions first. */
  listSrs(studyUid: string): Promise<LandmarkSrInfo[]> {
    return this.store.listSrs(studyUid);
  }

  /** Stores a Part 10 SR through the outage-proof result queue (`queued` while the PACS is down). */
  storeDicom(buffer: ArrayBuffer): Promise<SaveOutcome> {
    return this.store.storeDicom(buffer);
  }

  /** The landmark set drawn on the active viewport, in template order. */
  currentLandmarkSet(): LandmarkSet {
    return currentLandmarkSet(this.s);
  }

  /**
   * Saves the active viewport's landmarks as a landmark SR (a revision when the series has one); once
   * stored, a loaded review SR is re-read so the panel shows the new revision.
   */
  async save(set: LandmarkSet = this.currentLandmarkSet()): Promise<SaveResult> {
    const result = await saveLandmarkSr(this.s, this.store, set);
    if (this.s.state.loadedSr && result.outcome === 'stored') {
      await this.loadCurrentSr(set.studyUid);
    }
    this.s.notify();
    return result;
  }
}
