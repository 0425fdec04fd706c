/**
 * Label placement for landmark names (issue 14 item 3): each label goes to one of several candidate
 * spots around its point, greedily, so that no two labels overlap and every label lies inside the
 * viewport. Pure: canvas (CSS) pixels in, boxes out; no DOM.
 */

/** An axis-aligned box, canvas (CSS) pixels. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One label to place: a `width` × `height` box (text plus its halo) beside the canvas point `anchor`. */
export interface LabelRequest {
  /** Stable key; ties in the placement order are broken by it. */
  id: string;
  anchor: readonly [number, number];
  width: number;
  height: number;
  /** Gap between the anchor and the box at the default spot (default {@link PLACEMENT_DEFAULTS}.gap). */
  gap?: number;
  /** Labels with a higher priority are placed first (default 0), e.g. the review's X_β label. */
  priority?: number;
}

/** Where a label went. */
export interface LabelPlacement {
  id: string;
  box: Box;
  /** Not at the default spot (right of the point, centred on it): draw a leader line. */
  moved: boolean;
  /**
   * Overlaps a label placed before it: only when no candidate spot inside the viewport was free
   * (the viewport is too small for all labels); then the spot with the least overlap was taken.
   */
  overlaps: boolean;
}

/** Placement settings, canvas pixels. */
export interface PlacementOptions {
  /** The viewport: labels stay inside [0, width] × [0, height]. */
  bounds: { width: number; height: number };
  /**
   * Points a label should not cover (other landmarks, the X_β marker): a candidate covering one costs
   * `pointPenalty`; it is still taken when nothing better is free.
   */
  points?: ReadonlyArray<readonly [number, number]>;
  /** Radius of a point for `points`. */
  pointRadius?: number;
  /** Default gap between a point and its label. */
  gap?: number;
  /** At most this many rings of candidate spots, each one label height further out. */
  rings?: number;
  /** Cost of covering a point, in rings (1 = as bad as one ring further out). */
  pointPenalty?: number;
  /**
   * Lines a label should not lie across (the dashed line to X_β); the leader lines of labels already
   * placed are added. Each line a candidate crosses, and each placed label its own leader line would
   * cross, costs `linePenalty` rings.
   */
  lines?: ReadonlyArray<Segment>;
  /** Cost of one line crossing, in rings. */
  linePenalty?: number;
}

/** Defaults of {@link PlacementOptions}. */
export const PLACEMENT_DEFAULTS = {
  gap: 6,
  rings: 64,
  pointRadius: 4,
  pointPenalty: 2,
  linePenalty: 2,
} as const;

/** A line segment [from, to], canvas pixels. */
export type Segment = readonly [readonly [number, number], readonly [number, number]];

/** Candidate directions, in order of preference: right (the default), left, the diagonals, above, below. */
const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [-1, 0],
  [1, -1],
  [1, 1],
  [-1, -1],
  [-1, 1],
  [0, -1],
  [0, 1],
];

/** True when the two boxes share interior (touching edges do not overlap). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return (
    a.left < b.left + b.width &&
    b.left < a.left + a.width &&
    a.top < b.top + b.height &&
    b.top < a.top + a.height
  );
}

/** Area shared by two boxes, px². */
function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** True when `box` lies inside the bounds. */
export function boxInside(box: Box, bounds: { width: number; height: number }): boolean {
  return (
    box.left >= 0 &&
    box.top >= 0 &&
    box.left + box.width <= bounds.width &&
    box.top + box.height <= bounds.height
  );
}

/** `box` moved the least distance needed to lie inside the bounds (top-left wins if it is larger). */
function clampInside(box: Box, bounds: { width: number; height: number }): Box {
  const left = Math.max(0, Math.min(box.left, bounds.width - box.width));
  const top = Math.max(0, Math.min(box.top, bounds.height - box.height));
  return { ...box, left, top };
}

/** The box at distance `r` from the anchor in direction `d` (diagonals: corner at r / √2 each way). */
function boxAt(r: LabelRequest, d: readonly [number, number], dist: number, shift = 0): Box {
  const [x, y] = r.anchor;
  const { width, height } = r;
  const k = d[0] !== 0 && d[1] !== 0 ? Math.SQRT1_2 : 1;
  const left = d[0] > 0 ? x + dist * k : d[0] < 0 ? x - dist * k - width : x - width / 2;
  const top = d[1] > 0 ? y + dist * k : d[1] < 0 ? y - dist * k - height : y - height / 2 + shift;
  return { left, top, width, height };
}

