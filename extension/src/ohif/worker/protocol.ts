/**
 * Messages between the panel (main thread) and the training Web Worker. Coordinates are ORIGINAL image
 * pixels in the SCOORD pixel-corner convention (as in the SR); spacing is mm per pixel [x, y].
 * Every request carries an `id` that the worker copies into each message of that job, so that two
 * requests in flight (a heatmap asked for during training) never take each other's answers.
 */
import type { ReviewReason } from '../../core/landmarks/landmarkSet.ts';
import type { Letterbox } from '../../core/data/types.ts';
import type { BrowserBackend } from '../../core/tf/selectBrowserBackend.ts';
import type { Stage, TrainingProgress } from '../../core/selfTraining/types.ts';
import type { LandmarkConfidence } from '../../core/heatmap/heatmapConfidence.ts';
import type { Affine3 } from '../services/volumeHeatmapGrid.ts';
import type { GridBox } from '../services/volumeHeatmapPlane.ts';
import type { ModelInfo, ModelSource } from '../services/modelBundle.ts';
import type { ModelChoice, TemplateRef } from '../services/modelLibrary.ts';

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

/**
 * One CT/CBCT series on the PACS (a volume study), fetched by the worker through WADO-RS metadata +
 * frames and assembled into a [D, H, W] volume. `sopUid` is the first listed instance (the item's key);
 * `sopUids` every instance (the SR's evidence). Landmarks are patient coordinates in mm (DICOM LPS, as
 * the SR's SCOORD3D points), n × 3.
 */
export interface VolumeItem {
  kind: 'volume';
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  sopUids: string[];
  sopClassUid: string;
  frameOfReferenceUid?: string;
  /** Labels (n × 3, patient mm) for annotated volumes; absent for unannotated ones. */
  landmarks?: number[][];
}

/** A study item of either kind: a 2D image (no `kind`) or a volume. */
export type StudyItem = ImageItem | VolumeItem;

/** True for a volume item. */
export const isVolumeItem = (item: StudyItem): item is VolumeItem =>
  'kind' in item && item.kind === 'volume';

/** Size of a training run. `tiny` is for tests and demos (seconds), `quick` the CLI's quick preset. */
export type TrainingPreset = 'tiny' | 'quick';

/** Where the worker fetches images (the active data source) and with which auth header. */
export interface PacsRoots {
  wadoRoot: string;
  headers: Record<string, string>;
}

export interface TrainRequest extends PacsRoots, ModelChoice {
  type: 'train';
  names: string[];
  /** All 2D images or all volumes (one model per kind). */
  labelled: StudyItem[];
  unlabelled: StudyItem[];
  preset: TrainingPreset;
  /** Backends to try, in order (default webgpu → webgl → wasm → cpu). */
  backends?: BrowserBackend[];
  seed?: number;
}

/** Continues the training saved in IndexedDB (same images, names and preset as when it was saved). */
export interface ResumeRequest extends PacsRoots {
  type: 'resume';
  backends?: BrowserBackend[];
}

/** Runs a few training steps on random data and reports the median step time for one backend. */
export interface BenchRequest {
  type: 'bench';
  backend: BrowserBackend;
  steps: number;
  /** 3: time the volume network (default 2, the image network). */
  dimension?: 2 | 3;
  /** Network size (default `tiny`). */
  preset?: TrainRequest['preset'];
}

/** Pseudo-labels `items` with the template's model in IndexedDB (no training). */
export interface PseudoLabelRequest extends PacsRoots, ModelChoice {
  type: 'pseudo-label';
  /** Of the stored model's kind (2D images for a 2D model, volumes for a 3D one). */
  items: StudyItem[];
  /** Annotated shapes (original pixels with spacing; volumes: patient mm): fit a shape model when the model has none. */
  labelled: StudyItem[];
  backends?: BrowserBackend[];
}

/** Heatmaps of one image with the model in IndexedDB. `landmark`: one map (index) instead of the max. */
export interface HeatmapRequest extends PacsRoots, ModelChoice {
  type: 'heatmap';
  item: ImageItem;
  landmark?: number;
  backends?: BrowserBackend[];
}

/**
 * Heatmaps of one volume (a CT/CBCT series, loaded and letterboxed as training and pseudo-labelling
 * load it) with the 3D model in IndexedDB. `landmark`: one map (index) instead of the max.
 */
export interface VolumeHeatmapRequest extends PacsRoots, ModelChoice {
  type: 'volume-heatmap';
  item: Pick<VolumeItem, 'studyUid' | 'seriesUid'>;
  landmark?: number;
  backends?: BrowserBackend[];
}

type Job =
  | TrainRequest
  | ResumeRequest
  | BenchRequest
  | PseudoLabelRequest
  | HeatmapRequest
  | VolumeHeatmapRequest
  | { type: 'model-status'; templates: TemplateRef[] }
  | { type: 'export-model'; templateId: string }
  | {
      type: 'import-model';
      text: string;
      source: string;
      origin: ModelSource;
      /** The viewer's templates: the model is filed under the one its landmarks fit. */
      templates: TemplateRef[];
      backends?: BrowserBackend[];
    }
  | { type: 'delete-model'; templateId: string; templates: TemplateRef[] }
  | { type: 'discard-training-state'; templates: TemplateRef[] };

export type WorkerRequest = (Job & { id: number }) | { type: 'cancel' };

