import type { LandmarkSrInfo } from '../../dicom/srReader.ts';
import type { StudySummary } from '../services/currentStudy.ts';
import { templateOfSet } from '../services/templateOfSet.ts';
import type { LandmarkTemplate } from '../templates.ts';

/**
 * One line about the study's landmark SRs on the PACS; a partial annotation says how many of its
 * template's landmarks it has (`templates`: the viewer's).
 */
export function srSummary(
  srs: LandmarkSrInfo[] | undefined,
  error?: string,
  templates: readonly LandmarkTemplate[] = [],
): string {
  if (error) return `unknown (${error})`;
  if (!srs) return 'checking the PACS…';
  if (srs.length === 0) return 'none (unannotated)';
  const latest = srs[0].set.landmarks;
  const counts = new Map<string, number>();
  latest.forEach((l) => counts.set(l.status, (counts.get(l.status) ?? 0) + 1));
  const parts = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const template = templateOfSet(templates, srs[0].set);
  const placed = template ? template.landmarks.filter((n) => latest.some((l) => l.name === n)) : [];
  const partial =
    template && placed.length < template.landmarks.length
      ? ` · partial: ${placed.length} of ${template.landmarks.length} (${template.id})`
      : '';
  return `${srs.length} current SR(s); latest: ${latest.length} landmarks (${parts})${partial}`;
}

/** Current study and its landmark SR status on the PACS. */
export default function StudyStatus({
  study,
  srs,
  srError,
  templates,
}: {
  study: StudySummary | undefined;
  srs?: LandmarkSrInfo[];
  srError?: string;
  templates?: readonly LandmarkTemplate[];
}) {
  if (!study) {
    return (
      <section data-testid="landmarks-study" className="p-2 text-sm text-muted-foreground">
        No study in the active viewport yet.
      </section>
    );
  }
  const ds = study.displaySet;
  return (
    <section data-testid="landmarks-study" className="space-y-1 p-2 text-sm">
      <div>
        <span className="text-muted-foreground">Study </span>
        <span data-testid="landmarks-study-uid" className="break-all">
          {study.StudyInstanceUID}
        </span>
      </div>
      <div>
        <span className="text-muted-foreground">Series </span>
        {ds.SeriesDescription || '(no description)'} · {ds.Modality ?? '?'}
        {ds.numImageFrames ? ` · ${ds.numImageFrames} image(s)` : ''}
      </div>
      <div>
        <span className="text-muted-foreground">Modalities </span>
        {study.modalities.join(', ') || '?'}
      </div>
      <div data-testid="landmarks-sr-status">
        <span className="text-muted-foreground">Landmark SR </span>
        {srSummary(srs, srError, templates)}
      </div>
    </section>
  );
}
