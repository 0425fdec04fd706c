/**
 * Keyboard shortcuts of the landmarks mode: OHIF hotkey definitions (HotkeysManager format, Mousetrap
 * key names) bound to the extension's commands (extension/src/ohif/commandsModule.ts). All but one
 * use Shift, so they never take a key from OHIF's default bindings (plain letters, digits, arrows,
 * ctrl+z/y); Shift+A / Shift+X / Shift+N are the review keys the panel has shown since session 2.
 * The exception is Ctrl+Z, "undo the last landmark move" (issue 14): bound after the host's, it
 * replaces the host's `undo` in this mode (Mousetrap keeps the last binding of a key), and the command
 * runs the host's `undo` itself when no landmark move is left to revert. Users can rebind them in
 * OHIF's hotkey preferences.
 */
export interface HotkeyDefinition {
  commandName: string;
  commandOptions?: Record<string, unknown>;
  label: string;
  keys: string[];
  isEditable?: boolean;
}

export const LANDMARK_HOTKEYS: readonly HotkeyDefinition[] = [
  { commandName: 'landmarksNextFlagged', label: 'Landmarks: next flagged', keys: ['shift+n'] },
  { commandName: 'landmarksAccept', label: 'Landmarks: accept', keys: ['shift+a'] },
  { commandName: 'landmarksReject', label: 'Landmarks: reject', keys: ['shift+x'] },
  {
    commandName: 'landmarksUseAdjusted',
    label: 'Landmarks: use shape-adjusted position',
    keys: ['shift+u'],
  },
  { commandName: 'landmarksSave', label: 'Landmarks: save SR', keys: ['shift+s'] },
  { commandName: 'landmarksToggleNames', label: 'Landmarks: names on/off', keys: ['shift+l'] },
  { commandName: 'landmarksToggleHeatmap', label: 'Landmarks: heatmap on/off', keys: ['shift+h'] },
  { commandName: 'landmarksUndo', label: 'Landmarks: undo last move', keys: ['ctrl+z'] },
];

/** Customization id whose value OHIF's mode route gives HotkeysManager after onModeEnter (3.13). */
export const HOTKEY_CUSTOMIZATION = 'ohif.hotkeyBindings';

/**
 * The mode-scope customization that appends our hotkeys to the host's bindings (immutability-helper
 * `$push`, as OHIF's own modes do). Applied in onModeEnter: the mode scope is reset on every mode
 * entry, so they are never appended twice.
 */
export function hotkeyCustomization(): Record<string, { $push: HotkeyDefinition[] }> {
  return { [HOTKEY_CUSTOMIZATION]: { $push: LANDMARK_HOTKEYS.map((h) => ({ ...h })) } };
}
