/**
 * The Model section's actions: export the stored model as one bundle file (download), import a bundle
 * from a file or an allowed URL, and the heatmap overlay of the displayed 2D image or volume (in all
 * MPR views: services/volumeHeatmapViews.ts). The worker does the tfjs work (worker/modelJobs.ts,
 * worker/heatmapInWorker.ts, worker/volumeHeatmapInWorker.ts); this class only moves text and pixels.
 */
import { HeatmapOverlay } from '../panels/HeatmapOverlay.ts';
import type { VolumeHeatmapOverlay } from '../panels/VolumeHeatmapOverlay.ts';
import type { LandmarksController } from '../controller.ts';
import type { BrowserBackend } from '../../core/tf/selectBrowserBackend.ts';
import type { OhifContext } from '../types.ts';
import type { ImageItem } from '../worker/protocol.ts';
import type { WorkerClient } from '../worker/workerClient.ts';
import { getCornerstone } from './cornerstone.ts';
import type { ModelSource } from './modelBundle.ts';
import { checkModelUrl, configuredModelOrigins } from './modelUrlPolicy.ts';
import type { HeatmapState } from './heatmapState.ts';
import predictVolumeHeatmap from './volumeHeatmapViews.ts';

/** What the Model section shows besides the model info. */
export interface ModelPanelState {
  busy?: 'export' | 'import' | 'heatmap';
  /** Last export / import: file size (bytes) and time (ms, in the worker). */
  exported?: { fileName: string; bytes: number; ms: number };
  imported?: { bytes: number; ms: number };
  /** The overlay shown: 2D image or volume, its key, times and per-landmark confidence. */
  heatmap?: HeatmapState;
  error?: string;
}

/**
 * What the Model section needs of the training controller (its backend choice, and a status refresh
 * after a model import): an interface here, so that this file does not import trainingController.ts,
 * which builds a ModelController.
 */
