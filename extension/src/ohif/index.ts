import commandsModule from './commandsModule.ts';
import { LandmarksController } from './controller.ts';
import { TrainingController } from './trainingController.ts';
import getHangingProtocolModule from './getHangingProtocolModule.ts';
import getPanelModule from './getPanelModule.ts';
import { EXTENSION_ID } from './id.ts';
import type { OhifContext } from './types.ts';

/** One controller per registration, created by OHIF's call to preRegistration (not at import). */
let controller: LandmarksController | undefined;
let training: TrainingController | undefined;

function controllerFor(ctx: OhifContext): LandmarksController {
  controller ??= new LandmarksController(ctx);
  return controller;
}

function trainingFor(ctx: OhifContext): TrainingController {
  training ??= new TrainingController(controllerFor(ctx));
  return training;
}

/**
 * The OHIF extension (default export, loaded by URL from app-config). Nothing runs at import time:
 * OHIF calls these factories with its managers after registering the extension.
 */
const extension = {
  id: EXTENSION_ID,
  preRegistration: (ctx: OhifContext) => {
    controller = new LandmarksController(ctx);
    training = new TrainingController(controller);
  },
  getPanelModule: (ctx: OhifContext & { appConfig?: { landmarks?: { templates?: unknown } } }) =>
    getPanelModule({
      ...ctx,
      controller: controllerFor(ctx),
      training: trainingFor(ctx),
      configuration: { templates: ctx.appConfig?.landmarks?.templates },
    }),
  getCommandsModule: (ctx: OhifContext) =>
    commandsModule(ctx, controllerFor(ctx), trainingFor(ctx)),
  getHangingProtocolModule,
  /** Releases Cornerstone listeners, the result queue's timer and the heatmap overlay. */
  onModeExit: () => {
    controller?.dispose();
    training?.models.hideHeatmap();
  },
};

export default extension;
