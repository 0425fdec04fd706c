/**
 * Reads the landmark labels a viewport draws, measured in the page: each label's text box (the SVG
 * text element's client rect, relative to the viewport's canvas), its point (the host Cornerstone's
 * worldToCanvas of the annotation, through the debugging globals only tests touch), its leader line
 * and its halo; and checks them (issue 14 item 3: no two labels overlap, all inside the viewport,
 * each at its default spot beside its point or joined to it by a leader line).
 */
import type { Page } from 'playwright-core';
import { ADJUSTED_IDS } from '../../../extension/src/ohif/tools/drawAdjusted.ts';
import { LABEL_PAD, NAME_IDS, NAME_OFFSET } from '../../../extension/src/ohif/tools/drawName.ts';

/** [left, top, width, height], canvas CSS pixels. */
export type Rect = [number, number, number, number];

/** One drawn label. */
export interface DrawnLabel {
  uid: string;
  /** `name` (a landmark's name or number) or `adjusted` (the X_β deviation). */
  kind: 'name' | 'adjusted';
  /** The annotation's landmark name. */
  name: string;
  /** What the label says. */
  text: string;
  /** The labelled point: the landmark (names) or X_β (adjusted), canvas pixels. */
  point: [number, number];
  box: Rect;
  moved: boolean;
  /** [x1, y1, x2, y2] of the leader line, canvas pixels; null when none is drawn. */
  leader: [number, number, number, number] | null;
  /** Computed SVG paint of the text: its stroke colour and width, and paint-order. */
  halo: { stroke: string; strokeWidth: string; paintOrder: string; fill: string };
}

/** The labels of one viewport and the size of its canvas (CSS pixels). */
export interface ViewLabels {
  canvas: { width: number; height: number };
  labels: DrawnLabel[];
}

/** Every label drawn on viewport `viewportId` (2D or MPR), measured in the page. */
export function viewLabels(page: Page, viewportId: string): Promise<ViewLabels> {
  return page.evaluate(
    ({ viewportId, ids }) => {
      /* eslint-disable @typescript-eslint/no-explicit-any */
      const w = window as any;
      const vp = w.cornerstone
        .getRenderingEngines()
        .map((e: any) => e.getViewport(viewportId))
        .find(Boolean);
      if (!vp) return { canvas: { width: 0, height: 0 }, labels: [] };
      const origin = (vp.canvas as HTMLCanvasElement).getBoundingClientRect();
      const svg: SVGSVGElement | null = vp.element.querySelector('svg');
      const byUid = new Map<string, any>(
        (w.cornerstoneTools.annotation.state.getAllAnnotations() as any[]).map((a) => [
          a.annotationUID,
          a,
        ]),
      );
      const read = (g: Element, kind: 'name' | 'adjusted') => {
        const uid = g.getAttribute('data-annotation-uid') ?? '';
        const a = byUid.get(uid);
        const world = kind === 'name' ? a?.data.handles.points[0] : a?.data.adjustedPoint;
        const [x, y] = world ? (vp.worldToCanvas(world) as number[]) : [NaN, NaN];
        const text = g.querySelector('text') as SVGTextElement;
        const r = text.getBoundingClientRect();
        const line = g.querySelector(
          `line[data-id="${kind === 'name' ? ids.nameLeader : ids.adjustedLeader}"]`,
        );
        const css = getComputedStyle(text);
        return {
          uid,
          kind,
          name: String(a?.data.label ?? ''),
          text: text.textContent ?? '',
          point: [x, y] as [number, number],
          box: [r.left - origin.left, r.top - origin.top, r.width, r.height] as [
            number,
            number,
            number,
            number,
          ],
          moved: g.getAttribute('data-moved') === 'true',
          leader: line
            ? (['x1', 'y1', 'x2', 'y2'].map((k) => Number(line.getAttribute(k))) as [
                number,
                number,
                number,
                number,
              ])
            : null,
          halo: {
            stroke: css.stroke,
            strokeWidth: css.strokeWidth,
            paintOrder: css.paintOrder,
            fill: css.fill,
          },
        };
      };
      const groups = (id: string) => Array.from(svg?.querySelectorAll(`g[data-id="${id}"]`) ?? []);
      return {
        canvas: { width: origin.width, height: origin.height },
        labels: [
          ...groups(ids.name).map((g) => read(g, 'name')),
          ...groups(ids.adjusted).map((g) => read(g, 'adjusted')),
        ],
      };
      /* eslint-enable @typescript-eslint/no-explicit-any */
    },
    {
      viewportId,
      ids: {
        name: NAME_IDS.text,
        nameLeader: NAME_IDS.leader,
        adjusted: ADJUSTED_IDS.text,
        adjustedLeader: ADJUSTED_IDS.leader,
      },
    },
  );
}

