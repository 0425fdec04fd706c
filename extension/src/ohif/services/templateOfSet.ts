import type { LandmarkSet } from '../../dicom/types.ts';
import type { LandmarkTemplate } from '../templates.ts';

/** What {@link templateOfSet} reads of a landmark set. */
export type TemplateClue = Pick<LandmarkSet, 'dimension' | 'landmarks' | 'templateId'>;

/**
 * The anatomy template a landmark set was annotated with: the one its SR names (`templateId`), else,
 * for SRs written before the id was stored, the first template of the set's dimension that has every
 * landmark name of the set (so an old partial cephalogram SR is still known as a cephalogram).
 * Undefined when none fits: the set's own names are then all that is known.
 */
export function templateOfSet(
  templates: readonly LandmarkTemplate[],
  set: TemplateClue,
): LandmarkTemplate | undefined {
  if (set.templateId !== undefined) {
    const named = templates.find((t) => t.id === set.templateId);
    if (named) return named;
  }
  const names = set.landmarks.map((l) => l.name);
  if (names.length === 0) return undefined;
  return templates.find(
    (t) => t.dimension === set.dimension && names.every((n) => t.landmarks.includes(n)),
  );
}

/**
 * Every landmark name a set may hold, in placement order: its template's list, then (so that a save
 * never drops one) any name of the set the template lacks. Without a known template, the set's own
 * names. A partial set thus shows as "5/19 placed", and the next click places the first missing one.
 */
export function templateNames(
  templates: readonly LandmarkTemplate[],
  set: TemplateClue,
): { templateId?: string; names: string[] } {
  const template = templateOfSet(templates, set);
  const own = set.landmarks.map((l) => l.name);
  if (!template) return { names: [...new Set(own)], ...idOf(set.templateId) };
  const extra = own.filter((n) => !template.landmarks.includes(n));
  return { templateId: template.id, names: [...template.landmarks, ...new Set(extra)] };
}

const idOf = (id: string | undefined) => (id !== undefined ? { templateId: id } : {});
