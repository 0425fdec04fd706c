/* eslint-disable @typescript-eslint/no-explicit-any */

/** Radius of the hollow X_β marker, canvas pixels. */
export const ADJUSTED_RADIUS = 7;

/** `data-id` of the SVG elements drawn for X_β (the e2e test finds them by it). */
export const ADJUSTED_IDS = {
  marker: 'landmarks-adjusted',
  line: 'landmarks-adjusted-line',
} as const;

/** Text drawn beside X_β: the deviation |X_α − X_β| in mm, one decimal (as in the panel). */
export function adjustedText(deviationMm: number | undefined): string[] {
  const d = Number.isFinite(deviationMm) ? `Δ ${(deviationMm as number).toFixed(1)} mm` : 'Δ ? mm';
  return [`X_β ${d}`];
}

/**
 * Draws, for one landmark annotation on a viewport, the shape-adjusted position X_β as a hollow circle,
 * a dashed line from the point (the network's prediction X_α, or where the reviewer moved it) to X_β,
 * and the deviation in mm, in the annotation's status colour. Uses the host's Cornerstone SVG drawing
 * helpers (`cornerstoneTools.drawing`), so the marker is redrawn with the annotations on every render.
 * Returns false when there is nothing to draw (no finite X_β).
 */
export function drawAdjusted(
  drawing: any,
  viewport: any,
  svgDrawingHelper: any,
  annotation: any,
  color: string,
): boolean {
  const world: number[] | undefined = annotation.data.adjustedPoint;
  if (!world || world.length !== 3 || !world.every(Number.isFinite)) return false;
  const uid = annotation.annotationUID;
  const from = viewport.worldToCanvas(annotation.data.handles.points[0]);
  const to = viewport.worldToCanvas(world);
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
  drawing.drawTextBox(
    svgDrawingHelper,
    uid,
    'adjusted-text',
    adjustedText(annotation.data.deviationMm),
    [to[0] + ADJUSTED_RADIUS + 4, to[1] + ADJUSTED_RADIUS + 4],
    { color },
  );
  return true;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
