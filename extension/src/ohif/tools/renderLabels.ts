import { drawName, labelBoxSize, NAME_GAP, NAME_IDS, NAME_TEXT_UID } from './drawName.ts';
import type { TextMeasurer } from './createTextMeasurer.ts';
import placeLabels, { type Segment } from './placeLabels.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** One label to draw on a viewport: the landmark's name (or number), or the X_β deviation. */
export interface LabelSource {
  annotationUID: string;
  /** NAME_TEXT_UID or ADJUSTED_TEXT_UID. */
  textUID: string;
  text: string;
  /** The labelled point, canvas (CSS) pixels. */
  anchor: [number, number];
  /** The annotation's text style (status colour, font family and size). */
  style: Record<string, unknown>;
  /** `data-id`s of the text group and its leader line. */
  ids: { text: string; leader: string };
  /** Gap from the point to the label's default spot (default NAME_GAP). */
  gap?: number;
  /** Placed before labels of lower priority (the X_β label: 1; names: 0). */
  priority?: number;
}

/** Size of a viewport's canvas in CSS pixels (the frame of worldToCanvas), or undefined when unknown. */
export function canvasBounds(viewport: any): { width: number; height: number } | undefined {
  const el = viewport?.canvas ?? viewport?.element;
  const width = Number(el?.clientWidth);
  const height = Number(el?.clientHeight);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/**
 * The name labels of landmark annotations: each one's text (`textOf` its name; none when undefined,
 * a hidden label), its point on the canvas (`canvasOf`) and its text style (`styleOf`, Cornerstone's
 * linked text box style: status colour and font; none when its `visibility` is off).
 */
export function nameSources(
  annotations: readonly any[],
  canvasOf: (annotation: any) => number[],
  textOf: (name: string) => string | undefined,
  styleOf: (annotation: any) => Record<string, unknown>,
): LabelSource[] {
  const out: LabelSource[] = [];
  for (const annotation of annotations) {
    const text = textOf(annotation.data.label ?? '');
    if (!text) continue;
    const style = styleOf(annotation);
    if (!style.visibility) continue;
    const p = canvasOf(annotation);
    if (!p.every(Number.isFinite)) continue;
    out.push({
      annotationUID: annotation.annotationUID,
      textUID: NAME_TEXT_UID,
      text,
      anchor: [p[0]!, p[1]!],
      style,
      ids: NAME_IDS,
    });
  }
  return out;
}

/** What the labels of one viewport are placed among, canvas (CSS) pixels. */
export interface LabelScene {
  /** The canvas: labels stay inside it. */
  bounds: { width: number; height: number };
  /** The drawn points (landmarks, X_β): labels keep off them where they can. */
  points: ReadonlyArray<readonly [number, number]>;
  /** Drawn lines (the dashed line to X_β): labels keep off them where they can. */
  lines: readonly Segment[];
  /** Width of a line of text in the labels' font. */
  measure: TextMeasurer;
}

/**
 * Places and draws the labels of one viewport in one pass: labels whose point lies outside the canvas
 * are left out; the others are measured (in the font they are drawn in), placed by placeLabels (no
 * two overlap, all inside the canvas, clear of the scene's points and lines where possible) and drawn
 * with their halo and, when moved, a leader line (drawName). Returns true when any label was drawn.
 */
export default function renderLabels(
  svgDrawingHelper: any,
  sources: readonly LabelSource[],
  scene: LabelScene,
): boolean {
  const { bounds, points, lines, measure } = scene;
  const inside = sources.filter(
    ({ anchor: [x, y] }) => x >= 0 && y >= 0 && x <= bounds.width && y <= bounds.height,
  );
  if (inside.length === 0) return false;
  const placements = placeLabels(
    inside.map((s) => ({
      id: `${s.annotationUID}/${s.textUID}`,
      anchor: s.anchor,
      ...labelBoxSize(s.text, s.style, measure),
      gap: s.gap ?? NAME_GAP,
      priority: s.priority ?? 0,
    })),
    { bounds, points, lines },
  );
  inside.forEach((s, i) =>
    drawName(
      svgDrawingHelper,
      {
        annotationUID: s.annotationUID,
        textUID: s.textUID,
        text: s.text,
        anchor: s.anchor,
        box: placements[i].box,
        moved: placements[i].moved,
        ids: s.ids,
      },
      s.style,
    ),
  );
  return true;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