interface Candidate {
  box: Box;
  /** Preference: lower is better (ring, then direction). */
  cost: number;
}

/** Sixteen directions for the outer rings (the eight of ring 0 first, then those between them). */
const OUTER: ReadonlyArray<readonly [number, number]> = [
  ...DIRECTIONS,
  ...[1, 3, 5, 7, 9, 11, 13, 15].map((k) => {
    const a = (k * Math.PI) / 8;
    return [Math.cos(a), Math.sin(a)] as const;
  }),
];

/** The box whose nearest point to the anchor lies at distance `dist` in direction `d` (unit or axis). */
function boxToward(r: LabelRequest, d: readonly [number, number], dist: number): Box {
  const [x, y] = r.anchor;
  const { width, height } = r;
  const px = x + d[0] * dist;
  const py = y + d[1] * dist;
  const eps = 1e-9;
  const left = d[0] > eps ? px : d[0] < -eps ? px - width : px - width / 2;
  const top = d[1] > eps ? py : d[1] < -eps ? py - height : py - height / 2;
  return { left, top, width, height };
}

/**
 * Candidate spots of one label in ring `k` (costs in [k, k + 1½)): ring 0 has the eight directions
 * (right, centred on the point, is the default spot); ring k ≥ 1 has the label right or left of the
 * point moved up or down by k label heights (a column beside a cluster, cost k) and sixteen directions
 * k label heights further out (cost k + ¼). Spots cut by the viewport edge are replaced by the same
 * spot clamped inside, at ½ extra cost (so flipping to the other side wins when it is free).
 */
function ringCandidates(r: LabelRequest, gap: number, bounds: Box, k: number): Candidate[] {
  const out: Candidate[] = [];
  const add = (box: Box, cost: number) => {
    if (boxInside(box, bounds)) out.push({ box, cost });
    else out.push({ box: clampInside(box, bounds), cost: cost + 0.5 });
  };
  if (k === 0) {
    DIRECTIONS.forEach((d, i) => add(boxAt(r, d, gap), i / DIRECTIONS.length));
    return out;
  }
  const step = k * (r.height + 1);
  [
    [1, -1],
    [1, 1],
    [-1, -1],
    [-1, 1],
  ].forEach(([side, up], i) => add(boxAt(r, [side, 0], gap, up * step), k + i / 16));
  OUTER.forEach((d, i) => add(boxToward(r, d, gap + k * r.height), k + 0.25 + i / 64));
  return out;
}

