/**
 * Label placement (issue 14 item 3): names of close landmarks must never overlap and never leave the
 * viewport. Dense fixtures are the ISBI 2015 cephalograms' landmarks (mean of the two doctors,
 * ../shared/data/isbi2015/landmarks_mean.csv, images 001 and 003, pixels of the 1935 × 2400 images),
 * where the incisal incisions lie 2–4 px apart on screen and menton, gnathion and soft-tissue pogonion
 * crowd the chin.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CEPHALOGRAM_LANDMARKS } from '../../../extension/src/core/synthetic/landmarks.ts';
import {
  labelBoxSize,
  LABEL_PAD,
  NAME_GAP,
  NAME_OFFSET,
} from '../../../extension/src/ohif/tools/drawName.ts';
import { estimateText } from '../../../extension/src/ohif/tools/createTextMeasurer.ts';
import placeLabels, {
  boxesOverlap,
  boxInside,
  leaderLine,
  segmentCrossesBox,
  type Box,
  type LabelPlacement,
  type LabelRequest,
} from '../../../extension/src/ohif/tools/placeLabels.ts';

/** ISBI 2015 landmarks_mean.csv rows 001 and 003: x1, y1, …, x19, y19 (image pixels). */
const ISBI_001 = [
  832.0, 993.5, 1469.0, 1032.0, 1294.5, 1277.0, 596.0, 1203.0, 1370.0, 1642.5, 1364.0, 2056.0,
  1329.0, 2212.0, 1236.0, 2262.5, 1293.5, 2261.0, 694.5, 1813.5, 1458.5, 1869.0, 1449.0, 1864.0,
  1587.0, 1752.0, 1570.0, 2014.0, 1507.5, 1610.0, 1411.5, 2260.0, 939.5, 1510.0, 1402.0, 1560.5,
  664.0, 1336.0,
];
const ISBI_003 = [
  762.0, 1103.5, 1329.5, 910.5, 1262.0, 1176.5, 621.5, 1271.5, 1436.5, 1417.5, 1437.5, 1761.0,
  1460.5, 1881.0, 1406.5, 1935.5, 1447.0, 1922.0, 811.0, 1712.0, 1451.0, 1574.5, 1495.0, 1607.5,
  1578.5, 1444.0, 1595.5, 1687.0, 1525.5, 1365.5, 1536.5, 1886.5, 1005.0, 1408.0, 1431.5, 1349.0,
  712.0, 1349.0,
];
const STYLE = { fontSize: '14px' };
const VIEWPORT = { width: 1000, height: 800 };

/** The 19 names of one ISBI image fitted (centred) into the viewport at `zoom` × the fit scale. */
function cephalogram(row: number[], zoom: number, pan: [number, number] = [0, 0]): LabelRequest[] {
  const fit = Math.min(VIEWPORT.width / 1935, VIEWPORT.height / 2400) * zoom;
  const ox = (VIEWPORT.width - 1935 * fit) / 2 + pan[0];
  const oy = (VIEWPORT.height - 2400 * fit) / 2 + pan[1];
  return CEPHALOGRAM_LANDMARKS.map((name, i) => ({
    id: name,
    anchor: [ox + row[2 * i]! * fit, oy + row[2 * i + 1]! * fit] as const,
    ...labelBoxSize(name, STYLE, estimateText),
    gap: NAME_GAP,
  }));
}

const inView = (r: LabelRequest) =>
  r.anchor[0] >= 0 && r.anchor[1] >= 0 && r.anchor[0] <= 1000 && r.anchor[1] <= 800;

/** Pairs of labels whose boxes overlap, by id. */
function overlapping(placed: LabelPlacement[]): string[] {
  const out: string[] = [];
  placed.forEach((a, i) =>
    placed.slice(i + 1).forEach((b) => {
      if (boxesOverlap(a.box, b.box)) out.push(`${a.id} / ${b.id}`);
    }),
  );
  return out;
}

const outside = (placed: LabelPlacement[], bounds = VIEWPORT) =>
  placed.filter((p) => !boxInside(p.box, bounds)).map((p) => p.id);

const covers = (box: Box, p: readonly [number, number]) =>
  p[0] > box.left && p[0] < box.left + box.width && p[1] > box.top && p[1] < box.top + box.height;

