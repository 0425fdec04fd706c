/**
 * What `landmarks train` and `landmarks predict` share for the items of a folder (images, or volumes'
 * series folders), 2D and 3D alike: finding the ids a user gave among the listed items and the rows of
 * a landmark table (matched as normaliseImageId matches them), and predicting each item with one bad
 * item reported and skipped.
 */
import { normaliseImageId } from '../core/data/landmarkTable.ts';
import progressBar from './progressBar.ts';

export type ItemKind = 'image' | 'volume';

/** An item that could not be predicted, named, and why. */
export interface ItemFailure {
  id: string;
  reason: string;
}

/** Looks a user's id up among listed items (id → file or folder); undefined when none matches. */
export function itemFinder<T>(
  listed: ReadonlyMap<string, T>,
): (wanted: string) => { id: string; entry: T } | undefined {
  const byKey = new Map([...listed].map(([id, entry]) => [normaliseImageId(id), { id, entry }]));
  return (wanted) => byKey.get(normaliseImageId(wanted));
}

/** The landmark row of an item; throws naming the item when the table has none. */
export function landmarkRow(
  table: ReadonlyMap<string, number[][]>,
  kind: ItemKind,
  id: string,
): number[][] {
  for (const [key, shape] of table)
    if (normaliseImageId(key) === normaliseImageId(id)) return shape;
  throw new Error(`${kind} "${id}": no row in the landmark table`);
}

/**
 * Runs `predict` on each wanted item in order, with a progress bar. An item that is not listed
 * (`missing` says where it was looked for) or whose prediction throws is reported, named, and skipped;
 * the others are still predicted.
 */
export async function predictEach<T>(
  ids: readonly string[],
  listed: ReadonlyMap<string, T>,
  o: { kind: ItemKind; label: string; missing: (wanted: string) => string },
  predict: (id: string, entry: T) => Promise<void>,
): Promise<ItemFailure[]> {
  const find = itemFinder(listed);
  const failed: ItemFailure[] = [];
  const bar = progressBar(o.label);
  bar.start(ids.length, 0, { info: '' });
  try {
    for (const wanted of ids) {
      const found = find(wanted);
      const id = found?.id ?? wanted;
      try {
        if (!found) throw new Error(`${o.kind} "${wanted}": ${o.missing(wanted)}`);
        await predict(found.id, found.entry);
      } catch (error) {
        const reason = (error as Error).message;
        // Name the item even where the reader's message does not.
        failed.push({ id, reason: reason.includes(id) ? reason : `${o.kind} "${id}": ${reason}` });
      }
      bar.increment(1, { info: id });
    }
  } finally {
    bar.stop();
  }
  return failed;
}
