/**
 * The volume half of the heatmap toggle: which series the active MPR view shows (OHIF's viewport grid
 * and display sets), the worker's volume heatmap of it, and one overlay per viewport of the grid that
 * shows the same volume (the three MPR views of the landmarks protocol).
 */
import { displayedVolumeId, VolumeHeatmapOverlay } from '../panels/VolumeHeatmapOverlay.ts';
import type { OhifContext } from '../types.ts';
import type { VolumeHeatmapRequest, VolumeHeatmapResult } from '../worker/protocol.ts';
import { getCornerstone } from './cornerstone.ts';
import type { HeatmapState } from './heatmapState.ts';

/** A predicted volume heatmap, ready to draw. */
export interface PredictedVolumeHeatmap {
  heatmap: HeatmapState;
  /** Lays the overlay over every view showing the volume; `onDrop` when one removes itself. */
  draw(onDrop: () => void): VolumeHeatmapOverlay[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * @param viewport the active (orthographic) Cornerstone viewport
 * @param ask sends the request to the worker and resolves with its result
 */
export default async function predictVolumeHeatmap(
  ctx: OhifContext,
  viewport: any,
  ask: (item: VolumeHeatmapRequest['item']) => Promise<VolumeHeatmapResult>,
): Promise<PredictedVolumeHeatmap> {
  const { viewportGridService, cornerstoneViewportService, displaySetService } =
    ctx.servicesManager.services;
  const volumeId = displayedVolumeId(viewport);
  const grid = viewportGridService?.getState().viewports;
  const displaySetUid = grid?.get(viewport.id)?.displaySetInstanceUIDs?.[0];
  const displaySet = displaySetUid
    ? displaySetService?.getDisplaySetByUID(displaySetUid)
    : undefined;
  if (!volumeId || !displaySet)
    throw new Error(`viewport ${String(viewport.id)}: no volume loaded yet for the heatmap`);
  const t0 = performance.now();
  const result = await ask({
    studyUid: displaySet.StudyInstanceUID,
    seriesUid: displaySet.SeriesInstanceUID,
  });
  const views = [...(viewportGridService?.getState().viewports.keys() ?? [])]
    .map((id) => (cornerstoneViewportService as any)?.getCornerstoneViewport?.(id))
    .filter((vp: any) => vp?.type === 'orthographic' && displayedVolumeId(vp) === volumeId);
  return {
    heatmap: {
      kind: '3d',
      key: result.seriesUid,
      ms: performance.now() - t0,
      workerMs: result.ms,
      predictMs: result.predictMs,
      confidence: result.confidence.map((c) => c.confidence),
      spreadMm: result.confidence.map((c) => c.spreadMm),
      views: views.length,
    },
    draw: (onDrop) => {
      const libs = getCornerstone(ctx.extensionManager);
      return views.map(
        (vp: any) =>
          new VolumeHeatmapOverlay(libs, vp, volumeId, result, {
            services: ctx.servicesManager.services,
            onDrop,
          }),
      );
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
