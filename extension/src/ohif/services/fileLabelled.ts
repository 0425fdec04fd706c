import { isAnnotation, type LandmarkSrInfo } from '../../dicom/srReader.ts';
import type { LandmarkSet, StudyIdentity } from '../../dicom/types.ts';
import type { LandmarkTemplate } from '../templates.ts';
import { templateOfSet } from './templateOfSet.ts';

/** What {@link fileLabelled} needs of a study item. */
interface Filed {
  landmarks?: number[][];
  current?: LandmarkSrInfo;
  study: StudyIdentity;
}

/** Where the items go: labelled / unlabelled, and the landmark list the labelled rows follow. */
interface Target<T> {
  names: string[];
  templateId?: string;
  labelled: T[];
  unlabelled: T[];
}

/** A study as messages name it: UID, and its description or patient name when it has one. */
export function studyLabel(study: StudyIdentity): string {
  const about = study.studyDescription || study.patientName;
  return `study ${study.studyUid}${about ? ` ("${about}")` : ''}`;
}

/** Why an annotation cannot be trained on, or undefined when it can. */
function unusable(set: LandmarkSet, dimension: 2 | 3): string | undefined {
  const seen = new Set<string>();
  for (const l of set.landmarks) {
    if (seen.has(l.name)) return `its landmark SR lists "${l.name}" twice`;
    seen.add(l.name);
    const p = l.position.slice(0, dimension);
    if (p.length !== dimension || !p.every(Number.isFinite))
      return `landmark "${l.name}" of its SR has no finite ${dimension}D position`;
  }
  return undefined;
}

/** One annotated item, with the template key its SR resolves to ('' = no known template). */
interface Candidate<T> {
  item: T;
  set: LandmarkSet;
  key: string;
  template?: LandmarkTemplate;
}

/**
 * Files items into `target`: those whose current SR is an annotation (every landmark a label) of
 * `dimension` are labelled, the others unlabelled. Annotations may be partial: the labelled rows follow
 * the full landmark list of the template most annotations use (from the SR's template id, or for older
 * SRs the template that has all their names; annotations of no known template are grouped by their own
 * names), and a landmark an annotation lacks is a NaN row, masked by the losses and left out of the shape
 * model. An annotation that cannot be used (a landmark without a finite position, a name listed twice,
 * another template than the chosen one, no landmark of it) is not trained on, nor pseudo-labelled over:
 * its study goes to `skipped` with the reason, and the others go on.
 */
export function fileLabelled<T extends Filed>(
  target: Target<T>,
  items: readonly T[],
  dimension: 2 | 3,
  templates: readonly LandmarkTemplate[],
  skipped: string[],
): void {
  const candidates: Candidate<T>[] = [];
  for (const item of items) {
    const set = item.current?.set;
    if (!set || !isAnnotation(set) || set.dimension !== dimension) {
      target.unlabelled.push(item);
      continue;
    }
    const why = unusable(set, dimension);
    if (why) {
      skipped.push(`${studyLabel(item.study)}: ${why}; skipped`);
      continue;
    }
    const template = templateOfSet(templates, set);
    candidates.push({ item, set, key: template?.id ?? '', template });
  }
  if (candidates.length === 0) return;
  const chosen = mostUsed(candidates);
  const group = candidates.filter((c) => c.key === chosen.key);
  target.names = chosen.template
    ? [...chosen.template.landmarks]
    : [...new Set(group.flatMap((c) => c.set.landmarks.map((l) => l.name)))];
  if (chosen.template) target.templateId = chosen.template.id;
  const missing = Array.from({ length: dimension }, () => Number.NaN);
  for (const c of candidates) {
    const label = studyLabel(c.item.study);
    if (c.key !== chosen.key) {
      const theirs = c.template
        ? `the "${c.template.id}" template`
        : 'landmarks of no known template';
      const ours = chosen.template ? `"${chosen.template.id}"` : 'landmarks of no known template';
      skipped.push(`${label}: annotated with ${theirs}, this run trains ${ours}; skipped`);
      continue;
    }
    const byName = new Map(c.set.landmarks.map((l) => [l.name, l.position.slice(0, dimension)]));
    const rows = target.names.map((n) => byName.get(n) ?? missing);
    if (rows.every((r) => r === missing)) {
      skipped.push(`${label}: none of its landmarks is in the template; skipped`);
      continue;
    }
    c.item.landmarks = rows;
    target.labelled.push(c.item);
  }
}

/** The candidate whose template key most candidates share (the first one seen on a tie). */
function mostUsed<T>(candidates: readonly Candidate<T>[]): Candidate<T> {
  const counts = new Map<string, number>();
  for (const c of candidates) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
  let best = candidates[0]!;
  for (const c of candidates) if (counts.get(c.key)! > counts.get(best.key)!) best = c;
  return best;
}
