/**
 * The small part of OHIF's run-time API that the extension uses, typed structurally: we never import
 * @ohif/core (a second copy would lose the host's shared state); OHIF passes these objects in.
 */

/** Unsubscribe handle returned by OHIF's PubSub services. */
export interface Subscription {
  unsubscribe(): void;
}

/** A display set as OHIF's DisplaySetService keeps it (fields we read). */
export interface DisplaySet {
  displaySetInstanceUID: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SeriesDescription?: string;
  Modality?: string;
  SOPClassUID?: string;
  isReconstructable?: boolean;
  numImageFrames?: number;
  imageIds?: string[];
  instances?: Array<Record<string, unknown>>;
}

/** Events of a PubSub service: name -> event string. */
type Events = Record<string, string>;

interface PubSub {
  EVENTS: Events;
  subscribe(event: string, callback: (payload: unknown) => void): Subscription;
}

export interface ViewportGridService extends PubSub {
  getActiveViewportId(): string;
  getState(): {
    activeViewportId: string;
    viewports: Map<string, { displaySetInstanceUIDs?: string[]; viewportOptions?: unknown }>;
  };
  getDisplaySetsUIDsForViewport?(viewportId: string): string[] | undefined;
}

export interface DisplaySetService extends PubSub {
  getActiveDisplaySets(): DisplaySet[];
  getDisplaySetByUID(uid: string): DisplaySet | undefined;
}

export interface UINotificationService {
  show(notification: { title: string; message: string; type?: string; duration?: number }): void;
}

export interface ToolGroupService {
  getToolGroup(id?: string): unknown;
  getToolGroupIds?(): string[];
}

/** `servicesManager.services`, the members we use (all optional: hosts differ). */
export interface Services {
  viewportGridService?: ViewportGridService;
  displaySetService?: DisplaySetService;
  uiNotificationService?: UINotificationService;
  toolGroupService?: ToolGroupService;
  userAuthenticationService?: { getAuthorizationHeader?(): Record<string, string> | undefined };
  cornerstoneViewportService?: unknown;
  measurementService?: unknown;
  [name: string]: unknown;
}

export interface ServicesManager {
  services: Services;
}

export interface CommandsManager {
  runCommand(name: string, options?: Record<string, unknown>, context?: string): unknown;
}

/** A data source as returned by extensionManager.getActiveDataSource(). */
export interface DataSource {
  getConfig?(): { qidoRoot?: string; wadoRoot?: string; [key: string]: unknown } | undefined;
}

export interface ExtensionManager {
  getModuleEntry(id: string): { exports?: Record<string, unknown> } | undefined;
  getActiveDataSource(): DataSource[];
}

/** What OHIF passes to getPanelModule, getCommandsModule, preRegistration, onModeEnter … */
export interface OhifContext {
  servicesManager: ServicesManager;
  commandsManager: CommandsManager;
  extensionManager: ExtensionManager;
}
