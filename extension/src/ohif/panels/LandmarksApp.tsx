import { useMemo, useState } from 'react';
import type { LandmarksController } from '../controller.ts';
import AnnotateSection from './AnnotateSection.tsx';
import useController from './useController.ts';
import useLandmarkSrs from './useLandmarkSrs.ts';
import type { LandmarkTemplate } from '../templates.ts';
import { defaultTemplateFor } from '../templates.ts';
import type { OhifContext } from '../types.ts';
import ErrorBoundary from './ErrorBoundary.tsx';
import StudyStatus from './StudyStatus.tsx';
import useCurrentStudy from './useCurrentStudy.ts';

/** Everything the island needs, captured when OHIF asks for the panel module. */
export interface PanelContext extends OhifContext {
  controller: LandmarksController;
  templates: LandmarkTemplate[];
}

function Panel({ context }: { context: PanelContext }) {
  const services = context.servicesManager.services;
  const study = useCurrentStudy(services);
  const { state, version } = useController(context.controller);
  const srs = useLandmarkSrs(context.controller, study?.StudyInstanceUID, version);
  const [error, setError] = useState<string | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();
  const templateId = chosen ?? defaultTemplateFor(study?.modalities ?? []);
  const template = useMemo(
    () => context.templates.find((t) => t.id === templateId) ?? context.templates[0],
    [context.templates, templateId],
  );
  return (
    <div className="flex flex-col gap-2 text-white">
      <h2 className="bg-secondary-dark px-2 py-1 text-base font-semibold">Landmarks</h2>
      <StudyStatus study={study} srs={srs.srs} srError={srs.error} />
      <section className="p-2 text-sm">
        <label className="flex items-center gap-2">
          <span className="text-gray-400">Template</span>
          <select
            data-testid="landmarks-template"
            className="bg-black text-white"
            value={template.id}
            onChange={(e) => setChosen(e.target.value)}
          >
            {context.templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <p className="mt-1 text-gray-400">{template.landmarks.length} landmarks</p>
      </section>
      {error && (
        <p role="alert" data-testid="landmarks-error" className="px-2 text-sm text-red-400">
          {error}
        </p>
      )}
      <AnnotateSection
        names={template.landmarks}
        state={state}
        commandsManager={context.commandsManager}
        onError={setError}
      />
    </div>
  );
}

/** Root of the island: the panel inside an error boundary. */
export default function LandmarksApp({ context }: { context: PanelContext }) {
  return (
    <ErrorBoundary>
      <Panel context={context} />
    </ErrorBoundary>
  );
}
