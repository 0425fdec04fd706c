/** Measures the width of one line of label text, canvas (CSS) pixels, for `font` (a CSS font shorthand). */
export type TextMeasurer = (text: string, font: string) => number;

/** Width per character of the fallback estimate, in em (wide enough for Helvetica/Arial text). */
const EM_PER_CHAR = 0.62;

/** Font size in px of a CSS font shorthand such as `600 14px Helvetica` (14 when none is given). */
export function fontSizePx(font: string): number {
  const m = /(\d+(?:\.\d+)?)px/.exec(font);
  return m ? Number(m[1]) : 14;
}

/** A width estimate without a canvas (Node, tests): characters × 0.62 em. */
export const estimateText: TextMeasurer = (text, font) =>
  text.length * EM_PER_CHAR * fontSizePx(font);

/**
 * A measurer backed by a 2D canvas context's measureText (the font the SVG text is drawn with), with
 * a cache per font and text; the estimate where no canvas is available.
 */
export default function createTextMeasurer(): TextMeasurer {
  let context: CanvasRenderingContext2D | null | undefined;
  const cache = new Map<string, number>();
  return (text, font) => {
    const key = `${font}\n${text}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (context === undefined) {
      context =
        typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
    }
    let width: number;
    if (context) {
      context.font = font;
      width = context.measureText(text).width;
    } else width = estimateText(text, font);
    if (cache.size > 2000) cache.clear();
    cache.set(key, width);
    return width;
  };
}
