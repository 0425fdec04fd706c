/** How landmark labels are shown on the viewports (the panel's label controls). */
export interface LabelOptions {
  /** Labels drawn at all (the "Names" toggle, Shift+L). */
  showNames: boolean;
  /** Each landmark's number in its template (1..n) instead of its name. */
  numbersOnly: boolean;
  /** Landmarks whose label is hidden (their points stay). */
  hidden: readonly string[];
}

/** Labels on, names, none hidden. */
export const DEFAULT_LABEL_OPTIONS: LabelOptions = {
  showNames: true,
  numbersOnly: false,
  hidden: [],
};

/**
 * The label drawn beside landmark `name`: its name, or in numbers-only mode its 1-based position in
 * `order` (the template's landmark list, as numbered in the panel; a name not in it keeps its name);
 * undefined when labels are off or this landmark's label is hidden.
 */
export default function labelText(
  name: string,
  options: LabelOptions,
  order: readonly string[],
): string | undefined {
  if (!options.showNames || options.hidden.includes(name)) return undefined;
  if (!options.numbersOnly) return name;
  const i = order.indexOf(name);
  return i >= 0 ? String(i + 1) : name;
}
