/**
 * Messages between the panel (main thread) and the training Web Worker. Coordinates are ORIGINAL image
 * pixels in the SCOORD pixel-corner convention (as in the SR); spacing is mm per pixel [x, y].
 */
import type { BrowserBackend } from '../../core/tf/selectBrowserBackend.ts';
import type { Stage, TrainingProgress } from '../../core/selfTraining/types.ts';

/** One 2D image on the PACS, fetched by the worker as WADO-RS rendered PNG. */
export interface ImageItem {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  sopClassUid: string;
  spacingMm: [number, number];
  /** Labels (n × 2) for annotated images; absent for unannotated ones. */
  landmarks?: number[][];
}

/** Size of a training run. `tiny` is for tests and demos (seconds), `quick` the CLI's quick preset. */
export type TrainingPreset = 'tiny' | 'quick';

export interface TrainRequest {
  type: 'train';
  names: string[];
  labelled: ImageItem[];
  unlabelled: ImageItem[];
  wadoRoot: string;
  headers: Record<string, string>;
  preset: TrainingPreset;
  /** Backends to try, in order (default webgpu → webgl → wasm → cpu). */
  backends?: BrowserBackend[];
  seed?: number;
}

/** Runs a few training steps on random data and reports the median step time for one backend. */
export interface BenchRequest {
  type: 'bench';
  backend: BrowserBackend;
  steps: number;
}

export type WorkerRequest = TrainRequest | BenchRequest | { type: 'cancel' };

/** Result of pseudo-labelling one unannotated image (paper Eq. 7). */
export interface PseudoLabelResult {
  item: ImageItem;
  /** Network prediction X_α, original pixels. */
  predicted: number[][];
  /** Shape-adjusted X_β, original pixels. */
  adjusted: number[][];
  abnormal: boolean[];
  deviationMm: number[];
  mahalanobis: number;
}

export type WorkerMessage =
  | { type: 'backend'; backend: BrowserBackend; note?: string }
  | { type: 'loading'; done: number; total: number }
  | { type: 'progress'; progress: TrainingProgress; elapsedMs: number }
  | { type: 'stage'; stage: Stage | 'pseudo-label' }
  | {
      type: 'done';
      status: 'completed' | 'cancelled';
      results: PseudoLabelResult[];
      msPerStep: number;
      modelUrl?: string;
      pseudoLabelMsPerImage: number;
    }
  | { type: 'bench'; backend: BrowserBackend; msPerStep: number[] }
  | { type: 'error'; message: string };
