import { describe, expect, it } from 'vitest';
import { HP_2D, HP_MPR, MODE_ID, PANEL_ID } from '../../../extension/src/ohif/id.ts';
import mode, { buildMode } from '../../../mode/src/index.ts';
import isValidMode from '../../../mode/src/isValidMode.ts';
import { HOTKEY_CUSTOMIZATION, LANDMARK_HOTKEYS } from '../../../mode/src/hotkeys.ts';
import commandsModule from '../../../extension/src/ohif/commandsModule.ts';
import type { LandmarksController } from '../../../extension/src/ohif/controller.ts';
import type { TrainingController } from '../../../extension/src/ohif/trainingController.ts';
import type { OhifContext } from '../../../extension/src/ohif/types.ts';

/** A stand-in for @ohif/mode-basic's modeInstance with the fields buildMode reads. */
function basicMode() {
  const calls: string[] = [];
  return {
    calls,
    instance: {
      id: '@ohif/mode-basic',
      routeName: 'basic',
      displayName: 'Basic',
      hide: true,
      routes: [
        {
          path: 'basic',
          layoutInstance: {
            id: 'viewerLayout',
            props: {
              leftPanels: ['thumbs'],
              rightPanels: ['seg', 'measure'],
              rightPanelClosed: true,
            },
          },
        },
      ],
      extensions: { '@ohif/extension-default': '^3.0.0' },
      hangingProtocol: 'default',
      isValidMode: () => ({ valid: false, description: '' }),
      onModeEnter: () => calls.push('basic-enter'),
    },
  };
}

describe('landmarks mode', () => {
  it('is offered for DX, CR and CT studies only', () => {
    expect(isValidMode({ modalities: 'DX' }).valid).toBe(true);
    expect(isValidMode({ modalities: 'SR\\CR' }).valid).toBe(true);
    expect(isValidMode({ modalities: 'CT\\SEG' }).valid).toBe(true);
    expect(isValidMode({ modalities: 'MR' }).valid).toBe(false);
    expect(isValidMode({ modalities: '' }).valid).toBe(false);
  });

  it('extends the basic mode with our panel, our extension URL and our hanging protocols', () => {
    const { instance } = basicMode();
    const built = buildMode(instance, 'http://x/plugins/landmarks/extension.js');
    expect(built.id).toBe(MODE_ID);
    expect(built.hide).toBe(false);
    expect(built.hangingProtocol).toEqual([HP_MPR, HP_2D]);
    expect(Object.keys(built.extensions)).toEqual([
      '@ohif/extension-default',
      'http://x/plugins/landmarks/extension.js',
    ]);
    const layout = (
      built.routes[0].layoutTemplate as () => { props: Record<string, unknown> }
    ).call(built.routes[0]);
    expect(layout.props.rightPanels).toEqual([PANEL_ID]);
    expect(layout.props.rightPanelClosed).toBe(false);
    expect(layout.props.leftPanels).toEqual(['thumbs']);
    // The basic mode's own layout is left untouched.
    expect(instance.routes[0].layoutInstance.props.rightPanels).toEqual(['seg', 'measure']);
  });

  it('runs the basic onModeEnter, then adds our tool', () => {
    const { instance, calls } = basicMode();
    const built = buildMode(instance, 'u');
    const enter = built.onModeEnter as (args: unknown) => void;
    enter.call(built, { commandsManager: { runCommand: (n: string) => calls.push(n) } });
    expect(calls).toEqual(['basic-enter', 'landmarksInitTools']);
  });

  it('appends its hotkeys to the host bindings on mode enter', () => {
    const { instance } = basicMode();
    const built = buildMode(instance, 'u');
    const set: Array<Record<string, unknown>> = [];
    (built.onModeEnter as (args: unknown) => void).call(built, {
      commandsManager: { runCommand: () => undefined },
      servicesManager: {
        services: { customizationService: { setCustomizations: (c: never) => set.push(c) } },
      },
    });
    expect(set).toEqual([{ [HOTKEY_CUSTOMIZATION]: { $push: LANDMARK_HOTKEYS } }]);
  });
});

/** Fake managers and controllers: the commands only reach them when run. */
function commands(controller: Partial<LandmarksController>) {
  const shown: Array<{ title: string; message: string }> = [];
  const ctx = {
    servicesManager: { services: { uiNotificationService: { show: (n: never) => shown.push(n) } } },
  } as unknown as OhifContext;
  const module = commandsModule(ctx, controller as LandmarksController, {} as TrainingController);
  return { module, shown };
}

describe('landmarks hotkeys and commands', () => {
  it('binds each hotkey to a command the extension defines, each key once, all but undo with Shift', () => {
    const { module } = commands({});
    for (const h of LANDMARK_HOTKEYS) expect(module.definitions).toHaveProperty(h.commandName);
    const keys = LANDMARK_HOTKEYS.flatMap((h) => h.keys);
    expect(new Set(keys).size).toBe(keys.length);
    // The review keys shown on the panel's buttons since session 2 are kept.
    expect(keys).toEqual(expect.arrayContaining(['shift+a', 'shift+x', 'shift+n']));
    // Ctrl+Z undoes the last landmark move (issue 14); it falls back to the host's undo.
    const undo = LANDMARK_HOTKEYS.filter((h) => !h.keys.every((k) => k.startsWith('shift+')));
    expect(undo).toEqual([
      expect.objectContaining({ commandName: 'landmarksUndo', keys: ['ctrl+z'] }),
    ]);
  });

  it('shows a hotkey error as a notification, and throws the same error to the panel', () => {
    const { module, shown } = commands({
      decide: () => {
        throw new Error('landmarks: select a landmark first');
      },
    });
    expect(module.actions.landmarksAccept({ evt: {} })).toBeUndefined();
    expect(shown).toEqual([
      { title: 'Accept landmark', message: 'landmarks: select a landmark first', type: 'error' },
    ]);
    expect(() => module.actions.landmarksAccept({})).toThrow(/select a landmark first/);
    expect(shown).toHaveLength(1);
  });

  it('toggles the names from their current state', () => {
    let names = true;
    const { module } = commands({
      getState: () => ({ showNames: names }) as ReturnType<LandmarksController['getState']>,
      setShowNames: (show: boolean) => {
        names = show;
      },
    });
    module.actions.landmarksToggleNames({ evt: {} });
    expect(names).toBe(false);
    module.actions.landmarksToggleNames({ evt: {} });
    expect(names).toBe(true);
  });

  it('a failed save from the hotkey is notified once and never rejects', async () => {
    const { module, shown } = commands({
      save: () => Promise.reject(new Error('landmarks: nothing placed yet')),
    });
    await expect(module.actions.landmarksSave({ evt: {} })).resolves.toBeUndefined();
    expect(shown.map((n) => n.message)).toEqual(['landmarks: nothing placed yet']);
    await expect(module.actions.landmarksSave()).rejects.toThrow(/nothing placed/);
  });

  it('builds from the host basic mode handed over by loadModules, and fails clearly without it', async () => {
    const { instance } = basicMode();
    const built = await mode.modeFactory({
      loadModules: async (names) => {
        expect(names).toEqual(['@ohif/mode-basic']);
        return [{ modeInstance: instance }];
      },
    });
    expect(built.routeName).toBe('landmarks');
    await expect(mode.modeFactory({ loadModules: async () => [{}] })).rejects.toThrow(
      /no @ohif\/mode-basic/,
    );
  });
});
