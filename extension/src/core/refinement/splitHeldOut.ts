/**
 * Which labelled images the refiner leaves out of its training to decide its gate on, when the training
 * run has no validation split: a seeded random `fraction` of them, at least `minHeldOut`, and none when
 * fewer than `minImages` are labelled (every image is then needed for training; no gate is decided).
 */
import createRandom from '../data/createRandom.ts';

/** Held-out policy; defaults in DEFAULT_HELD_OUT. */
export interface HeldOutPolicy {
  /** Fraction of the labelled images held out, in [0, 1). */
  fraction: number;
  /** At least this many are held out (when any are). */
  minHeldOut: number;
  /** Hold out nothing below this many labelled images. */
  minImages: number;
}

/** 20 % of the labelled images, at least 2, none under 5 (ISBI: 20 labels → 4, 150 → 30). */
export const DEFAULT_HELD_OUT: HeldOutPolicy = { fraction: 0.2, minHeldOut: 2, minImages: 5 };

/**
 * @param ids labelled image ids
 * @param seed the split's seed
 * @returns train and held-out ids (disjoint, train keeps the input order, held-out in drawn order)
 */
export default function splitHeldOut(
  ids: readonly string[],
  seed: number,
  policy: HeldOutPolicy = DEFAULT_HELD_OUT,
): { train: string[]; heldOut: string[] } {
  if (!(policy.fraction >= 0 && policy.fraction < 1))
    throw new Error(`held-out fraction must be in [0, 1), got ${policy.fraction}`);
  if (ids.length < policy.minImages || policy.fraction === 0)
    return { train: [...ids], heldOut: [] };
  const count = Math.min(
    ids.length - 1,
    Math.max(policy.minHeldOut, Math.round(policy.fraction * ids.length)),
  );
  const heldOut = createRandom(seed).shuffle(ids).slice(0, count);
  const out = new Set(heldOut);
  return { train: ids.filter((id) => !out.has(id)), heldOut };
}
