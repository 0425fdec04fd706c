import type { BrowserBackend } from '../core/tf/selectBrowserBackend.ts';
import type { LandmarksController } from './controller.ts';
import type { LabelOptions } from './tools/labelText.ts';
import type { TrainingController } from './trainingController.ts';
import type { TrainingPreset } from './worker/protocol.ts';
import type { OhifContext } from './types.ts';

/** What OHIF's HotkeysManager adds to a command's options: the key event. */
interface FromHotkey {
  evt?: unknown;
}

/**
 * Commands of the extension (style guide: a factory over the managers returning
 * `{actions, definitions, defaultContext}`; each action is a thin call into a controller). The panel,
 * the mode's hotkeys (mode/src/hotkeys.ts) and toolbar buttons all run them through OHIF's
 * commandsManager. An error from a command run by a hotkey (options carry `evt`) becomes a
 * notification and is not thrown: there is no panel call to catch it, and it would reach the console
 * as an uncaught error.
 */
export default function commandsModule(
  ctx: OhifContext,
  controller: LandmarksController,
  training: TrainingController,
) {
  const { uiNotificationService } = ctx.servicesManager.services;
  const show = (title: string, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    uiNotificationService?.show({ title, message, type: 'error' });
  };
  const notifyError = (title: string) => (err: unknown) => {
    show(title, err);
    throw err;
  };
  /** `fn`, with errors of hotkey runs shown as a notification titled `title` instead of thrown. */
  const guarded =
    <O extends object>(title: string, fn: (options: O) => unknown) =>
    (options: O & FromHotkey = {} as O & FromHotkey): unknown => {
      const fail = (err: unknown) => {
        if (!options.evt) throw err;
        show(title, err);
        return undefined;
      };
      try {
        const result = fn(options);
        return result instanceof Promise ? result.catch(fail) : result;
      } catch (err) {
        return fail(err);
      }
    };
  const save = () =>
    controller.save().then((r) => {
      const revision = r.revises ? ' (new revision)' : '';
      uiNotificationService?.show(
        r.outcome === 'stored'
          ? {
              title: 'Landmarks saved',
              message: `${r.count} landmarks stored as SR${revision}`,
              type: 'success',
            }
          : {
              title: 'PACS not reachable',
              message: `${r.count} landmarks kept in the browser${revision}; sent when the PACS is back`,
              type: 'warning',
            },
      );
      return r;
    });
  const actions = {
    landmarksInitTools: () => controller.initTools(),
    landmarksAnnotate: ({ names, templateId }: { names: string[]; templateId?: string }) =>
      controller.startAnnotating(names, templateId),
    /**
     * Reverts the newest landmark move (drag or "Use adjusted"). Bound to Ctrl+Z by the mode: with no
     * landmark move to undo, a key press runs the host's own `undo` (e.g. a placed point).
     */
    landmarksUndo: guarded('Undo landmark move', ({ evt }: FromHotkey) => {
      const name = controller.undoMove();
      if (name === undefined && evt) return ctx.commandsManager.runCommand('undo');
      return name;
    }),
    landmarksStopAnnotating: () => controller.stopAnnotating(),
    landmarksSave: ({ evt }: FromHotkey = {}) =>
      save().catch((err: unknown) => {
        show('Saving landmarks failed', err);
        if (!evt) throw err;
        return undefined;
      }),
    landmarksListSrs: ({ studyUid }: { studyUid: string }) => controller.listSrs(studyUid),
    landmarksLoadCurrentSr: ({ studyUid }: { studyUid: string }) =>
      controller.loadCurrentSr(studyUid),
    landmarksReviewQueue: ({ landmark }: { landmark?: string }) => controller.reviewQueue(landmark),
    landmarksSelect: ({ name }: { name: string }) => controller.select(name),
    landmarksNextFlagged: guarded('Next flagged landmark', () => controller.selectNextFlagged()),
    landmarksAccept: guarded('Accept landmark', ({ name }: { name?: string }) =>
      controller.decide('accepted', name),
    ),
    landmarksReject: guarded('Reject landmark', ({ name }: { name?: string }) =>
      controller.decide('rejected', name),
    ),
    landmarksUseAdjusted: guarded('Use adjusted position', ({ name }: { name?: string }) =>
      controller.useAdjusted(name),
    ),
    landmarksShowNames: ({ show }: { show: boolean }) => controller.setShowNames(show),
    /** Label options: `showNames`, `numbersOnly`, `hidden` (landmark names); those left out stay. */
    landmarksLabelOptions: (options: Partial<LabelOptions>) => controller.setLabelOptions(options),
    landmarksToggleNames: guarded('Landmark names', () =>
      controller.setShowNames(!controller.getState().showNames),
    ),
    /** Shows the heatmap overlay of the displayed image or volume (all MPR views; all landmarks, or `landmark`), or hides it. */
    landmarksToggleHeatmap: guarded('Heatmap overlay', ({ landmark }: { landmark?: number }) =>
      training.models.state.heatmap
        ? training.models.hideHeatmap()
        : training.models.showHeatmap(ctx, landmark),
    ),
    landmarksRetryQueue: () => controller.retryQueue(),
    landmarksDispose: () => controller.dispose(),
    landmarksTrain: ({
      preset = 'tiny',
      backends,
    }: {
      preset?: TrainingPreset;
      backends?: BrowserBackend[];
    }) => training.train(preset, backends).catch(notifyError('Training failed')),
    landmarksCancelTraining: () => training.cancel(),
    landmarksBenchBackends: ({ backends }: { backends?: BrowserBackend[] } = {}) =>
      training.bench(backends),
  };
  const definitions = Object.fromEntries(
    Object.entries(actions).map(([name, fn]) => [name, { commandFn: fn }]),
  );
  return { actions, definitions, defaultContext: 'LANDMARKS' };
}
