/* eslint-disable @typescript-eslint/no-explicit-any */

/** Radius of the hollow X_β marker, canvas pixels. */
export const ADJUSTED_RADIUS = 7;

/** `data-id` of the SVG elements drawn for X_β (the e2e test finds them by it). */
export const ADJUSTED_IDS = {
  marker: 'landmarks-adjusted',
  line: 'landmarks-adjusted-line',
  text: 'landmarks-adjusted-text',
  leader: 'landmarks-adjusted-leader',
} as const;

/** Text drawn beside X_β: the deviation |X_α − X_β| in mm, one decimal (as in the panel). */
export function adjustedText(deviationMm: number | undefined): string[] {
  const d = Number.isFinite(deviationMm) ? `Δ ${(deviationMm as number).toFixed(1)} mm` : 'Δ ? mm';
  return [`X_β ${d}`];
}

/** `textUID` of the X_β label (placed with the names, see renderLabels.ts). */
export const ADJUSTED_TEXT_UID = 'adjusted-text';

/** What drawAdjusted leaves to the label placement: X_β's canvas point and its text. */
export interface AdjustedLabel {
  /** X_β, canvas pixels. */
  anchor: [number, number];
  text: string;
  /** Gap between X_β and its label: clear of the hollow circle. */
  gap: number;
  /** The dashed line from the point to X_β, canvas pixels (labels keep off it). */
  line: [[number, number], [number, number]];
}

/**
 * Draws, for one landmark annotation on a viewport, the shape-adjusted position X_β as a hollow circle
 * and a dashed line from the point (the network's prediction X_α, or where the reviewer moved it) to
 * X_β, in the annotation's status colour, with the host's Cornerstone SVG drawing helpers
 * (`cornerstoneTools.drawing`), so the marker is redrawn with the annotations on every render. Its text
 * (the deviation in mm) is returned rather than drawn: it is placed with the landmark names, inside
 * the viewport and clear of them (renderLabels.ts). Returns undefined when there is nothing to draw
 * (no finite X_β).
 */
export function drawAdjusted(
  drawing: any,
  viewport: any,
  svgDrawingHelper: any,
  annotation: any,
  color: string,
): AdjustedLabel | undefined {
  const world: number[] | undefined = annotation.data.adjustedPoint;
  if (!world || world.length !== 3 || !world.every(Number.isFinite)) return undefined;
  const uid = annotation.annotationUID;
  const from = viewport.worldToCanvas(annotation.data.handles.points[0]);
  const to = viewport.worldToCanvas(world);
  if (![...from, ...to].every(Number.isFinite)) return undefined;
  drawing.drawLine(
    svgDrawingHelper,
    uid,
    'adjusted-line',
    from,
    to,
    { color, lineWidth: 1, lineDash: '4,3' },
    ADJUSTED_IDS.line,
  );
  drawing.drawCircle(
    svgDrawingHelper,
    uid,
    'adjusted',
    to,
    ADJUSTED_RADIUS,
    { color, fill: 'none', lineWidth: 2 },
    ADJUSTED_IDS.marker,
  );
  return {
    anchor: [to[0], to[1]],
    text: adjustedText(annotation.data.deviationMm)[0],
    gap: ADJUSTED_RADIUS + 4,
    line: [
      [from[0], from[1]],
      [to[0], to[1]],
    ],
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