describe('placeLabels', () => {
  it('puts a lone name at its default spot: right of its point, centred on it, not moved', () => {
    const [p] = placeLabels(
      [{ id: 'Sella', anchor: [100, 50], width: 40, height: 20, gap: NAME_GAP }],
      { bounds: VIEWPORT },
    );
    // The text (inside the box by LABEL_PAD) starts NAME_OFFSET.x right of the point.
    expect(p!.box).toEqual({
      left: 100 + NAME_OFFSET.x - LABEL_PAD,
      top: 40,
      width: 40,
      height: 20,
    });
    expect(p!.moved).toBe(false);
    expect(p!.overlaps).toBe(false);
  });

  it.each([
    ['001, fitted', ISBI_001, 1],
    ['001, zoomed out', ISBI_001, 0.5],
    ['001, far out', ISBI_001, 0.3],
    ['003, fitted', ISBI_003, 1],
    ['003, zoomed in 3x', ISBI_003, 3],
  ])(
    'never overlaps two names of a real cephalogram (ISBI %s) and keeps them all inside',
    (_, row, zoom) => {
      const requests = cephalogram(row, zoom).filter(inView);
      const placed = placeLabels(requests, {
        bounds: VIEWPORT,
        points: requests.map((r) => r.anchor),
      });
      expect(overlapping(placed)).toEqual([]);
      expect(outside(placed)).toEqual([]);
      expect(placed.filter((p) => p.overlaps)).toEqual([]);
      // No name covers its own point; the incisal incisions (3 px apart at the fit) are told apart.
      placed.forEach((p, i) => expect(covers(p.box, requests[i]!.anchor)).toBe(false));
    },
  );

  it('moves at least one of two names whose default spots collide, and says so', () => {
    const requests = cephalogram(ISBI_001, 1);
    const placed = placeLabels(requests, { bounds: VIEWPORT });
    const upper = placed.find((p) => p.id === 'Upper incisal incision')!;
    const lower = placed.find((p) => p.id === 'Lower incisal incision')!;
    expect(upper.moved || lower.moved).toBe(true);
    expect(boxesOverlap(upper.box, lower.box)).toBe(false);
  });

  it('keeps names near a panned-away edge inside: flips a name at the right edge to the left', () => {
    const [p] = placeLabels([{ id: 'Nasion', anchor: [995, 400], width: 60, height: 20 }], {
      bounds: VIEWPORT,
    });
    expect(boxInside(p!.box, VIEWPORT)).toBe(true);
    expect(p!.box.left + p!.box.width).toBeLessThan(995);
    expect(p!.moved).toBe(true);
    for (const anchor of [
      [2, 2],
      [998, 798],
      [0, 799],
      [500, 0],
    ] as const) {
      const [q] = placeLabels([{ id: 'a', anchor, width: 150, height: 20 }], { bounds: VIEWPORT });
      expect(boxInside(q!.box, VIEWPORT)).toBe(true);
    }
  });

  it('is deterministic: the same requests in any order give the same boxes', () => {
    const requests = cephalogram(ISBI_003, 0.4);
    const once = placeLabels(requests, { bounds: VIEWPORT });
    const again = placeLabels(requests, { bounds: VIEWPORT });
    const reversed = placeLabels([...requests].reverse(), { bounds: VIEWPORT }).reverse();
    expect(again).toEqual(once);
    expect(reversed).toEqual(once);
  });

  it('places a label of higher priority (X_β) first, at its default spot', () => {
    const names = cephalogram(ISBI_001, 0.5);
    const upper = names.find((r) => r.id === 'Upper incisal incision')!;
    const xBeta: LabelRequest = { ...upper, id: 'zz-adjusted', width: 90, priority: 1 };
    const placed = placeLabels([...names, xBeta], { bounds: VIEWPORT });
    expect(placed.at(-1)!.moved).toBe(false);
    expect(overlapping(placed)).toEqual([]);
  });

  it('moves a name off another landmark’s point when a free spot is near', () => {
    const placed = placeLabels([{ id: 'a', anchor: [100, 100], width: 60, height: 20 }], {
      bounds: VIEWPORT,
      points: [
        [100, 100],
        [130, 100],
      ],
    });
    expect(covers(placed[0]!.box, [130, 100])).toBe(false);
  });

  it('keeps every name inside a viewport too small for all, flagging the ones that overlap', () => {
    const small = { width: 120, height: 60 };
    const requests = Array.from({ length: 6 }, (_, i) => ({
      id: `n${i}`,
      anchor: [60 + i, 30] as const,
      width: 80,
      height: 20,
    }));
    const placed = placeLabels(requests, { bounds: small });
    expect(outside(placed, small)).toEqual([]);
    expect(placed.some((p) => p.overlaps)).toBe(true);
    // Only those flagged overlap a label placed before them.
    expect(placed.filter((p) => !p.overlaps).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps a label off a drawn line (the dashed line to X_β) when a free spot is near', () => {
    // X_β 100 px right of its point: its label's default spot (right of X_β) is free, but one whose
    // default spot lies on the dashed line moves off it.
    const line = [
      [100, 100],
      [200, 100],
    ] as const;
    const [p] = placeLabels([{ id: 'a', anchor: [100, 100], width: 60, height: 20 }], {
      bounds: VIEWPORT,
      lines: [line],
    });
    expect(segmentCrossesBox(line, p!.box)).toBe(false);
    expect(p!.moved).toBe(true);
  });

  it('keeps leader lines from running through other names at the fitted view', () => {
    for (const row of [ISBI_001, ISBI_003]) {
      const requests = cephalogram(row, 1);
      const placed = placeLabels(requests, {
        bounds: VIEWPORT,
        points: requests.map((r) => r.anchor),
      });
      const crossings = placed.flatMap((p, i) => {
        const leader = p.moved ? leaderLine(requests[i]!.anchor, p.box) : undefined;
        return leader
          ? placed
              .filter((o) => o !== p && segmentCrossesBox(leader, o.box))
              .map((o) => `${p.id} → ${o.id}`)
          : [];
      });
      expect(crossings).toEqual([]);
    }
  });

  it('refuses two labels with the same id', () => {
    const r = { id: 'a', anchor: [1, 1] as const, width: 1, height: 1 };
    expect(() => placeLabels([r, r], { bounds: VIEWPORT })).toThrow(/unique/);
  });

  it('never overlaps names of 19 points crowded into a few pixels anywhere in the viewport', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 800 }),
        fc.array(fc.tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: -10, max: 10 })), {
          minLength: 19,
          maxLength: 19,
        }),
        (cx, cy, offsets) => {
          const requests = offsets.map(([dx, dy], i) => ({
            id: CEPHALOGRAM_LANDMARKS[i]!,
            anchor: [
              Math.min(1000, Math.max(0, cx + dx)),
              Math.min(800, Math.max(0, cy + dy)),
            ] as const,
            ...labelBoxSize(CEPHALOGRAM_LANDMARKS[i]!, STYLE, estimateText),
          }));
          const placed = placeLabels(requests, { bounds: VIEWPORT });
          return overlapping(placed).length === 0 && outside(placed).length === 0;
        },
      ),
      { seed: 14, numRuns: 150 },
    );
  });
});

