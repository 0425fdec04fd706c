import { HP_2D, HP_MPR, MODE_ID, PANEL_ID, ROUTE_NAME } from '../../extension/src/ohif/id.ts';
import { hotkeyCustomization } from './hotkeys.ts';
import isValidMode from './isValidMode.ts';

/** The built-in mode we extend for its tool groups, toolbar and viewports. */
const BASIC_MODE = '@ohif/mode-basic';

/** Minimal shape of an OHIF mode instance, as far as we read or write it. */
interface ModeInstance {
  id: string;
  routeName: string;
  displayName: string;
  hide?: boolean;
  routes: Array<{ path: string; layoutInstance?: Layout; layoutTemplate?: () => unknown }>;
  extensions: Record<string, string>;
  hangingProtocol: string | string[];
  isValidMode: typeof isValidMode;
  [key: string]: unknown;
}

/** What OHIF passes to a mode's onModeEnter (the part we use). */
interface EnterArgs {
  commandsManager: { runCommand(name: string, options?: Record<string, unknown>): unknown };
  servicesManager?: {
    services: { customizationService?: { setCustomizations(c: Record<string, unknown>): void } };
  };
  [key: string]: unknown;
}

interface Layout {
  id: string;
  props: { rightPanels?: string[]; rightPanelClosed?: boolean; [key: string]: unknown };
}

/**
 * Our extension, keyed by its URL: the mode route loads every key of `extensions` with `import()`, so
 * a package name would not resolve (../shared/notes/ohif-runtime-plugins.md). Computed lazily so that
 * importing this module has no side effects.
 */
function extensionUrl(): string {
  return new URL('./extension.js', import.meta.url).href;
}

/**
 * Builds the landmarks mode from the built-in basic mode (handed to us by OHIF's `loadModules`): same
 * tool groups, toolbar, SOP class handlers and viewports; our panel on the right, our hanging protocols
 * (MPR for CT/CBCT volumes, one viewport for X-rays), listed for DX/CR/CT studies.
 */
export function buildMode(basic: ModeInstance, extensionKey: string): ModeInstance {
  const baseRoute = basic.routes[0];
  const baseLayout = baseRoute.layoutInstance as Layout;
  const layoutInstance: Layout = {
    ...baseLayout,
    props: { ...baseLayout.props, rightPanels: [PANEL_ID], rightPanelClosed: false },
  };
  const route = {
    ...baseRoute,
    path: ROUTE_NAME,
    layoutInstance,
    layoutTemplate(this: { layoutInstance: Layout }) {
      return structuredCloneLayout(this.layoutInstance);
    },
  };
  const baseEnter = basic.onModeEnter as ((this: unknown, args: EnterArgs) => void) | undefined;
  return {
    ...basic,
    /**
     * Basic's tool groups first, then our landmark tool is added to them; our hotkeys join the host's
     * bindings (OHIF reads them right after onModeEnter).
     */
    onModeEnter(this: unknown, args: EnterArgs) {
      baseEnter?.call(this, args);
      args.commandsManager.runCommand('landmarksInitTools');
      args.servicesManager?.services.customizationService?.setCustomizations(hotkeyCustomization());
    },
    id: MODE_ID,
    routeName: ROUTE_NAME,
    displayName: 'Landmarks',
    hide: false,
    routes: [route],
    extensions: { ...basic.extensions, [extensionKey]: '^0.1.0' },
    hangingProtocol: [HP_MPR, HP_2D],
    isValidMode,
  };
}

/** Deep copy of plain layout data (panels and viewports lists are data only). */
function structuredCloneLayout(layout: Layout): Layout {
  return JSON.parse(JSON.stringify(layout)) as Layout;
}

const mode = {
  id: MODE_ID,
  /** Called by OHIF at start-up with its module loader. */
  async modeFactory({
    loadModules,
  }: {
    modeConfiguration?: unknown;
    loadModules: (names: string[]) => Promise<Array<{ modeInstance?: ModeInstance }>>;
  }): Promise<ModeInstance> {
    const [basic] = await loadModules([BASIC_MODE]);
    if (!basic?.modeInstance) {
      throw new Error(`${MODE_ID}: the host has no ${BASIC_MODE} to build on`);
    }
    return buildMode(basic.modeInstance, extensionUrl());
  },
};

export default mode;
