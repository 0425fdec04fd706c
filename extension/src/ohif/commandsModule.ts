import type { BrowserBackend } from '../core/tf/selectBrowserBackend.ts';
import type { LandmarksController } from './controller.ts';
import type { TrainingController } from './trainingController.ts';
import type { TrainingPreset } from './worker/protocol.ts';
import type { OhifContext } from './types.ts';

/**
 * Commands of the extension (style guide: a factory over the managers returning
 * `{actions, definitions, defaultContext}`; each action is a thin call into the controller).
 */
export default function commandsModule(
  ctx: OhifContext,
  controller: LandmarksController,
  training: TrainingController,
) {
  const { uiNotificationService } = ctx.servicesManager.services;
  const notifyError = (title: string) => (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    uiNotificationService?.show({ title, message, type: 'error' });
    throw err;
  };
  const actions = {
    landmarksInitTools: () => controller.initTools(),
    landmarksAnnotate: ({ names }: { names: string[] }) => controller.startAnnotating(names),
    landmarksStopAnnotating: () => controller.stopAnnotating(),
    landmarksSave: () =>
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
      }, notifyError('Saving landmarks failed')),
    landmarksListSrs: ({ studyUid }: { studyUid: string }) => controller.listSrs(studyUid),
    landmarksLoadCurrentSr: ({ studyUid }: { studyUid: string }) =>
      controller.loadCurrentSr(studyUid),
    landmarksReviewQueue: ({ landmark }: { landmark?: string }) => controller.reviewQueue(landmark),
    landmarksSelect: ({ name }: { name: string }) => controller.select(name),
    landmarksNextFlagged: () => controller.selectNextFlagged(),
    landmarksAccept: ({ name }: { name?: string } = {}) => controller.decide('accepted', name),
    landmarksReject: ({ name }: { name?: string } = {}) => controller.decide('rejected', name),
    landmarksUseAdjusted: ({ name }: { name?: string } = {}) => controller.useAdjusted(name),
    landmarksShowNames: ({ show }: { show: boolean }) => controller.setShowNames(show),
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
