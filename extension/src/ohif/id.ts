/**
 * The only source of the extension's names and IDs (style guide: `id.ts` and `toolNames.ts`).
 * OHIF addresses modules as `<extensionId>.<moduleType>.<name>`.
 */

/** Extension id, as registered with OHIF's ExtensionManager. */
export const EXTENSION_ID = 'ohif-landmarks';

/** Mode id and the route segment of the viewer URL (`/landmarks?StudyInstanceUIDs=…`). */
export const MODE_ID = 'ohif-landmarks-mode';
export const ROUTE_NAME = 'landmarks';

/** Right-hand panel. */
export const PANEL_NAME = 'landmarks';
export const PANEL_ID = `${EXTENSION_ID}.panelModule.${PANEL_NAME}`;

/** Hanging protocols: one viewport for 2D X-rays, axial/sagittal/coronal MPR for CT/CBCT volumes. */
export const HP_2D = 'ohif-landmarks-2d';
export const HP_MPR = 'ohif-landmarks-mpr';

/** Tool groups (created by the built-in basic mode's initToolGroups, reused here). */
export const TOOL_GROUP_2D = 'default';
export const TOOL_GROUP_MPR = 'mpr';

/** DOM hooks that tests and users can rely on. */
export const PANEL_TEST_ID = 'landmarks-panel';