describe('leaderLine', () => {
  it('runs from 3 px beside the point to the nearest point of the box outline', () => {
    const line = leaderLine([0, 0], { left: 10, top: -5, width: 20, height: 10 });
    expect(line).toEqual([
      [3, 0],
      [10, 0],
    ]);
    const diagonal = leaderLine([0, 0], { left: 30, top: 40, width: 5, height: 5 })!;
    expect(diagonal[1]).toEqual([30, 40]);
    expect(Math.hypot(...diagonal[0])).toBeCloseTo(3, 10);
  });

  it('crosses a box only through its interior', () => {
    const box = { left: 10, top: 10, width: 10, height: 10 };
    expect(
      segmentCrossesBox(
        [
          [0, 15],
          [30, 15],
        ],
        box,
      ),
    ).toBe(true);
    expect(
      segmentCrossesBox(
        [
          [0, 0],
          [30, 30],
        ],
        box,
      ),
    ).toBe(true);
    expect(
      segmentCrossesBox(
        [
          [0, 15],
          [9, 15],
        ],
        box,
      ),
    ).toBe(false);
    // Along an edge, or ending on it, is not a crossing.
    expect(
      segmentCrossesBox(
        [
          [0, 10],
          [30, 10],
        ],
        box,
      ),
    ).toBe(false);
    expect(
      segmentCrossesBox(
        [
          [0, 15],
          [10, 15],
        ],
        box,
      ),
    ).toBe(false);
    expect(
      segmentCrossesBox(
        [
          [12, 12],
          [12, 12],
        ],
        box,
      ),
    ).toBe(true);
  });

  it('draws none for a box touching its point', () => {
    expect(leaderLine([0, 0], { left: 2, top: -5, width: 20, height: 10 })).toBeUndefined();
  });
});