/**
 * Canvas position (CSS pixels) of every landmark annotation the viewport shows, by name, drawn or not
 * (a point panned out of the canvas has no label but still a position).
 */
export function landmarkPoints(
  page: Page,
  viewportId: string,
): Promise<Record<string, [number, number]>> {
  return page.evaluate((viewportId) => {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const w = window as any;
    const vp = w.cornerstone
      .getRenderingEngines()
      .map((e: any) => e.getViewport(viewportId))
      .find(Boolean);
    const imageId = vp?.getCurrentImageId?.();
    const out: Record<string, [number, number]> = {};
    for (const a of w.cornerstoneTools.annotation.state.getAllAnnotations() as any[]) {
      if (a.metadata.toolName !== 'LandmarkPoint' || a.metadata.referencedImageId !== imageId)
        continue;
      const [x, y] = vp.worldToCanvas(a.data.handles.points[0]) as number[];
      out[String(a.data.label)] = [x, y];
    }
    return out;
    /* eslint-enable @typescript-eslint/no-explicit-any */
  }, viewportId);
}

const overlap = (a: Rect, b: Rect) =>
  a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];

/** Distance from point p to the rect grown by `grow` px (0 inside). */
const toRect = (p: [number, number], r: Rect, grow = 0) =>
  Math.hypot(
    Math.max(r[0] - grow - p[0], 0, p[0] - (r[0] + r[2] + grow)),
    Math.max(r[1] - grow - p[1], 0, p[1] - (r[1] + r[3] + grow)),
  );

/**
 * What is wrong with a viewport's labels, one line each (empty when nothing): two labels whose text
 * boxes overlap; a label not wholly inside the canvas (0.5 px tolerance for sub-pixel rounding); a
 * name neither at its default spot (text NAME_OFFSET.x right of its point, centred on its height) nor
 * joined to its point by a leader line that starts within 4 px of the point and ends at the text's box;
 * a text without its dark halo painted under the fill.
 */
export function labelProblems(view: ViewLabels): string[] {
  const out: string[] = [];
  const { labels, canvas } = view;
  labels.forEach((a, i) =>
    labels.slice(i + 1).forEach((b) => {
      if (overlap(a.box, b.box)) out.push(`"${a.text}" overlaps "${b.text}"`);
    }),
  );
  for (const l of labels) {
    const [x, y, w, h] = l.box;
    if (x < -0.5 || y < -0.5 || x + w > canvas.width + 0.5 || y + h > canvas.height + 0.5) {
      out.push(`"${l.text}" leaves the viewport: ${l.box.map((v) => v.toFixed(1)).join(', ')}`);
    }
    if (!l.halo.paintOrder.startsWith('stroke') || l.halo.stroke === 'none') {
      out.push(`"${l.text}" has no halo (${JSON.stringify(l.halo)})`);
    }
    if (l.moved) {
      if (!l.leader) {
        out.push(`"${l.text}" moved without a leader line`);
        continue;
      }
      const [x1, y1, x2, y2] = l.leader;
      const start = Math.hypot(x1 - l.point[0], y1 - l.point[1]);
      const end = toRect([x2, y2], l.box, LABEL_PAD + 2);
      if (start > 4 || end > 0.5) {
        out.push(
          `"${l.text}" leader ${start.toFixed(1)} px from its point, ${end.toFixed(1)} px from its box`,
        );
      }
    } else if (l.kind === 'name') {
      const dx = Math.abs(x - (l.point[0] + NAME_OFFSET.x));
      const dy = Math.abs(y + h / 2 - l.point[1]);
      if (dx > 3 || dy > 5)
        out.push(`"${l.text}" ${dx.toFixed(1)} / ${dy.toFixed(1)} px off its spot`);
    }
  }
  return out;
}
