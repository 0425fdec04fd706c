/**
 * Which ids of a data set to import when only `limit` may be: labelled and unlabelled ids alternate
 * (each list in its own order), so a small demo import has both annotated studies to train on and
 * unannotated ones to pseudo-label. Without a limit (or a larger one) every id is kept, in the order
 * given. `isLabelled` says whether an id is in the labelled list.
 */
export function pickImportIds(
  ids: readonly string[],
  isLabelled: (id: string) => boolean,
  limit?: number,
): string[] {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new Error(`the import limit must be a positive integer, got ${limit}`);
  }
  if (limit === undefined || limit >= ids.length) return [...ids];
  const labelled = ids.filter(isLabelled);
  const unlabelled = ids.filter((id) => !isLabelled(id));
  const out: string[] = [];
  for (let i = 0; out.length < limit; i++) {
    if (i < labelled.length) out.push(labelled[i]);
    if (out.length < limit && i < unlabelled.length) out.push(unlabelled[i]);
  }
  return out;
}