export interface TrainingLink {
  readonly backends?: BrowserBackend[];
  refreshStatus(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export class ModelController {
  state: ModelPanelState = {};
  private overlays: Array<HeatmapOverlay | VolumeHeatmapOverlay> = [];
  private listeners = new Set<() => void>();

  constructor(
    private readonly client: WorkerClient,
    private readonly landmarks: LandmarksController,
    private readonly training: TrainingLink,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ModelPanelState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  /** Runs one action with a busy flag; failures land in `state.error` (never thrown at the panel). */
  private async act<T>(
    busy: ModelPanelState['busy'],
    fn: () => Promise<T>,
  ): Promise<T | undefined> {
    this.set({ busy, error: undefined });
    try {
      return await fn();
    } catch (err) {
      this.set({ error: err instanceof Error ? err.message : String(err) });
      return undefined;
    } finally {
      this.set({ busy: undefined });
    }
  }

  /** Downloads the stored model as `landmarks-model-<date>-<id>.json`. */
  exportModel(): Promise<unknown> {
    return this.act('export', async () => {
      const m = await this.client.ask({ type: 'export-model' }, 'exported');
      const blob = new Blob([m.text], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = m.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      this.set({ exported: { fileName: m.fileName, bytes: blob.size, ms: m.ms } });
    });
  }

  private async importText(text: string, source: string, origin: ModelSource): Promise<void> {
    const m = await this.client.ask(
      {
        type: 'import-model',
        text,
        source,
        origin,
        ...(this.training.backends ? { backends: this.training.backends } : {}),
      },
      'imported',
    );
    this.hideHeatmap();
    this.set({ imported: { bytes: text.length, ms: m.ms } });
    await this.training.refreshStatus();
  }

  /** Imports a bundle file chosen with an `<input type="file">`. */
  importFile(file: File): Promise<unknown> {
    return this.act('import', async () =>
      this.importText(await file.text(), `file "${file.name}"`, { kind: 'file', name: file.name }),
    );
  }

  /** Imports a bundle from the viewer's origin or an origin listed in landmarks.modelOrigins. */
  importUrl(url: string): Promise<unknown> {
    return this.act('import', async () => {
      const config = (globalThis as { config?: unknown }).config;
      const href = checkModelUrl(url, location.origin, configuredModelOrigins(config));
      const res = await fetch(href, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`model URL ${href}: HTTP ${res.status}`);
      await this.importText(await res.text(), `URL ${href}`, { kind: 'url', name: href });
    });
  }

  /** The active viewport: a 2D image (stack) or a volume (orthographic MPR view). */
  private active(ctx: OhifContext): any {
    const { viewportGridService, cornerstoneViewportService } = ctx.servicesManager.services;
    const id = viewportGridService?.getActiveViewportId();
    return id ? (cornerstoneViewportService as any)?.getCornerstoneViewport?.(id) : undefined;
  }

  /** The active 2D viewport, its image id and the image as the worker fetches it. */
  private displayed(ctx: OhifContext, viewport: any): { imageId: string; item: ImageItem } {
    const imageId: string | undefined = viewport?.getCurrentImageId?.();
    if (!viewport || !imageId)
      throw new Error('the heatmap overlay needs a 2D image or a CT/CBCT volume on screen');
    const meta = getCornerstone(ctx.extensionManager).cornerstone.metaData.get('instance', imageId);
    const spacing = (meta?.PixelSpacing ?? meta?.ImagerPixelSpacing) as number[] | undefined;
    if (!meta?.SOPInstanceUID) throw new Error(`image ${imageId}: no instance metadata`);
    return {
      imageId,
      item: {
        studyUid: meta.StudyInstanceUID,
        seriesUid: meta.SeriesInstanceUID,
        sopUid: meta.SOPInstanceUID,
        sopClassUid: meta.SOPClassUID,
        // [x, y] = [column, row] spacing; 1 mm when the image has none (only the spread's unit).
        spacingMm: spacing?.length === 2 ? [Number(spacing[1]), Number(spacing[0])] : [1, 1],
      },
    };
  }

  /** Common part of a heatmap request: the PACS roots, the landmark and the backends. */
  private request(landmark?: number) {
    const pacs = this.landmarks.pacs();
    return {
      wadoRoot: pacs.wadoRoot,
      headers: pacs.headers,
      ...(landmark !== undefined ? { landmark } : {}),
      ...(this.training.backends ? { backends: this.training.backends } : {}),
    };
  }

  /**
   * Predicts what the active viewport shows and draws the overlay (max over landmarks, or one
   * landmark): the displayed 2D image, or, for a volume, the displayed series in every MPR view
   * showing it.
   */
  showHeatmap(ctx: OhifContext, landmark?: number): Promise<unknown> {
    return this.act('heatmap', async () => {
      const viewport = this.active(ctx);
      if (viewport?.type === 'orthographic') {
        const shown = await predictVolumeHeatmap(ctx, viewport, async (item) => {
          const req = { type: 'volume-heatmap' as const, item, ...this.request(landmark) };
          return (await this.client.ask(req, 'volume-heatmap')).result;
        });
        this.hideHeatmap();
        this.overlays = shown.draw(() => this.dropped());
        this.set({ heatmap: shown.heatmap });
        return;
      }
      const { imageId, item } = this.displayed(ctx, viewport);
      const t0 = performance.now();
      const m = await this.client.ask(
        { type: 'heatmap', item, ...this.request(landmark) },
        'heatmap',
      );
      this.hideHeatmap();
      this.overlays = [
        new HeatmapOverlay(getCornerstone(ctx.extensionManager), viewport, imageId, m.result, {
          services: ctx.servicesManager.services,
          onDrop: () => this.dropped(),
        }),
      ];
      this.set({
        heatmap: {
          kind: '2d',
          key: item.sopUid,
          ms: performance.now() - t0,
          workerMs: m.result.ms,
          confidence: m.result.confidence.map((c) => c.confidence),
          spreadMm: m.result.confidence.map((c) => c.spreadMm),
          views: 1,
        },
      });
    });
  }

  /** One overlay removed itself (its viewport shows something else): forget it; the last one clears. */
  private dropped(): void {
    this.overlays = this.overlays.filter((o) => o.canvas.isConnected);
    if (this.overlays.length === 0 && this.state.heatmap) this.set({ heatmap: undefined });
  }

  /** Removes the overlays (if any). */
  hideHeatmap(): void {
    const overlays = this.overlays;
    this.overlays = [];
    overlays.forEach((o) => o.dispose());
    if (this.state.heatmap) this.set({ heatmap: undefined });
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
