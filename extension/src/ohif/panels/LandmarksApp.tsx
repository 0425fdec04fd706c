import { useCallback, useEffect, useMemo, useState } from 'react';
import ReviewSection from './ReviewSection.tsx';
import type { LandmarksController } from '../controller.ts';
import type { TrainingController } from '../trainingController.ts';
import TrainSection from './TrainSection.tsx';
import ModelSection from './ModelSection.tsx';
import AnnotateSection from './AnnotateSection.tsx';
import useController from './useController.ts';
import useLandmarkSrs from './useLandmarkSrs.ts';
import type { LandmarkTemplate } from '../templates.ts';
import { defaultTemplateFor } from '../templates.ts';
import type { OhifContext } from '../types.ts';
import ErrorBoundary from './ErrorBoundary.tsx';
import StudyStatus from './StudyStatus.tsx';
import useCurrentStudy from './useCurrentStudy.ts';

/**
 * Form fields never wider than the panel (OHIF's right panel is narrow): a select is as wide as its
 * longest option, and a text field has an intrinsic width, unless capped.
 */
const PANEL_CSS =
  '.ohif-landmarks-panel select, .ohif-landmarks-panel input:not([type="checkbox"]) ' +
  '{ max-width: 100%; min-width: 0; }';

/** Everything the island needs, captured when OHIF asks for the panel module. */
export interface PanelContext extends OhifContext {
  controller: LandmarksController;
  training: TrainingController;
  templates: LandmarkTemplate[];
}

function Panel({ context }: { context: PanelContext }) {
  const services = context.servicesManager.services;
  const study = useCurrentStudy(services);
  const { state, version } = useController(context.controller);
  const srs = useLandmarkSrs(context.controller, study?.StudyInstanceUID, version);
  const [error, setError] = useState<string | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();
  const run = useCallback(
    (name: string, options: Record<string, unknown> = {}): Promise<unknown> => {
      setError(undefined);
      try {
        return Promise.resolve(context.commandsManager.runCommand(name, options)).catch(
          (e: unknown) => {
            setError(e instanceof Error ? e.message : String(e));
          },
        );
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return Promise.resolve(undefined);
      }
    },
    [context.commandsManager],
  );
  useAutoLoadSr(context, study?.StudyInstanceUID, (srs.srs?.length ?? 0) > 0);
  // A loaded SR brings its template (a partial one is continued with that template's full list).
  const templateId =
    chosen ??
    (state.loadedSr ? state.templateId : undefined) ??
    defaultTemplateFor(study?.modalities ?? []);
  const template = useMemo(
    () => context.templates.find((t) => t.id === templateId) ?? context.templates[0],
    [context.templates, templateId],
  );
  // The Model section's jobs (pseudo-label, heatmap, export) use this template's model.
  useEffect(
    () => context.training.models.setTemplate(template.id),
    [context.training, template.id],
  );
  return (
    // Long words (UIDs, URLs in error messages) break rather than widen the panel past OHIF's width.
    <div className="flex min-w-0 flex-col gap-2 text-white" style={{ overflowWrap: 'anywhere' }}>
      <style>{PANEL_CSS}</style>
      <h2 className="bg-secondary-dark px-2 py-1 text-base font-semibold">Landmarks</h2>
      <StudyStatus study={study} srs={srs.srs} srError={srs.error} templates={context.templates} />
      <section className="p-2 text-sm">
        <label className="flex flex-wrap items-center gap-2">
          <span className="text-muted-foreground">Template</span>
          <select
            data-testid="landmarks-template"
            className="min-w-0 flex-1 bg-black text-white"
            style={{ maxWidth: '100%' }}
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
        <p className="mt-1 text-muted-foreground">{template.landmarks.length} landmarks</p>
      </section>
      {error && (
        <p
          role="alert"
          data-testid="landmarks-error"
          className="break-words px-2 text-sm text-red-500"
        >
          {error}
        </p>
      )}
      <AnnotateSection
        names={state.loadedSr ? state.names : template.landmarks}
        templateId={state.loadedSr ? state.templateId : template.id}
        state={state}
        run={run}
      />
      <ModelSection training={context.training} context={context} />
      <TrainSection training={context.training} run={run} />
      <ReviewSection
        state={state}
        studyUid={study?.StudyInstanceUID}
        landmarkNames={template.landmarks}
        run={run}
      />
    </div>
  );
}

/**
 * Once the study's image is on screen, draws its current landmark SR (if any) for review. Retries
 * while the viewport is still loading (at most ~20 s).
 */
function useAutoLoadSr(context: PanelContext, studyUid: string | undefined, hasSr: boolean) {
  useEffect(() => {
    if (!studyUid || !hasSr) return;
    let stop = false;
    let tries = 0;
    const attempt = () => {
      if (stop || tries++ > 20) return;
      context.controller.loadCurrentSr(studyUid).then(
        (loaded) => {
          if (!loaded && !stop) setTimeout(attempt, 1000);
        },
        () => !stop && setTimeout(attempt, 1000),
      );
    };
    attempt();
    return () => {
      stop = true;
    };
  }, [context.controller, studyUid, hasSr]);
}

/** Root of the island: the panel inside an error boundary. */
export default function LandmarksApp({ context }: { context: PanelContext }) {
  return (
    <ErrorBoundary>
      <Panel context={context} />
    </ErrorBoundary>
  );
}