/** Result of pseudo-labelling one unannotated image or volume (paper Eq. 7). */
export interface PseudoLabelResult {
  item: StudyItem;
  /** Network prediction X_α: original pixels (2D, n × 2) or patient mm (volumes, n × 3, LPS). */
  predicted: number[][];
  /**
   * Shape-adjusted X_β, same frame as `predicted`: images, the robust fit of the shape model
   * (core/inference/reviewPrediction.ts); volumes, the paper's X_β (Eq. 7).
   */
  adjusted: number[][];
  /**
   * Landmarks to review. Images: the review flag (a robust shape outlier, re-read from its heatmap, a
   * heatmap with little mass at the point, or moved > Z by the paper's regulator; see `flagReasons`);
   * volumes: the paper's rule (moved > Z).
   */
  abnormal: boolean[];
  /** Images: why each landmark is flagged (empty when it is not). Volumes: absent (the paper's rule). */
  flagReasons?: ReviewReason[][];
  /** Images: the network's point's distance from the robust fit, mm; volumes: |X_α − X_β| (paper). */
  deviationMm: number[];
  mahalanobis: number;
  /**
   * Per landmark, from its heatmap (services/heatmapConfidence.ts): the probability mass of the
   * normalised heatmap within 2 mm (at least one network pixel) of the prediction, unitless in [0, 1]. Always set by the worker;
   * optional for results made elsewhere (tests, older callers).
   */
  confidence?: number[];
  /** Per landmark: RMS spread of the normalised heatmap around the prediction, mm (Infinity if empty). */
  spreadMm?: number[];
}

/** What a saved (resumable) training run looks like, without its weights. */
export interface TrainingStateSummary {
  stage: Stage | 'done';
  /** Next epoch to run (0-based) within `stage`. */
  epoch: number;
  stepsDone: number;
  stepsTotal?: number;
  preset: TrainingPreset;
  labelled: number;
  unlabelled: number;
  /** ISO 8601 time of the save. */
  savedAt: string;
  /** Why it was saved: end of an epoch, or the user's cancel. */
  reason: 'epoch' | 'cancel';
}

/** Heatmap of one image at network resolution, with the letterbox to map it to image pixels. */
export interface HeatmapResult {
  sopUid: string;
  /** H × W values in [0, 1], row-major (see services/heatmapOverlayMap.ts). */
  map: Float32Array;
  width: number;
  height: number;
  letterbox: Letterbox;
  /** Size of the original image, pixels (the overlay is clipped to it: the padding means nothing). */
  imageWidth: number;
  imageHeight: number;
  confidence: LandmarkConfidence[];
  /** Time of the request inside the worker (fetch + predict + maps), ms. */
  ms: number;
}

/**
 * Heatmap of one volume on the network's grid (input voxels, [D, H, W]) with the maps between the grid
 * and patient mm (DICOM LPS = Cornerstone world; services/volumeHeatmapGrid.ts).
 */
export interface VolumeHeatmapResult {
  studyUid: string;
  seriesUid: string;
  /** D × H × W values in [0, 1], x fastest (services/heatmapOverlayMap.ts); 0 outside the volume. */
  map: Float32Array;
  /** [D, H, W] of the grid. */
  dims: [number, number, number];
  /** Where the volume lies in the grid (continuous grid coordinates): the overlay is clipped to it. */
  volumeBox: GridBox;
  /** Grid (continuous input voxels, cell i covering [i, i+1)) → patient mm. */
  gridToPatient: Affine3;
  /** Patient mm → grid (the inverse). */
  patientToGrid: Affine3;
  /** Millimetres per grid voxel along x, y, z. */
  voxelMm: [number, number, number];
  /** Centre of the map's largest cell, patient mm. */
  peakPatient: [number, number, number];
  /** Per landmark (3D heatmapConfidence: mass within 2 mm or one grid voxel, RMS spread in mm). */
  confidence: LandmarkConfidence[];
  /** Time of the request inside the worker (fetch + assemble + predict + maps), ms. */
  ms: number;
  /** Of which the forward pass, ms. */
  predictMs: number;
}

type Reply =
  | { type: 'backend'; backend: BrowserBackend; note?: string }
  | { type: 'loading'; done: number; total: number }
  | { type: 'progress'; progress: TrainingProgress; elapsedMs: number; stepsAtStart: number }
  | { type: 'stage'; stage: Stage | 'pseudo-label' }
  | { type: 'checkpoint'; summary: TrainingStateSummary; ms: number }
  | { type: 'model-saved'; model: ModelInfo }
  /** What a training run starts from (a stored model's weights, or scratch and why). */
  | { type: 'start-weights'; note: string; fineTuning: boolean; weightsId?: string }
  | { type: 'pseudo-labelled'; result: PseudoLabelResult; done: number; total: number }
  | {
      type: 'done';
      status: 'completed' | 'cancelled';
      results: PseudoLabelResult[];
      msPerStep: number;
      modelUrl?: string;
      model?: ModelInfo;
      pseudoLabelMsPerImage: number;
      /** Pseudo-labelling with a model that has a refiner: whether it was applied, or why not. */
      refiner?: string;
    }
  | { type: 'bench'; backend: BrowserBackend; threads: number; msPerStep: number[] }
  /** Every model of the library (each with its templateId), and the resumable training run. */
  | { type: 'model-status'; models: ModelInfo[]; training?: TrainingStateSummary }
  | { type: 'exported'; text: string; fileName: string; ms: number }
  /** `replaced`: the template's model the import took the place of. */
  | { type: 'imported'; model: ModelInfo; replaced?: ModelInfo; ms: number }
  | { type: 'heatmap'; result: HeatmapResult }
  | { type: 'volume-heatmap'; result: VolumeHeatmapResult }
  | { type: 'error'; message: string };

export type WorkerMessage = Reply & { id: number };

/** Message types that end a job. */
export const FINAL_TYPES: ReadonlySet<WorkerMessage['type']> = new Set([
  'done',
  'bench',
  'model-status',
  'exported',
  'imported',
  'heatmap',
  'volume-heatmap',
  'error',
]);
