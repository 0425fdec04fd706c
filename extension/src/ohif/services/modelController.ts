/**
 * The Model section's actions: the model library (one model per template, services/modelLibrary.ts):
 * which template's model the jobs use, its built-in model (fetched and stored the first time it is
 * needed, never at import time), export of a template's model as one bundle file (download), delete,
 * import of a bundle from a file or an allowed URL (filed under its template), and the heatmap
 * overlay of the displayed 2D image or volume (in all MPR views: services/volumeHeatmapViews.ts).
 * The worker does the tfjs work (worker/modelJobs.ts, worker/heatmapInWorker.ts,
 * worker/volumeHeatmapInWorker.ts); this class only moves text and pixels.
 */
import { HeatmapOverlay } from '../panels/HeatmapOverlay.ts';
import type { VolumeHeatmapOverlay } from '../panels/VolumeHeatmapOverlay.ts';
import type { LandmarksController } from '../controller.ts';
import type { BrowserBackend } from '../../core/tf/selectBrowserBackend.ts';
import type { OhifContext } from '../types.ts';
import type { ImageItem } from '../worker/protocol.ts';
import type { WorkerClient } from '../worker/workerClient.ts';
import { getCornerstone } from './cornerstone.ts';
import type { ModelInfo, ModelSource } from './modelBundle.ts';
import {
  configuredBuiltinModels,
  describeSource,
  libraryRows,
  noModelError,
  templateLabel,
  type BuiltinModel,
  type LibraryRow,
  type ModelChoice,
} from './modelLibrary.ts';
import { checkModelUrl, configuredModelOrigins } from './modelUrlPolicy.ts';
import type { HeatmapState } from './heatmapState.ts';
import predictVolumeHeatmap from './volumeHeatmapViews.ts';

