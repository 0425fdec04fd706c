/**
 * A semi-transparent heatmap drawn over a 2D Cornerstone viewport: one canvas laid exactly over
 * Cornerstone's own canvas (a sibling of it, no pointer events), redrawn on every IMAGE_RENDERED of
 * that viewport (pan, zoom, resize, window level), positioned with the host's imageToWorldCoords +
 * viewport.worldToCanvas, so it follows the image exactly, clipped to the image. Dropped (removed,
 * `onDrop` called) as soon as the viewport no longer shows the predicted image: another slice, series
 * or study in the viewport, or the viewport itself disabled (watchDisplayedImage).
 */
import type { CornerstoneLibraries } from '../services/cornerstone.ts';
import heatmapImageRect from '../services/heatmapImageRect.ts';
import heatmapRgba from '../services/heatmapRgba.ts';
import type { Services } from '../types.ts';
import type { HeatmapResult } from '../worker/protocol.ts';

export const OVERLAY_TEST_ID = 'landmarks-heatmap-overlay';

/** The map as an RGBA canvas (services/heatmapRgba.ts colours). */
function colourise(result: HeatmapResult): HTMLCanvasElement {
  const source = document.createElement('canvas');
  source.width = result.width;
  source.height = result.height;
  const ctx = source.getContext('2d')!;
  const image = ctx.createImageData(result.width, result.height);
  heatmapRgba(result.map, image.data);
  ctx.putImageData(image, 0, 0);
  return source;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** What watchDisplayedImage listens to and calls. */
export interface DisplayedImageWatch {
  /** The viewport's element (Cornerstone fires its per-viewport events there). */
  element: EventTarget;
  /** Cornerstone's event target (ELEMENT_DISABLED is fired there). */
  eventTarget: EventTarget;
  /** Cornerstone's `Enums.Events` (event names). */
  events: Record<string, string>;
  /** The image id the viewport shows now (undefined when none). */
  current: () => string | undefined;
  /** The image id the overlay belongs to. */
  imageId: string;
  /** Called on every render while the viewport still shows `imageId`. */
  redraw: () => void;
  /** Called once, when the viewport no longer shows `imageId` or is disabled. */
  drop: () => void;
  /** OHIF's services: the cornerstoneViewportService says when a viewport gets new data. */
  services?: Services;
  viewportId?: string;
}

/**
 * Keeps an overlay in step with what a Cornerstone viewport displays, through the events of the host's
 * Cornerstone (reached via OHIF's extension manager) and OHIF's cornerstoneViewportService, never a
 * global: IMAGE_RENDERED redraws; a new image in the stack (STACK_NEW_IMAGE, VIEWPORT_NEW_IMAGE_SET),
 * new viewport data (VIEWPORT_DATA_CHANGED) or the element being disabled drops the overlay when the
 * displayed image is not `imageId` any more. Returns the function that stops listening.
 */
export function watchDisplayedImage(w: DisplayedImageWatch): () => void {
  let live = true;
  const stop = () => {
    live = false;
    for (const [target, name, fn] of listeners) target.removeEventListener(name, fn);
    subscription?.unsubscribe();
  };
  const drop = () => {
    if (!live) return;
    stop();
    w.drop();
  };
  const check = () => {
    if (live && w.current() !== w.imageId) drop();
  };
  const onRendered = () => {
    if (!live) return;
    if (w.current() === w.imageId) w.redraw();
    else drop();
  };
  const onDisabled = (evt: Event) => {
    const detail = (evt as CustomEvent).detail as { element?: unknown } | undefined;
    if (detail?.element === w.element) drop();
  };
  const listeners: Array<[EventTarget, string, (evt: Event) => void]> = [
    [w.element, w.events.IMAGE_RENDERED!, onRendered],
    [w.element, w.events.STACK_NEW_IMAGE!, check],
    [w.element, w.events.VIEWPORT_NEW_IMAGE_SET!, check],
    [w.eventTarget, w.events.ELEMENT_DISABLED!, onDisabled],
  ];
  for (const [target, name, fn] of listeners) if (name) target.addEventListener(name, fn);
  const service = w.services?.cornerstoneViewportService as
    | {
        EVENTS?: Record<string, string>;
        subscribe?: (e: string, cb: (p: unknown) => void) => { unsubscribe(): void };
      }
    | undefined;
  const changed = service?.EVENTS?.VIEWPORT_DATA_CHANGED;
  const subscription =
    changed && service?.subscribe
      ? service.subscribe(changed, (payload) => {
          const id = (payload as { viewportId?: string } | undefined)?.viewportId;
          // Cornerstone sets the new image after this event: look once it is on screen.
          if (!w.viewportId || !id || id === w.viewportId) queueMicrotask(check);
        })
      : undefined;
  return stop;
}

/** Optional wiring of an overlay: OHIF's services and what to do when it is dropped. */
export interface OverlayOptions {
  services?: Services;
  viewportId?: string;
  /** Called once when the overlay removes itself (the displayed image changed). */
  onDrop?: () => void;
}

/** Cornerstone's canvas of a viewport (its canvasToWorld/worldToCanvas work in CSS px of it). */
export function viewportCanvas(viewport: any): HTMLCanvasElement {
  return (viewport.canvas ?? viewport.element.querySelector('canvas')) as HTMLCanvasElement;
}

/**
 * Lays `canvas` beside Cornerstone's canvas of `viewport` (same containing block, no pointer events;
 * the overlay places itself over it when it draws) and keeps it while the viewport shows `shown`:
 * `redraw` on every render, removed and `onDrop` called when `current()` moves on. Returns the unwatch.
 */
export function mountOverlay(
  canvas: HTMLCanvasElement,
  libs: CornerstoneLibraries,
  viewport: any,
  watch: { current: () => string | undefined; shown: string; redraw: () => void },
  options: OverlayOptions,
): () => void {
  Object.assign(canvas.style, { position: 'absolute', pointerEvents: 'none', zIndex: '5' });
  viewportCanvas(viewport).parentElement!.appendChild(canvas);
  return watchDisplayedImage({
    element: viewport.element,
    eventTarget: libs.cornerstone.eventTarget,
    events: libs.cornerstone.Enums.Events,
    current: watch.current,
    imageId: watch.shown,
    redraw: watch.redraw,
    drop: () => {
      canvas.remove();
      options.onDrop?.();
    },
    services: options.services,
    viewportId: options.viewportId ?? viewport.id,
  });
}

export class HeatmapOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly source: HTMLCanvasElement;
  private readonly unwatch: () => void;

  constructor(
    private readonly libs: CornerstoneLibraries,
    private readonly viewport: any,
    private readonly imageId: string,
    private readonly result: HeatmapResult,
    options: OverlayOptions = {},
  ) {
    this.source = colourise(result);
    this.canvas = document.createElement('canvas');
    this.canvas.dataset.testid = OVERLAY_TEST_ID;
    this.canvas.dataset.sop = result.sopUid;
    this.unwatch = mountOverlay(
      this.canvas,
      libs,
      viewport,
      { current: () => viewport.getCurrentImageId?.(), shown: imageId, redraw: () => this.draw() },
      options,
    );
    this.draw();
  }

  private target(): HTMLCanvasElement {
    return viewportCanvas(this.viewport);
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

  /** Removes the canvas and the listeners. */
  dispose(): void {
    this.unwatch();
    this.canvas.remove();
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
