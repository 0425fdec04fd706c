/** A landmark point that a press on the canvas may grab: its annotation, name and canvas position. */
export interface PickCandidate {
  uid: string;
  name: string;
  /** Canvas (CSS pixel) position of the point. */
  canvas: readonly number[];
}

/** The landmark a press grabs, and why that one. */
export interface LandmarkPick {
  uid: string;
  name: string;
  /** `only`: the one point in reach; `selected`: the one selected in the panel; `nearest`. */
  why: 'only' | 'selected' | 'nearest';
  /** Canvas pixels from the press to the point. */
  distance: number;
  /** The other points in reach, nearest first. */
  others: Array<{ name: string; distance: number }>;
}

/**
 * Hit-testing of landmark points (canvas pixels): of the points within `proximity` of `cursor`, the
 * landmark selected in the panel (`selectedUid`) when it is one of them, else the nearest (the first in
 * `candidates` order on a tie). Undefined when none is in reach. Cornerstone itself would take the first
 * annotation in store order, so that dragging a selected point that overlaps an earlier one moved the
 * earlier one (issue 14).
 */
export default function pickLandmark(
  candidates: readonly PickCandidate[],
  cursor: readonly number[],
  proximity: number,
  selectedUid?: string,
): LandmarkPick | undefined {
  const near = candidates
    .map((c) => ({
      c,
      distance: Math.hypot(c.canvas[0]! - cursor[0]!, c.canvas[1]! - cursor[1]!),
    }))
    .filter((n) => n.distance < proximity)
    // A stable sort: equal distances keep the candidates' order.
    .sort((a, b) => a.distance - b.distance);
  if (near.length === 0) return undefined;
  const selected = near.find((n) => n.c.uid === selectedUid);
  const chosen = selected ?? near[0]!;
  const why = near.length === 1 ? 'only' : selected ? 'selected' : 'nearest';
  return {
    uid: chosen.c.uid,
    name: chosen.c.name,
    why,
    distance: chosen.distance,
    others: near.filter((n) => n !== chosen).map((n) => ({ name: n.c.name, distance: n.distance })),
  };
}

/** The panel's status line for a pick, e.g. "Moving Sella: the nearest of 2 points (Gonion 3 px)". */
export function pickMessage(pick: LandmarkPick): string {
  const others = pick.others.map((o) => `${o.name} ${o.distance.toFixed(0)} px`).join(', ');
  if (pick.why === 'only') return `Moving ${pick.name}`;
  const count = pick.others.length + 1;
  return pick.why === 'selected'
    ? `Moving ${pick.name}: selected in the list, of ${count} points under the cursor (also ${others})`
    : `Moving ${pick.name}: the nearest of ${count} points under the cursor (also ${others})`;
}
