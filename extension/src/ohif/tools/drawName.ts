import { leaderLine, type Box } from './placeLabels.ts';
import type { TextMeasurer } from './createTextMeasurer.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The default spot of a landmark's name, canvas (CSS) pixels from its point: the text starts 8 px
 * right of the point and its line is centred on the point's height. placeLabels moves a name from
 * there only when it would overlap another label or leave the viewport.
 */
export const NAME_OFFSET = { x: 8, y: 0 } as const;

/** Pixels between the text and the edge of its placement box (room for the halo). */
export const LABEL_PAD = 2;

/** Gap between a point and the box of its name at the default spot (so the text is at NAME_OFFSET). */
export const NAME_GAP = NAME_OFFSET.x - LABEL_PAD;

/** The dark outline drawn behind the text (SVG `paint-order: stroke`), so names read on bright bone. */
export const HALO = { color: 'rgba(0, 0, 0, 0.85)', width: 3 } as const;

/** Label font: the annotation style's family and size, semi-bold. */
export const LABEL_FONT = {
  family: 'Helvetica, Arial, sans-serif',
  size: 14,
  weight: 600,
  /** Line box height, em: the text's ascent and descent with a little room. */
  lineHeight: 1.2,
} as const;

/** `textUID` of a landmark's name (one per annotation; X_β uses 'adjusted-text'). */
export const NAME_TEXT_UID = 'landmark-name';

/** `data-id` of the SVG elements of a name (the e2e tests find them by it). */
export const NAME_IDS = { text: 'landmarks-name', leader: 'landmarks-name-leader' } as const;

/**
 * Canvas position of the start of a name's text at its default spot: [left edge, centre line], for a
 * landmark drawn at `point` (canvas pixels).
 */
export function namePosition(point: readonly number[]): [number, number] {
  return [point[0] + NAME_OFFSET.x, point[1] + NAME_OFFSET.y];
}

/** The label font as a CSS font shorthand (canvas measureText and the SVG text use the same). */
export function labelFont(style: Record<string, unknown> = {}): string {
  const size = fontSizeOf(style);
  const family = typeof style.fontFamily === 'string' ? style.fontFamily : LABEL_FONT.family;
  return `${LABEL_FONT.weight} ${size}px ${family}`;
}

function fontSizeOf(style: Record<string, unknown>): number {
  const n = Number.parseFloat(String(style.fontSize ?? ''));
  return Number.isFinite(n) && n > 0 ? n : LABEL_FONT.size;
}

/**
 * Size of the placement box of one line of label text, canvas pixels: the measured text width and
 * the line height, plus LABEL_PAD on every side (the halo lies inside the box).
 */
export function labelBoxSize(
  text: string,
  style: Record<string, unknown>,
  measure: TextMeasurer,
): { width: number; height: number } {
  const size = fontSizeOf(style);
  return {
    width: Math.ceil(measure(text, labelFont(style))) + 2 * LABEL_PAD,
    height: Math.ceil(size * LABEL_FONT.lineHeight) + 2 * LABEL_PAD,
  };
}

/** What one drawn label is: its annotation, its SVG ids, text, colour and placed box. */
export interface DrawnLabel {
  annotationUID: string;
  /** Distinguishes the labels of one annotation (NAME_TEXT_UID, 'adjusted-text'). */
  textUID: string;
  text: string;
  /** The point the label belongs to, canvas pixels. */
  anchor: readonly [number, number];
  box: Box;
  /** Not at its default spot: a leader line joins it to its point. */
  moved: boolean;
  /** `data-id`s of the text group and the leader line. */
  ids: { text: string; leader: string };
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Sets the attributes that differ (a redraw touches the DOM only where something changed). */
function setAttributes(element: Element, attributes: Record<string, string>): void {
  for (const [k, v] of Object.entries(attributes)) {
    if (element.getAttribute(k) !== v) element.setAttribute(k, v);
  }
}

/**
 * Draws one placed label: the text (status colour) over a dark halo, in its box, and, when the label
 * was moved from its default spot, a thin leader line (status colour) from the point to the box. Both
 * sit in one SVG group of ours (`data-annotation-uid`, `data-id` = ids.text, `data-moved`; the line
 * `data-id` = ids.leader), kept in the host's SVG node cache (`svgDrawingHelper`) like Cornerstone's
 * own drawings, so it is updated in place and removed when no longer drawn. Cornerstone's drawTextBox
 * is not used: it has no halo, and it registers each box for ProbeTool's overlap shifting, which moved
 * names away from their points (the reason names are drawn by our tool).
 */
export function drawName(
  svgDrawingHelper: any,
  label: DrawnLabel,
  style: Record<string, unknown>,
): void {
  const { annotationUID, textUID, box } = label;
  if (![box.left, box.top, ...label.anchor].every(Number.isFinite)) return;
  const color = typeof style.color === 'string' ? style.color : 'rgb(0, 255, 0)';
  const hash = `${annotationUID}::landmarks-label::${textUID}`;
  let group: SVGGElement | undefined = svgDrawingHelper.getSvgNode(hash);
  let text: SVGTextElement | null | undefined = group?.querySelector('text');
  if (!group || !text) {
    group = document.createElementNS(SVG_NS, 'g');
    text = document.createElementNS(SVG_NS, 'text');
    group.appendChild(text);
    svgDrawingHelper.appendNode(group, hash);
  } else svgDrawingHelper.setNodeTouched(hash);
  setAttributes(group, {
    'data-annotation-uid': annotationUID,
    'data-id': label.ids.text,
    'data-moved': label.moved ? 'true' : 'false',
  });
  setAttributes(text, {
    x: String(box.left + LABEL_PAD),
    y: String(box.top + box.height / 2),
    'dominant-baseline': 'central',
    fill: color,
    stroke: HALO.color,
    'stroke-width': String(HALO.width),
    'stroke-linejoin': 'round',
    'paint-order': 'stroke',
    'font-family': typeof style.fontFamily === 'string' ? style.fontFamily : LABEL_FONT.family,
    'font-size': `${fontSizeOf(style)}px`,
    'font-weight': String(LABEL_FONT.weight),
    style: 'user-select: none; pointer-events: none;',
  });
  if (text.textContent !== label.text) text.textContent = label.text;
  const leader = label.moved ? leaderLine(label.anchor, box) : undefined;
  let line = group.querySelector('line');
  if (!leader) {
    line?.remove();
    return;
  }
  if (!line) {
    line = document.createElementNS(SVG_NS, 'line');
    group.insertBefore(line, text);
  }
  setAttributes(line, {
    'data-id': label.ids.leader,
    x1: String(leader[0][0]),
    y1: String(leader[0][1]),
    x2: String(leader[1][0]),
    y2: String(leader[1][1]),
    stroke: color,
    'stroke-width': '1',
    style: 'pointer-events: none;',
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */
