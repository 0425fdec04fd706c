import getHangingProtocolModule from './getHangingProtocolModule.ts';
import getPanelModule from './getPanelModule.ts';
import { EXTENSION_ID } from './id.ts';

/**
 * The OHIF extension (default export, loaded by URL from app-config). Nothing runs at import time:
 * OHIF calls these factories with its managers after registering the extension.
 */
const extension = {
  id: EXTENSION_ID,
  getPanelModule,
  getHangingProtocolModule,
};

export default extension;
