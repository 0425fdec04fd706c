import { createElement } from 'react';
import type { LandmarksController } from './controller.ts';
import type { TrainingController } from './trainingController.ts';
import { PANEL_NAME, PANEL_TEST_ID } from './id.ts';
import { createIsland, hostContainer } from './panels/island.ts';
import LandmarksApp, { type PanelContext } from './panels/LandmarksApp.tsx';
import { resolveTemplates } from './templates.ts';
import type { OhifContext } from './types.ts';

/**
 * Panel module: one right-hand panel. The component OHIF renders is hook-free (OHIF's React calls it);
 * it renders a container whose ref mounts our own React root (see panels/island.ts).
 */
export default function getPanelModule(
  ctx: OhifContext & {
    controller: LandmarksController;
    training: TrainingController;
    configuration?: { templates?: unknown };
  },
) {
  const context: PanelContext = {
    servicesManager: ctx.servicesManager,
    commandsManager: ctx.commandsManager,
    extensionManager: ctx.extensionManager,
    controller: ctx.controller,
    training: ctx.training,
    templates: resolveTemplates(ctx.configuration?.templates ?? []),
  };
  // The controller resolves a loaded SR's template (a partial SR continues with its full list).
  ctx.controller.setTemplates(context.templates);
  const island = createIsland(() => createElement(LandmarksApp, { context }));
  const LandmarksPanelHost = () => hostContainer(island, PANEL_TEST_ID);
  return [
    {
      name: PANEL_NAME,
      iconName: 'tab-linear',
      iconLabel: 'Landmarks',
      label: 'Landmarks',
      component: LandmarksPanelHost,
    },
  ];
}
