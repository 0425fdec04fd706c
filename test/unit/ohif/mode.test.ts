import { describe, expect, it } from 'vitest';
import { HP_2D, HP_MPR, MODE_ID, PANEL_ID } from '../../../extension/src/ohif/id.ts';
import mode, { buildMode } from '../../../mode/src/index.ts';
import isValidMode from '../../../mode/src/isValidMode.ts';

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
