import { DEFAULT_LABEL_OPTIONS, type LabelOptions } from '../tools/labelText.ts';

/** sessionStorage key of the label options (kept for the browser tab's session, across reloads). */
export const LABEL_OPTIONS_KEY = 'ohif-landmarks-labels';

/** The part of the Web Storage API used here (sessionStorage in the browser; a fake in tests). */
export type OptionsStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The tab's sessionStorage, or undefined where there is none (Node) or it is refused. */
export function sessionStore(): OptionsStorage | undefined {
  try {
    return typeof window !== 'undefined' ? window.sessionStorage : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `current` with the valid fields of `patch` applied (booleans for the switches, a list of strings for
 * `hidden`, kept in order without repeats); other fields and values are ignored. Never mutates.
 */
export function withLabelOptions(current: LabelOptions, patch: unknown): LabelOptions {
  const p = (patch ?? {}) as Partial<Record<keyof LabelOptions, unknown>>;
  const hidden = Array.isArray(p.hidden)
    ? [...new Set(p.hidden.filter((n): n is string => typeof n === 'string'))]
    : current.hidden;
  return {
    showNames: typeof p.showNames === 'boolean' ? p.showNames : current.showNames,
    numbersOnly: typeof p.numbersOnly === 'boolean' ? p.numbersOnly : current.numbersOnly,
    hidden: [...hidden],
  };
}

/** The options saved in `storage` this session, else the defaults (names on, none hidden). */
export function loadLabelOptions(
  storage: OptionsStorage | undefined = sessionStore(),
): LabelOptions {
  try {
    const saved = JSON.parse(storage?.getItem(LABEL_OPTIONS_KEY) ?? 'null') as unknown;
    return withLabelOptions(DEFAULT_LABEL_OPTIONS, saved);
  } catch {
    return withLabelOptions(DEFAULT_LABEL_OPTIONS, {});
  }
}

/** Saves the options for the rest of the session (a full storage only loses the saving). */
export function saveLabelOptions(
  options: LabelOptions,
  storage: OptionsStorage | undefined = sessionStore(),
): void {
  try {
    storage?.setItem(LABEL_OPTIONS_KEY, JSON.stringify(options));
  } catch {
    // Quota or privacy mode: the options still hold for this page.
  }
}
