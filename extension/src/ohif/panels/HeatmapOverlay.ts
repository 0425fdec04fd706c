/**
 * A semi-transparent heatmap drawn over a 2D Cornerstone viewport: one canvas laid exactly over
 * Cornerstone's own canvas (a sibling of it, no pointer events), redrawn on every IMAGE_RENDERED of that viewport (pan, zoom, resize,
 * window level), positioned with the host's imageToWorldCoords + viewport.worldToCanvas, so it follows
 * the image exactly, clipped to the image. Hidden while the viewport shows another image than the one
 * predicted.
 */
import type { CornerstoneLibraries } from '../services/cornerstone.ts';
import heatmapImageRect from '../services/heatmapImageRect.ts';
import type { HeatmapResult } from '../worker/protocol.ts';

export const OVERLAY_TEST_ID = 'landmarks-heatmap-overlay';

/** Values below this are left transparent (the map's far tail is noise). */
const FLOOR = 0.05;
/** Opacity at the map's maximum. */
const ALPHA = 0.6;

/** The map as an RGBA canvas: red → yellow with rising value, alpha proportional to the value. */
function colourise(result: HeatmapResult): HTMLCanvasElement {
  const source = document.createElement('canvas');
  source.width = result.width;
  source.height = result.height;
  const ctx = source.getContext('2d')!;
  const image = ctx.createImageData(result.width, result.height);
  result.map.forEach((v, i) => {
    if (!(v >= FLOOR)) return;
    image.data[4 * i] = 255;
    image.data[4 * i + 1] = Math.round(255 * v);
    image.data[4 * i + 3] = Math.round(255 * ALPHA * Math.min(1, v));
  });
  ctx.putImageData(image, 0, 0);
  return source;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export class HeatmapOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly source: HTMLCanvasElement;
  private readonly event: string;
  private readonly redraw = () => this.draw();

  constructor(
    private readonly libs: CornerstoneLibraries,
    private readonly viewport: any,
    private readonly imageId: string,
    private readonly result: HeatmapResult,
  ) {
    this.source = colourise(result);
    this.canvas = document.createElement('canvas');
    this.canvas.dataset.testid = OVERLAY_TEST_ID;
    this.canvas.dataset.sop = result.sopUid;
    Object.assign(this.canvas.style, { position: 'absolute', pointerEvents: 'none', zIndex: '5' });
    this.event = libs.cornerstone.Enums.Events.IMAGE_RENDERED;
    // Beside Cornerstone's canvas (same containing block), placed over it in draw().
    this.target().parentElement!.appendChild(this.canvas);
    viewport.element.addEventListener(this.event, this.redraw);
    this.draw();
  }

  /** Cornerstone's canvas of the viewport: worldToCanvas gives CSS pixels of this canvas. */
  private target(): HTMLCanvasElement {
    return (this.viewport.canvas ??
      this.viewport.element.querySelector('canvas')) as HTMLCanvasElement;
  }

  /** Draws the map where the image is on screen now. */
  draw(): void {
    const target = this.target();
    const dpr = window.devicePixelRatio || 1;
    const w = target.clientWidth;
    const h = target.clientHeight;
    Object.assign(this.canvas.style, {
      left: `${target.offsetLeft}px`,
      top: `${target.offsetTop}px`,
      width: `${w}px`,
      height: `${h}px`,
    });
    if (this.canvas.width !== Math.round(w * dpr)) this.canvas.width = Math.round(w * dpr);
    if (this.canvas.height !== Math.round(h * dpr)) this.canvas.height = Math.round(h * dpr);
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.viewport.getCurrentImageId?.() !== this.imageId) return;
    const { utilities } = this.libs.cornerstone;
    const rect = heatmapImageRect(this.result.letterbox, this.result.width, this.result.height);
    const toCanvas = (p: [number, number]): number[] =>
      this.viewport.worldToCanvas(utilities.imageToWorldCoords(this.imageId, p));
    const [o, x, y] = [toCanvas(rect.topLeft), toCanvas(rect.topRight), toCanvas(rect.bottomLeft)];
    if (![...o!, ...x!, ...y!].every(Number.isFinite)) return;
    // Affine map: source pixel (u, v) → o + u·(x − o)/W + v·(y − o)/H, in device pixels.
    const { width: sw, height: sh } = this.result;
    ctx.save();
    ctx.setTransform(
      (dpr * (x![0]! - o![0]!)) / sw,
      (dpr * (x![1]! - o![1]!)) / sw,
      (dpr * (y![0]! - o![0]!)) / sh,
      (dpr * (y![1]! - o![1]!)) / sh,
      dpr * o![0]!,
      dpr * o![1]!,
    );
    // Only over the image: the letterbox padding of the map (outside the image) means nothing.
    const box = this.result.letterbox;
    ctx.beginPath();
    ctx.rect(
      box.offsetX,
      box.offsetY,
      this.result.imageWidth * box.scaleX,
      this.result.imageHeight * box.scaleY,
    );
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.source, 0, 0);
    ctx.restore();
  }

  /** Removes the canvas and the listener. */
  dispose(): void {
    this.viewport.element.removeEventListener(this.event, this.redraw);
    this.canvas.remove();
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