/** What the Model section shows besides the model info. */
export interface ModelPanelState {
  busy?: 'export' | 'import' | 'heatmap' | 'delete' | 'builtin';
  /** Last export / import: file size (bytes) and time (ms, in the worker). */
  exported?: { fileName: string; bytes: number; ms: number };
  /** Last import: the template it was filed under, and the model it replaced (described), if any. */
  imported?: { bytes: number; ms: number; templateLabel: string; replaced?: string };
  /** Last delete: the template whose model was deleted. */
  deleted?: string;
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
  /** The models of the browser's library (from the last status). */
  readonly library: readonly ModelInfo[];
  refreshStatus(): Promise<void>;
  deleteModel(templateId: string): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export class ModelController {
  state: ModelPanelState = {};
  private overlays: Array<HeatmapOverlay | VolumeHeatmapOverlay> = [];
  private listeners = new Set<() => void>();
  /** The template the Model section shows (the panel's; see {@link setTemplate}). */
  private templateId?: string;

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

  /**
   * The template whose model pseudo-labelling, the heatmap and export use: the panel's template (that
   * of the study's annotations, else the one chosen, else the modality's default; LandmarksApp.tsx).
   */
  setTemplate(templateId: string): void {
    if (templateId === this.templateId) return;
    this.templateId = templateId;
    void this.training.refreshStatus().catch(() => undefined);
    this.listeners.forEach((l) => l());
  }

  /** The model the jobs use: the Model section's template (the first template before the panel says). */
  choice(): ModelChoice {
    const templates = this.landmarks.templates;
    const templateId = this.templateId ?? templates[0]?.id ?? 'cephalogram';
    return { templateId, templateLabel: templateLabel(templates, templateId) };
  }

  /** The built-in models of the app configuration (`landmarks.builtinModels`). */
  builtins(): BuiltinModel[] {
    return configuredBuiltinModels((globalThis as { config?: unknown }).config);
  }

  /** The library as the Model section lists it. */
  rows(): LibraryRow[] {
    return libraryRows(this.landmarks.templates, this.training.library, this.builtins());
  }

  /**
   * The stored model of a template; when it has none, its built-in model is fetched (same-origin
   * policy of modelUrlPolicy.ts) and stored first. Throws naming the template when it has neither.
   */
  async ensureModel(templateId: string): Promise<ModelInfo> {
    const stored = () => this.training.library.find((m) => m.templateId === templateId);
    if (!stored()) await this.training.refreshStatus();
    const known = stored();
    if (known) return known;
    const builtin = this.builtins().find((b) => b.templateId === templateId);
    if (!builtin)
      throw noModelError(templateId, templateLabel(this.landmarks.templates, templateId));
    this.set({ busy: 'builtin' });
    try {
      await this.fetchAndImport(builtin.url, { kind: 'builtin', name: builtin.label });
    } finally {
      this.set({ busy: undefined });
    }
    const loaded = stored();
    if (!loaded)
      throw new Error(
        `built-in model ${builtin.url} was filed under another template than "${templateId}"`,
      );
    return loaded;
  }

  /** Deletes a template's stored model (its built-in model, if any, is then used again). */
  deleteModel(templateId: string): Promise<unknown> {
    return this.act('delete', async () => {
      await this.training.deleteModel(templateId);
      this.set({ deleted: templateLabel(this.landmarks.templates, templateId) });
    });
  }

  /** Downloads a template's model (default: the section's) as `landmarks-model-<template>-<date>-<id>.json`. */
  exportModel(templateId = this.choice().templateId): Promise<unknown> {
    return this.act('export', async () => {
      const m = await this.client.ask({ type: 'export-model', templateId }, 'exported');
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
    const templates = this.landmarks.templates.map((t) => ({ ...t, landmarks: [...t.landmarks] }));
    const m = await this.client.ask(
      {
        type: 'import-model',
        text,
        source,
        origin,
        templates,
        ...(this.training.backends ? { backends: this.training.backends } : {}),
      },
      'imported',
    );
    this.hideHeatmap();
    const label = templateLabel(templates, m.model.templateId ?? '');
    const replaced = m.replaced
      ? `${m.replaced.id.slice(0, 8)} (${describeSource(m.replaced)})`
      : undefined;
    this.set({
      imported: {
        bytes: text.length,
        ms: m.ms,
        templateLabel: label,
        ...(replaced ? { replaced } : {}),
      },
    });
    await this.training.refreshStatus();
  }

  /** Fetches a bundle from an allowed URL (modelUrlPolicy.ts) and imports it. */
  private async fetchAndImport(url: string, origin: ModelSource): Promise<void> {
    const config = (globalThis as { config?: unknown }).config;
    const href = checkModelUrl(url, location.origin, configuredModelOrigins(config));
    const res = await fetch(href, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`model URL ${href}: HTTP ${res.status}`);
    const what =
      origin.kind === 'builtin' ? `built-in model ${origin.name ?? ''} (${href})` : `URL ${href}`;
    await this.importText(await res.text(), what, { ...origin, name: origin.name ?? href });
  }

  /** Imports a bundle file chosen with an `<input type="file">`. */
  importFile(file: File): Promise<unknown> {
    return this.act('import', async () =>
      this.importText(await file.text(), `file "${file.name}"`, { kind: 'file', name: file.name }),
    );
  }

  /** Imports a bundle from the viewer's origin or an origin listed in landmarks.modelOrigins. */
  importUrl(url: string): Promise<unknown> {
    return this.act('import', () => this.fetchAndImport(url, { kind: 'url' }));
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

  /** Common part of a heatmap request: the model, the PACS roots, the landmark and the backends. */
  private async request(landmark?: number) {
    const choice = this.choice();
    await this.ensureModel(choice.templateId);
    const pacs = this.landmarks.pacs();
    return {
      ...choice,
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
          const req = { type: 'volume-heatmap' as const, item, ...(await this.request(landmark)) };
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
        { type: 'heatmap', item, ...(await this.request(landmark)) },
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
