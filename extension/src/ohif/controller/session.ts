import type { QueueStatus } from '../services/pacsResultQueue.ts';
import type { LandmarkTemplate } from '../templates.ts';
import type { LabelOptions } from '../tools/labelText.ts';
import type { OhifContext } from '../types.ts';
import type { MoveHistory } from './moveHistory.ts';
import type { ViewerAccess } from './viewerAccess.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The controller's mutable fields, shared by the concern files of this folder. */
export interface ControllerFields {
  /**
   * Landmark names of the template being annotated, or of the loaded SR's template (its full list,
   * so a partial SR is continued where it stopped).
   */
  names: string[];
  /** Id of the template `names` come from (written into the SR); undefined when none is known. */
  templateId?: string;
  /** The viewer's templates (built-in and from the configuration). */
  templates: readonly LandmarkTemplate[];
  /** Status line of the last press on a landmark point: which one it grabbed, and why. */
  pick?: string;
  /** Landmark moves, for "Undo move". */
  history: MoveHistory;
  annotating: boolean;
  /** Landmark selected for review. */
  selected?: string;
  /** SOP Instance UID of the SR whose landmarks are shown. */
  loadedSr?: string;
  /** How landmark labels are drawn (all viewports): on/off, numbers only, hidden ones. */
  labels: LabelOptions;
  /** SRs kept in the browser until the PACS accepts them. */
  queue: QueueStatus;
  /** The registered landmark tool class (created from the host's ProbeTool). */
  Tool?: any;
  /** Re-entrancy guard of syncMprCopies (its own annotation events call it again). */
  syncing: boolean;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** What every concern of the controller works on. */
export interface Session {
  ctx: OhifContext;
  view: ViewerAccess;
  state: ControllerFields;
  /** Tells the panel that the state changed. */
  notify: () => void;
}

/** Our extra per-annotation data for review (set when an SR is loaded, and by decisions). */
export interface ReviewData {
  /** World point the landmark was loaded at: a move away from it makes it "corrected". */
  originalPoint?: number[];
  decision?: 'accepted' | 'rejected';
}
