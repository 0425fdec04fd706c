import type { DisplaySet, Services } from '../types.ts';

/** What the panel shows about the study in the active viewport. */
export interface StudySummary {
  StudyInstanceUID: string;
  /** Display set shown in the active viewport. */
  displaySet: DisplaySet;
  /** Modalities of the study's loaded display sets, sorted, e.g. ['DX', 'SR']. */
  modalities: string[];
  /** SR display sets of the study (candidate landmark SRs), newest last as OHIF lists them. */
  srDisplaySets: DisplaySet[];
}

/**
 * Reads the active viewport's display set and its study's display sets from OHIF's services.
 * Returns undefined while no viewport shows anything (study still loading).
 */
export function getCurrentStudy(services: Services): StudySummary | undefined {
  const { viewportGridService, displaySetService } = services;
  if (!viewportGridService || !displaySetService) return undefined;
  const state = viewportGridService.getState();
  const viewport = state.viewports.get(state.activeViewportId);
  const uid = viewport?.displaySetInstanceUIDs?.[0];
  const displaySet = uid ? displaySetService.getDisplaySetByUID(uid) : undefined;
  if (!displaySet) return undefined;
  const sameStudy = displaySetService
    .getActiveDisplaySets()
    .filter((ds) => ds.StudyInstanceUID === displaySet.StudyInstanceUID);
  const modalities = [...new Set(sameStudy.map((ds) => ds.Modality).filter(isString))].sort();
  return {
    StudyInstanceUID: displaySet.StudyInstanceUID,
    displaySet,
    modalities,
    srDisplaySets: sameStudy.filter((ds) => ds.Modality === 'SR'),
  };
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Events after which the current study may have changed. */
export function studyChangeEvents(services: Services): Array<[service: string, event: string]> {
  const out: Array<[string, string]> = [];
  const grid = services.viewportGridService?.EVENTS ?? {};
  const ds = services.displaySetService?.EVENTS ?? {};
  for (const key of ['ACTIVE_VIEWPORT_ID_CHANGED', 'GRID_STATE_CHANGED', 'VIEWPORTS_READY']) {
    if (grid[key]) out.push(['viewportGridService', grid[key]]);
  }
  for (const key of ['DISPLAY_SETS_ADDED', 'DISPLAY_SETS_CHANGED', 'DISPLAY_SETS_REMOVED']) {
    if (ds[key]) out.push(['displaySetService', ds[key]]);
  }
  return out;
}
