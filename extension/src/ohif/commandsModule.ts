import type { LandmarksController } from './controller.ts';
import type { OhifContext } from './types.ts';

/**
 * Commands of the extension (style guide: a factory over the managers returning
 * `{actions, definitions, defaultContext}`; each action is a thin call into the controller).
 */
export default function commandsModule(ctx: OhifContext, controller: LandmarksController) {
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
        uiNotificationService?.show({
          title: 'Landmarks saved',
          message: `${r.count} landmarks stored as SR${r.revises ? ' (new revision)' : ''}`,
          type: 'success',
        });
        return r;
      }, notifyError('Saving landmarks failed')),
    landmarksListSrs: ({ studyUid }: { studyUid: string }) => controller.listSrs(studyUid),
    landmarksDispose: () => controller.dispose(),
  };
  const definitions = Object.fromEntries(
    Object.entries(actions).map(([name, fn]) => [name, { commandFn: fn }]),
  );
  return { actions, definitions, defaultContext: 'LANDMARKS' };
}
