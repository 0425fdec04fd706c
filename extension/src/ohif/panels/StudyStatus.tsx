import type { StudySummary } from '../services/currentStudy.ts';

/** Current study and its landmark SR status (SR series loaded with the study). */
export default function StudyStatus({ study }: { study: StudySummary | undefined }) {
  if (!study) {
    return (
      <section data-testid="landmarks-study" className="p-2 text-sm text-gray-400">
        No study in the active viewport yet.
      </section>
    );
  }
  const ds = study.displaySet;
  const srCount = study.srDisplaySets.length;
  return (
    <section data-testid="landmarks-study" className="space-y-1 p-2 text-sm">
      <div>
        <span className="text-gray-400">Study </span>
        <span data-testid="landmarks-study-uid" className="break-all">
          {study.StudyInstanceUID}
        </span>
      </div>
      <div>
        <span className="text-gray-400">Series </span>
        {ds.SeriesDescription || '(no description)'} · {ds.Modality ?? '?'}
        {ds.numImageFrames ? ` · ${ds.numImageFrames} image(s)` : ''}
      </div>
      <div>
        <span className="text-gray-400">Modalities </span>
        {study.modalities.join(', ') || '?'}
      </div>
      <div data-testid="landmarks-sr-status">
        <span className="text-gray-400">Landmark SR </span>
        {srCount === 0 ? 'none (unannotated)' : `${srCount} SR series`}
      </div>
    </section>
  );
}
