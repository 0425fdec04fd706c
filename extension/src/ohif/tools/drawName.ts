/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Where a landmark's name sits relative to its point, canvas (CSS) pixels: the top-left corner of the
 * text group, right of the point and raised so that a 14 px line of text (drawn one 1.2 em line below
 * the corner) is level with the point.
 */
export const NAME_OFFSET = { x: 8, y: -12 } as const;

/** `textUID` of the name's SVG text group (one per annotation; X_β uses 'adjusted-text'). */
export const NAME_TEXT_UID = 'landmark-name';

/**
 * Canvas position of the name of a landmark drawn at `point` (canvas pixels): always the same offset
 * from the point, so the name follows it on pan, zoom and load, whatever other labels are near.
 */
export function namePosition(point: readonly number[]): [number, number] {
  return [point[0] + NAME_OFFSET.x, point[1] + NAME_OFFSET.y];
}

/**
 * Draws a landmark's name beside its point with the host's SVG text box (`cornerstoneTools.drawing`).
 * Placed here rather than by ProbeTool: ProbeTool (Cornerstone3D 4.x) places its text box with
 * getTextBoxCoordsCanvas, which moves each box up or down until it overlaps no box drawn before it in
 * the same render; with 19 cephalometric landmarks a few millimetres apart the names were pushed
 * away from their points, further the more the image was zoomed out (and all at once when an SR was
 * loaded). `style` is the annotation's linked text box style (colour by status, font); padding 0
 * puts the text's corner exactly at namePosition.
 */
export function drawName(
  drawing: any,
  svgDrawingHelper: any,
  annotationUID: string,
  name: string,
  canvasPoint: readonly number[],
  style: Record<string, unknown>,
): void {
  if (!canvasPoint.every(Number.isFinite)) return;
  drawing.drawTextBox(
    svgDrawingHelper,
    annotationUID,
    NAME_TEXT_UID,
    [name],
    namePosition(canvasPoint),
    {
      ...style,
      padding: 0,
    },
  );
}
/* eslint-enable @typescript-eslint/no-explicit-any */
