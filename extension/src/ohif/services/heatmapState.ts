/** The heatmap overlay's state as the Model section shows it (set by services/modelController.ts). */

/** What the panel shows of the heatmap overlay on screen. */
export interface HeatmapState {
  kind: '2d' | '3d';
  /** SOP Instance UID (2D) or Series Instance UID (volume) of what was predicted. */
  key: string;
  /** Click to overlay on screen, ms (main thread). */
  ms: number;
  /** Time inside the worker (fetch + predict + maps), ms. */
  workerMs: number;
  /** Of which the network's forward pass, ms (volumes; absent for 2D). */
  predictMs?: number;
  /** Per landmark: mass within 2 mm (at least one network pixel/voxel), [0, 1]. */
  confidence: number[];
  /** Per landmark: RMS spread of the heatmap, mm (Infinity for an empty map). */
  spreadMm: number[];
  /** Viewports with an overlay (1 for 2D; the MPR views showing the volume). */
  views: number;
}