/** True when the segment passes through the box's interior (Liang–Barsky clipping; touching is not). */
export function segmentCrossesBox(segment: Segment, box: Box): boolean {
  const [[x0, y0], [x1, y1]] = segment;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const p = [-dx, dx, -dy, dy];
  const q = [x0 - box.left, box.left + box.width - x0, y0 - box.top, box.top + box.height - y0];
  let t0 = 0;
  let t1 = 1;
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i]! <= 0) return false;
    } else {
      const t = q[i]! / p[i]!;
      if (p[i]! < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  return t0 < t1;
}

/** True when the box covers the disc of radius `radius` at `p`. */
function coversPoint(box: Box, p: readonly [number, number], radius: number): boolean {
  const cx = Math.max(box.left, Math.min(p[0], box.left + box.width));
  const cy = Math.max(box.top, Math.min(p[1], box.top + box.height));
  return Math.hypot(cx - p[0], cy - p[1]) < radius;
}

/**
 * Places every label (canvas pixels): labels are taken by priority (higher first), then by id; each
 * takes the cheapest of its candidate spots (see `ringCandidates`) that lies inside the viewport and
 * overlaps no label placed before it, a spot covering another point costing `pointPenalty` rings
 * more and each line crossing (`lines`, leader lines) `linePenalty` more; a spot never covers the label's own point. When no spot is free, the one overlapping the placed labels least is taken and the placement
 * says `overlaps`. Deterministic: the same requests, in any order, give the same boxes.
 *
 * @returns one placement per request, in the order of `requests`.
 * @throws Error when two requests share an id.
 */
export default function placeLabels(
  requests: readonly LabelRequest[],
  options: PlacementOptions,
): LabelPlacement[] {
  const gapDefault = options.gap ?? PLACEMENT_DEFAULTS.gap;
  const rings = options.rings ?? PLACEMENT_DEFAULTS.rings;
  const radius = options.pointRadius ?? PLACEMENT_DEFAULTS.pointRadius;
  const penalty = options.pointPenalty ?? PLACEMENT_DEFAULTS.pointPenalty;
  const linePenalty = options.linePenalty ?? PLACEMENT_DEFAULTS.linePenalty;
  const points = options.points ?? [];
  const lines: Segment[] = [...(options.lines ?? [])];
  const bounds: Box = { left: 0, top: 0, ...options.bounds };
  const ids = new Set(requests.map((r) => r.id));
  if (ids.size !== requests.length) throw new Error('placeLabels: label ids must be unique');
  const order = [...requests].sort(
    (a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const placed: Box[] = [];
  const byId = new Map<string, LabelPlacement>();
  for (const r of order) {
    const gap = r.gap ?? gapDefault;
    const own = (p: readonly [number, number]) => p[0] === r.anchor[0] && p[1] === r.anchor[1];
    const home = boxAt(r, DIRECTIONS[0]!, gap);
    const isHome = (b: Box) => b.left === home.left && b.top === home.top;
    const cost = (c: Candidate): number | undefined => {
      if (coversPoint(c.box, r.anchor, radius)) return undefined;
      if (placed.some((b) => boxesOverlap(b, c.box))) return undefined;
      const covers = points.some((p) => !own(p) && coversPoint(c.box, p, radius));
      const leader = isHome(c.box) ? undefined : leaderLine(r.anchor, c.box);
      const crossings =
        lines.filter((l) => segmentCrossesBox(l, c.box)).length +
        (leader ? placed.filter((b) => segmentCrossesBox(leader, b)).length : 0);
      return c.cost + (covers ? penalty : 0) + crossings * linePenalty;
    };
    // Rings go out to the viewport's size, so a free spot is found whenever there is one.
    const last = Math.min(rings, Math.ceil(Math.max(bounds.width, bounds.height) / r.height));
    const all: Candidate[] = [];
    let pending: Candidate[] = [];
    let best: { c: Candidate; cost: number } | undefined;
    // Ring by ring, cheapest first; ring k + 1 costs at least k + 1, so stop once the best is cheaper.
    for (let k = 0; k <= last && !(best && best.cost <= k); k++) {
      const batch = ringCandidates(r, gap, bounds, k);
      all.push(...batch);
      pending = [...pending, ...batch].sort((a, b) => a.cost - b.cost);
      const limit = k === last ? Infinity : k + 1;
      while (pending.length > 0 && pending[0]!.cost < limit) {
        const c = pending.shift()!;
        if (best && c.cost >= best.cost) break;
        const value = cost(c);
        if (value !== undefined && (!best || value < best.cost)) best = { c, cost: value };
      }
    }
    let box: Box;
    let overlaps = false;
    if (best) box = best.c.box;
    else {
      const area = (b: Box) => placed.reduce((s, p) => s + overlapArea(p, b), 0);
      box = all.reduce((a, c) => (area(c.box) < area(a.box) ? c : a)).box;
      overlaps = true;
    }
    const moved = !isHome(box);
    placed.push(box);
    const leader = moved ? leaderLine(r.anchor, box) : undefined;
    if (leader) lines.push(leader);
    byId.set(r.id, { id: r.id, box, moved, overlaps });
  }
  return requests.map((r) => byId.get(r.id)!);
}

/**
 * Leader line from a label's point to its box: from `anchor` (moved `skip` pixels towards the box, so
 * the line does not cover the point) to the nearest point of the box's outline. Undefined when the
 * anchor is within `skip` of the box.
 */
export function leaderLine(
  anchor: readonly [number, number],
  box: Box,
  skip = 3,
): [[number, number], [number, number]] | undefined {
  const end: [number, number] = [
    Math.max(box.left, Math.min(anchor[0], box.left + box.width)),
    Math.max(box.top, Math.min(anchor[1], box.top + box.height)),
  ];
  const len = Math.hypot(end[0] - anchor[0], end[1] - anchor[1]);
  if (len <= skip) return undefined;
  const t = skip / len;
  const start: [number, number] = [
    anchor[0] + (end[0] - anchor[0]) * t,
    anchor[1] + (end[1] - anchor[1]) * t,
  ];
  return [start, end];
}
