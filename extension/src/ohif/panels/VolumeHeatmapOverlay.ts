/**
 * The volume heatmap drawn over one MPR (orthographic volume) viewport: one canvas laid exactly over
 * Cornerstone's canvas (a sibling of it, no pointer events), redrawn on every IMAGE_RENDERED of that
 * viewport (Cornerstone renders after every scroll, pan, zoom, rotation or other camera change), by
 * sampling the network-grid map on the plane the viewport shows now: canvas CSS px → world
 * (viewport.canvasToWorld) → grid (services/volumeHeatmapGrid.ts), trilinear, every STEP px
 * (services/volumeHeatmapPlane.ts), scaled up smoothly. Nothing is drawn outside the volume (sampling
 * is clipped to the volume's box in the grid). Dropped (removed, `onDrop` called) as soon as the viewport shows another volume or is
 * disabled (watchDisplayedImage with the viewport's volume id as the key).
 */
import type { CornerstoneLibraries } from '../services/cornerstone.ts';
import heatmapRgba from '../services/heatmapRgba.ts';
import { canvasToGrid } from '../services/volumeHeatmapGrid.ts';
import volumeHeatmapPlane from '../services/volumeHeatmapPlane.ts';
import type { VolumeHeatmapResult } from '../worker/protocol.ts';
import { mountOverlay, viewportCanvas, type OverlayOptions } from './HeatmapOverlay.ts';

export const VOLUME_OVERLAY_TEST_ID = 'landmarks-volume-heatmap-overlay';

/** CSS px between two samples of the map on the canvas (a 500 px view: ~28k samples per redraw). */
export const STEP = 3;

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The id of the volume a Cornerstone volume viewport shows (undefined when none, or not a volume). */
export function displayedVolumeId(viewport: any): string | undefined {
  try {
    const id: unknown = viewport?.getVolumeId?.();
    return typeof id === 'string' && id ? id : undefined;
  } catch {
    return undefined; // no actor yet (Cornerstone throws while the viewport is being set up)
  }
}

export class VolumeHeatmapOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly source: HTMLCanvasElement;
  private readonly unwatch: () => void;
  private draws = 0;
  private drawMsTotal = 0;

  constructor(
    libs: CornerstoneLibraries,
    private readonly viewport: any,
    private readonly volumeId: string,
    private readonly result: VolumeHeatmapResult,
    options: OverlayOptions = {},
  ) {
    this.source = document.createElement('canvas');
    this.canvas = document.createElement('canvas');
    Object.assign(this.canvas.dataset, {
      testid: VOLUME_OVERLAY_TEST_ID,
      viewport: String(viewport.id),
      series: result.seriesUid,
      peak: result.peakPatient.join(','),
      voxelMm: result.voxelMm.join(','),
    });
    this.unwatch = mountOverlay(
      this.canvas,
      libs,
      viewport,
      { current: () => displayedVolumeId(viewport), shown: volumeId, redraw: () => this.draw() },
      options,
    );
    this.draw();
  }

  private target(): HTMLCanvasElement {
    return viewportCanvas(this.viewport);
  }

  /** Places the overlay canvas over Cornerstone's and clears it; returns its CSS size. */
  private place(): { w: number; h: number; dpr: number } {
    const target = this.target();
    const dpr = window.devicePixelRatio || 1;
    const [w, h] = [target.clientWidth, target.clientHeight];
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
    return { w, h, dpr };
  }

  /** Draws the map on the plane the viewport shows now. */
  draw(): void {
    const t0 = performance.now();
    const { w, h, dpr } = this.place();
    if (displayedVolumeId(this.viewport) !== this.volumeId || !(w > 0 && h > 0)) return;
    const corners = [
      [0, 0],
      [1, 0],
      [0, 1],
    ].map((p) => this.viewport.canvasToWorld(p) as number[]);
    if (!corners.every((c) => c?.length === 3 && c.every(Number.isFinite))) return;
    const toGrid = canvasToGrid(corners[0]!, corners[1]!, corners[2]!, this.result.patientToGrid);
    const { cols, rows, values } = volumeHeatmapPlane(
      this.result.map,
      this.result.dims,
      toGrid,
      w,
      h,
      STEP,
      this.result.volumeBox,
    );
    if (this.source.width !== cols) this.source.width = cols;
    if (this.source.height !== rows) this.source.height = rows;
    const sctx = this.source.getContext('2d')!;
    const image = sctx.createImageData(cols, rows);
    heatmapRgba(values, image.data);
    sctx.putImageData(image, 0, 0);
    const ctx = this.canvas.getContext('2d')!;
    // Source pixel (i, j) covers canvas [i·STEP, (i+1)·STEP): its sample sits at its centre.
    ctx.setTransform(dpr * STEP, 0, 0, dpr * STEP, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.source, 0, 0);
    this.record(performance.now() - t0);
  }

  /** Keeps the redraw count and times on the canvas (read by the e2e test and the closing note). */
  private record(ms: number): void {
    this.draws += 1;
    this.drawMsTotal += ms;
    Object.assign(this.canvas.dataset, {
      draws: String(this.draws),
      drawMs: ms.toFixed(2),
      meanDrawMs: (this.drawMsTotal / this.draws).toFixed(2),
    });
  }

  /** Removes the canvas and the listeners. */
  dispose(): void {
    this.unwatch();
    this.canvas.remove();
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
