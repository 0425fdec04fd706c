import type { ExtensionManager } from '../types.ts';

/**
 * The host's Cornerstone3D libraries, typed loosely: we never bundle a second copy (its state — the
 * rendering engines, annotation store — lives in the host). Reached through OHIF's cornerstone
 * extension utility module (../shared/notes/ohif-runtime-plugins.md).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface CornerstoneLibraries {
  cornerstone: any;
  cornerstoneTools: any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const COMMON = '@ohif/extension-cornerstone.utilityModule.common';

/** Returns the host's cornerstone core and tools; throws a clear error when the host has none. */
export function getCornerstone(extensionManager: ExtensionManager): CornerstoneLibraries {
  const entry = extensionManager.getModuleEntry(COMMON);
  const get = entry?.exports?.getCornerstoneLibraries as (() => CornerstoneLibraries) | undefined;
  if (!get) throw new Error(`landmarks: the viewer has no ${COMMON} (Cornerstone extension)`);
  return get();
}
