/**
 * Anatomy templates: the ordered landmark names the landmark tool places one after another.
 * Users add their own through the mode configuration (`modesConfiguration['ohif-landmarks-mode']
 * .templates`, see README "## Viewer").
 */
import {
  CBCT_LANDMARKS,
  CEPHALOGRAM_LANDMARKS,
  HAND_LANDMARKS,
} from '../core/synthetic/landmarks.ts';

/** One anatomy template. */
export interface LandmarkTemplate {
  /** Stable key, stored with models and SRs. */
  id: string;
  /** Shown in the panel. */
  label: string;
  /** 2 for X-rays (pixel/mm in the image plane), 3 for CT/CBCT volumes (patient mm). */
  dimension: 2 | 3;
  /** Landmark names in placement order. */
  landmarks: string[];
}

/** ISBI 2015 cephalometric landmarks, in the challenge's order (Wang et al. 2016). */
export const CEPHALOGRAM: LandmarkTemplate = {
  id: 'cephalogram',
  label: 'Lateral cephalogram (ISBI 2015, 19)',
  dimension: 2,
  landmarks: [...CEPHALOGRAM_LANDMARKS],
};

/**
 * Hand radiograph, 37 landmarks as in the Digital Hand Atlas annotations (Payer et al.); the data set
 * numbers them without names, so they are numbered here in the data set's order.
 */
export const HAND: LandmarkTemplate = {
  id: 'hand',
  label: 'Hand radiograph (37)',
  dimension: 2,
  landmarks: [...HAND_LANDMARKS],
};

/**
 * CBCT cephalometric landmarks (3D): midline points plus bilateral points, right before left.
 * A common subset of 3D cephalometric analyses (e.g. Swennen's 3D cephalometry).
 */
export const CBCT: LandmarkTemplate = {
  id: 'cbct',
  label: 'CBCT cephalometry (18, 3D)',
  dimension: 3,
  landmarks: [...CBCT_LANDMARKS],
};

/** Built-in templates. */
export const BUILTIN_TEMPLATES: readonly LandmarkTemplate[] = [CEPHALOGRAM, HAND, CBCT];

/**
 * Validates user templates from configuration and appends them to the built-ins (a user template with
 * a built-in id replaces it). Throws an error naming the template and the problem.
 */
export function resolveTemplates(user: unknown = []): LandmarkTemplate[] {
  if (!Array.isArray(user)) throw new Error('templates: configuration must be an array');
  const byId = new Map(BUILTIN_TEMPLATES.map((t) => [t.id, t]));
  user.forEach((raw, i) => {
    const t = validateTemplate(raw, i);
    byId.set(t.id, t);
  });
  return [...byId.values()];
}

function validateTemplate(raw: unknown, index: number): LandmarkTemplate {
  const where = `templates[${index}]`;
  if (!raw || typeof raw !== 'object') throw new Error(`${where}: must be an object`);
  const t = raw as Record<string, unknown>;
  if (typeof t.id !== 'string' || !/^[a-z0-9-]+$/i.test(t.id)) {
    throw new Error(`${where}: id must be letters, digits or '-' (got ${JSON.stringify(t.id)})`);
  }
  if (t.dimension !== 2 && t.dimension !== 3) {
    throw new Error(`${where} (${t.id}): dimension must be 2 or 3`);
  }
  const names = t.landmarks;
  if (!Array.isArray(names) || names.length < 3 || !names.every((n) => typeof n === 'string')) {
    throw new Error(`${where} (${t.id}): landmarks must be at least 3 names`);
  }
  if (new Set(names).size !== names.length) {
    throw new Error(`${where} (${t.id}): landmark names must be unique`);
  }
  return {
    id: t.id,
    label: typeof t.label === 'string' ? t.label : t.id,
    dimension: t.dimension,
    landmarks: [...(names as string[])],
  };
}

/** Default template for a study: CBCT for CT volumes, cephalogram for X-rays. */
export function defaultTemplateFor(modalities: readonly string[]): string {
  return modalities.includes('CT') ? CBCT.id : CEPHALOGRAM.id;
}
