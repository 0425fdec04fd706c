import { isAnnotation } from '../dicom/srReader.ts';
import { writeLandmarkSr } from '../dicom/srWriter.ts';
import type { ModelIdentity } from '../dicom/types.ts';
import { randomUid } from '../dicom/uids.ts';
import type { TrainingProgress } from '../core/selfTraining/types.ts';
import type { BrowserBackend } from '../core/tf/selectBrowserBackend.ts';
import type { LandmarksController } from './controller.ts';
import type { ModelInfo } from './services/modelBundle.ts';
import { ModelController } from './services/modelController.ts';
import { modelDimension, untemplatedId, type ModelChoice } from './services/modelLibrary.ts';
import { pseudoLabelSet } from './services/pseudoLabelSet.ts';
import {
  gatherTrainingSet,
  type KindSet,
  type StudyImage,
  type StudyVolume,
  type TrainingSet,
} from './services/trainingSet.ts';
import { studyLabel } from './services/fileLabelled.ts';
import { MIN_TRAINING_SHAPES } from '../core/shape/index.ts';
import volumePseudoLabelSet from './volume/volumePseudoLabelSet.ts';
import {
  isVolumeItem,
  type PseudoLabelResult,
  type StudyItem,
  type TrainingPreset,
  type TrainingStateSummary,
  type WorkerMessage,
} from './worker/protocol.ts';
import { WorkerClient, type JobRequest } from './worker/workerClient.ts';

/** SR Algorithm Name of the browser model; the Algorithm Version is the model id (weights' hash). */
export const MODEL_NAME = 'ohif-landmarks-unet2d';
/** SR Algorithm Name of the browser's volume (3D U-Net) model. */
export const MODEL_NAME_3D = 'ohif-landmarks-unet3d';

/** Which studies a run trains on: 2D X-rays, CT/CBCT volumes, or `auto` (see {@link chooseKind}). */
export type StudyKind = '2d' | '3d';

/** True when the model takes volumes (input [D, H, W]); a model without metadata counts as 2D. */
const isVolumeModel = (model: ModelInfo): boolean =>
  model.metadata?.network?.inputShape?.length === 3;

/**
 * The kind to train: the one asked for, else (auto) 2D when it has enough annotated studies, else 3D
 * when the volumes have, else 2D (whose worker then says how many annotations are missing).
 */
export function chooseKind(set: TrainingSet, asked: StudyKind | 'auto' = 'auto'): StudyKind {
  if (asked !== 'auto') return asked;
  if (set.labelled.length >= MIN_TRAINING_SHAPES) return '2d';
  return set.volumes.labelled.length >= MIN_TRAINING_SHAPES ? '3d' : '2d';
}

/**
 * Pseudo-labelling regulates predictions with a shape model, fitted on the annotations that have every
 * landmark: throws, naming the partial ones, when fewer than MIN_TRAINING_SHAPES are complete (before the
 * worker starts, so the message names the studies). Partial annotations still train the network.
 */
export function checkCompleteShapes(items: KindSet<StudyImage | StudyVolume>): void {
  const partial = items.labelled.filter(
    (i) => !(i.landmarks ?? []).every((p) => p.every(Number.isFinite)),
  );
  const complete = items.labelled.length - partial.length;
  if (complete >= MIN_TRAINING_SHAPES || partial.length === 0) return;
  const placed = (i: StudyImage | StudyVolume) =>
    (i.landmarks ?? []).filter((p) => p.every(Number.isFinite)).length;
  const listed = partial
    .slice(0, 5)
    .map((i) => `${studyLabel(i.study)} ${placed(i)}/${items.names.length}`)
    .join(', ');
  throw new Error(
    `the shape model needs at least ${MIN_TRAINING_SHAPES} annotated studies with all ` +
      `${items.names.length} landmarks placed, found ${complete}; partial: ${listed}` +
      `${partial.length > 5 ? ` and ${partial.length - 5} more` : ''}`,
  );
}

/** The studies of one kind. */
const kindSet = (set: TrainingSet, kind: StudyKind): KindSet<StudyImage | StudyVolume> =>
  kind === '3d' ? set.volumes : set;

/** An item as the worker takes it (without the study identity and SR). */
const strip = ({ study: _s, current: _c, ...item }: StudyImage | StudyVolume): StudyItem => item;

/** One study in the "annotate next" ranking. */
export interface AnnotateNextItem {
  studyUid: string;
  patientName: string;
  /** Mahalanobis distance of the pseudo-label shape from the shape model (larger = more unusual). */
  mahalanobis: number;
}

type Phase = 'idle' | 'scanning' | 'loading' | 'training' | 'pseudo-label' | 'storing';

/** Everything the Train panel shows. */
export interface TrainingState {
  phase: Phase | 'done' | 'cancelled' | 'error';
  /** Kind of the current run: 2D images or volumes. */
  kind?: StudyKind;
  backend?: string;
  note?: string;
  labelled?: number;
  unlabelled?: number;
  progress?: TrainingProgress;
  etaMs?: number;
  losses: number[];
  mres: Array<{ step: number; mm: number }>;
  msPerStep?: number;
  pseudoLabelMsPerImage?: number;
  /** The last pseudo-label pass's refiner: "refiner applied (11/19 landmarks)", or why it was not. */
  refiner?: string;
  /** Pseudo-label pass: done/total of this pass, and studies skipped (already labelled by this model). */
  pseudo?: { done: number; total: number; skipped: number };
  stored?: number;
  /** Pseudo-label SRs kept in the browser's result queue because the PACS could not take them yet. */
  queued?: number;
  flagged?: number;
  annotateNext: AnnotateNextItem[];
  /** Per backend: median ms per training step of the tiny 2D or 3D network, or why it failed. */
  bench: Array<{ backend: string; dimension?: 2 | 3; msPerStep?: number; error?: string }>;
  /** Every model of the browser's library (one per template, from the worker's status). */
  models: ModelInfo[];
  /** The model of the Model section's template (see ModelController.choice), if stored. */
  model?: ModelInfo;
  /** What the last training run started from: "fine-tuning the … model" or "from scratch: why". */
  start?: { note: string; fineTuning: boolean; weightsId?: string };
  /** The resumable training run (from the worker's status). */
  saved?: TrainingStateSummary;
  /** Time of each per-epoch / cancel save of the training state, ms. */
  checkpointMs: number[];
  /** Studies the last scan left out, each with its UID, description and the reason. */
  skipped: string[];
  error?: string;
}

const BUSY: readonly string[] = ['scanning', 'loading', 'training', 'pseudo-label', 'storing'];

/** The SR's algorithm identity for a model. */
export const modelIdentity = (model: ModelInfo): ModelIdentity => ({
  name: modelName(model),
  version: model.id,
  method: 'shape-regulated self-training',
});

/** The SR Algorithm Name of a model (2D or volume network). */
const modelName = (model: ModelInfo): string => (isVolumeModel(model) ? MODEL_NAME_3D : MODEL_NAME);

/**
 * True when the image's current SR is a pseudo label written by exactly this model (same Algorithm
 * Name and Version = weights' hash): resumed pseudo-labelling skips it. Annotations are never skipped
 * here because they are not in the unannotated list at all.
 */
export function labelledByModel(image: StudyImage | StudyVolume, model: ModelInfo): boolean {
  const set = image.current?.set;
  return (
    !!set &&
    !isAnnotation(set) &&
    set.model?.name === modelName(model) &&
    set.model.version === model.id
  );
}

/** The unannotated study item (2D image or volume) a worker result is about. */
function unlabelledItem(set: TrainingSet, item: StudyItem): StudyImage | StudyVolume | undefined {
  const list: Array<StudyImage | StudyVolume> = isVolumeItem(item)
    ? set.volumes.unlabelled
    : set.unlabelled;
  return list.find((i) => i.sopUid === item.sopUid && i.seriesUid === item.seriesUid);
}

/**
 * Runs training and pseudo-labelling in the module Web Worker (dist/plugins/landmarks/worker.js) and
 * stores the pseudo labels as landmark SRs, one by one as they arrive (a reload loses none already
 * stored). Created by the extension, never at import time.
 */
export class TrainingController {
  state: TrainingState = {
    phase: 'idle',
    losses: [],
    mres: [],
    annotateNext: [],
    bench: [],
    checkpointMs: [],
    skipped: [],
    models: [],
  };
  /** Backends chosen in the Train section (undefined = automatic); inference jobs use them too. */
  backends?: BrowserBackend[];
  /** Kind of studies chosen in the Train section (`train` uses it unless given one). */
  kind: StudyKind | 'auto' = 'auto';
  readonly client = new WorkerClient();
  readonly models: ModelController;
  private listeners = new Set<() => void>();

  constructor(private readonly landmarks: LandmarksController) {
    this.models = new ModelController(this.client, landmarks, this);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<TrainingState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  get busy(): boolean {
    return BUSY.includes(this.state.phase);
  }

  /** The viewer's templates as the worker takes them (plain data). */
  private templates() {
    return this.landmarks.templates.map((t) => ({ ...t, landmarks: [...t.landmarks] }));
  }

  /** The library's models. */
  get library(): readonly ModelInfo[] {
    return this.state.models;
  }

  /** Sets the library from a worker status; `model` is then the Model section template's one. */
  private setLibrary(m: { models: ModelInfo[]; training?: TrainingStateSummary }): void {
    const id = this.models.choice().templateId;
    this.set({
      models: m.models,
      model: m.models.find((x) => x.templateId === id),
      saved: m.training,
    });
  }

  /** Asks the worker which models are stored and whether a training run can be resumed. */
  async refreshStatus(): Promise<void> {
    const templates = this.templates();
    this.setLibrary(await this.client.ask({ type: 'model-status', templates }, 'model-status'));
  }

  /** Asks the worker to delete a template's model. */
  async deleteModel(templateId: string): Promise<void> {
    const templates = this.templates();
    const req = { type: 'delete-model' as const, templateId, templates };
    this.setLibrary(await this.client.ask(req, 'model-status'));
  }

  /** The model a run on `items` of kind `kind` uses and stores: that of the annotations' template. */
  private trainingChoice(items: KindSet<unknown>, kind: StudyKind): ModelChoice {
    const templateId = items.templateId ?? untemplatedId(kind === '3d' ? 3 : 2);
    const label = this.landmarks.templates.find((t) => t.id === templateId)?.label ?? templateId;
    return { templateId, templateLabel: label };
  }

  /**
   * Scans the PACS, trains one model on the studies of one kind (2D X-rays or CT/CBCT volumes, `kind`;
   * auto: see {@link chooseKind}), pseudo-labels the unannotated studies of that kind and stores their SRs.
   */
  train(
    preset: TrainingPreset,
    backends?: BrowserBackend[],
    kind: StudyKind | 'auto' = this.kind,
  ): Promise<void> {
    return this.job(async (set) => {
      const pacs = this.landmarks.pacs();
      const chosen = chooseKind(set, kind);
      const items = kindSet(set, chosen);
      if (items.unlabelled.length > 0) checkCompleteShapes(items);
      const choice = this.trainingChoice(items, chosen);
      // A built-in model of the template is the starting point (the worker says if its network fits).
      await this.models.ensureModel(choice.templateId).catch(() => undefined);
      this.set({
        kind: chosen,
        labelled: items.labelled.length,
        unlabelled: items.unlabelled.length,
      });
      return {
        type: 'train',
        ...choice,
        names: items.names,
        labelled: items.labelled.map(strip),
        unlabelled: items.unlabelled.map(strip),
        wadoRoot: pacs.wadoRoot,
        headers: pacs.headers,
        preset,
        ...(backends ? { backends } : {}),
      };
    });
  }

  /** Continues the training run saved in IndexedDB, then pseudo-labels and stores as after `train`. */
  resume(backends?: BrowserBackend[]): Promise<void> {
    return this.job(async () => {
      const pacs = this.landmarks.pacs();
      return {
        type: 'resume',
        wadoRoot: pacs.wadoRoot,
        headers: pacs.headers,
        ...(backends ? { backends } : {}),
      };
    });
  }

  /**
   * Pseudo-labels the unannotated studies with the model of the Model section's template only (no
   * training; its built-in model is loaded when the browser has none). Resumable: studies whose current
   * SR was written by this same model ({@link labelledByModel}) are skipped.
   */
  pseudoLabel(backends?: BrowserBackend[]): Promise<void> {
    return this.job(async (set) => {
      const choice = this.models.choice();
      const model = await this.models.ensureModel(choice.templateId);
      // The model's kind decides which studies it can label.
      const kind: StudyKind = modelDimension(model) === 3 ? '3d' : '2d';
      const items = kindSet(set, kind);
      const todo = items.unlabelled.filter((i) => !labelledByModel(i, model));
      this.set({
        kind,
        labelled: items.labelled.length,
        unlabelled: items.unlabelled.length,
        pseudo: { done: 0, total: todo.length, skipped: items.unlabelled.length - todo.length },
      });
      const pacs = this.landmarks.pacs();
      return {
        type: 'pseudo-label',
        ...choice,
        items: todo.map(strip),
        labelled: items.labelled.map(strip),
        wadoRoot: pacs.wadoRoot,
        headers: pacs.headers,
        ...(backends ? { backends } : {}),
      };
    });
  }

  /** Common frame of train / resume / pseudo-label: scan, run the worker job, store results as they come. */
  private async job(request: (set: TrainingSet) => Promise<JobRequest>): Promise<void> {
    if (this.busy) throw new Error('landmarks: training or pseudo-labelling is already running');
    this.set({
      phase: 'scanning',
      kind: undefined,
      labelled: undefined,
      unlabelled: undefined,
      losses: [],
      mres: [],
      error: undefined,
      skipped: [],
      note: undefined,
      start: undefined,
      progress: undefined,
      pseudo: undefined,
      refiner: undefined,
      stored: undefined,
      queued: undefined,
      flagged: undefined,
      annotateNext: [],
      checkpointMs: [],
    });
    try {
      const set = await gatherTrainingSet(
        this.landmarks.pacs(),
        (uid) => this.landmarks.listSrs(uid),
        200,
        this.landmarks.templates,
      );
      if (set.skipped.length > 0) this.set({ skipped: set.skipped });
      const req = await request(set);
      this.set({ phase: 'loading' });
      const results: PseudoLabelResult[] = [];
      let storing = Promise.resolve();
      let model: ModelInfo | undefined = this.state.model;
      const final = await this.client.run(req, (m) => {
        if ((m.type === 'done' || m.type === 'model-saved') && m.model) model = m.model;
        if (m.type === 'pseudo-labelled') {
          results.push(m.result);
          this.set({ pseudo: { skipped: 0, ...this.state.pseudo, done: m.done, total: m.total } });
          storing = storing.then(() => this.storeOne(set, m.result, () => model));
        }
        this.onMessage(m);
      });
      await storing;
      if (final.type === 'error') throw new Error(final.message);
      if (final.type !== 'done') return;
      this.set({
        phase: final.status === 'cancelled' ? 'cancelled' : 'done',
        model,
        ...(final.msPerStep ? { msPerStep: final.msPerStep } : {}),
        pseudoLabelMsPerImage: final.pseudoLabelMsPerImage,
        refiner: final.refiner,
        annotateNext: this.ranking(set, results),
      });
      await this.refreshStatus();
    } catch (err) {
      this.set({ phase: 'error', error: err instanceof Error ? err.message : String(err) });
      await this.refreshStatus().catch(() => undefined);
      throw err;
    }
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'backend') this.set({ backend: m.backend, note: m.note });
    if (m.type === 'start-weights') {
      const { note, fineTuning, weightsId } = m;
      this.set({ start: { note, fineTuning, ...(weightsId ? { weightsId } : {}) } });
    }
    if (m.type === 'stage' && m.stage === 'pseudo-label') this.set({ phase: 'pseudo-label' });
    if (m.type === 'checkpoint')
      this.set({ saved: m.summary, checkpointMs: [...this.state.checkpointMs, m.ms] });
    if (m.type === 'progress') {
      const p = m.progress;
      const stepsHere = p.stepsDone - m.stepsAtStart;
      const etaMs =
        stepsHere > 0 ? (m.elapsedMs * (p.stepsTotal - p.stepsDone)) / stepsHere : undefined;
      this.set({
        phase: 'training',
        progress: p,
        etaMs,
        losses: Number.isFinite(p.loss) ? [...this.state.losses, p.loss] : this.state.losses,
        mres:
          p.validationMreMm !== undefined && Number.isFinite(p.validationMreMm)
            ? [...this.state.mres, { step: p.stepsDone, mm: p.validationMreMm }]
            : this.state.mres,
      });
    }
  }

  /** Stores one pseudo label as SR (a revision of the image's current SR, if any). */
  private async storeOne(
    set: TrainingSet,
    r: PseudoLabelResult,
    model: () => ModelInfo | undefined,
  ): Promise<void> {
    const image = unlabelledItem(set, r.item);
    const info = model();
    if (!image || !info) return;
    if (this.state.phase !== 'storing' && this.state.phase !== 'pseudo-label')
      this.set({ phase: 'pseudo-label' });
    const names = info.metadata.landmarkNames;
    const landmarkSet = isVolumeItem(r.item)
      ? volumePseudoLabelSet(names, r, modelIdentity(info))
      : pseudoLabelSet(names, r, modelIdentity(info));
    const buffer = writeLandmarkSr(landmarkSet, {
      study: image.study,
      seriesUid: image.current?.sr.seriesUid ?? randomUid(),
      sopUid: randomUid(),
      seriesDescription: 'Landmarks (pseudo labels)',
      ...(image.current ? { predecessor: image.current.sr } : {}),
    });
    const outcome = await this.landmarks.storeDicom(buffer);
    this.set({
      stored: (this.state.stored ?? 0) + (outcome === 'stored' ? 1 : 0),
      queued: (this.state.queued ?? 0) + (outcome === 'queued' ? 1 : 0),
      flagged: (this.state.flagged ?? 0) + (r.abnormal.some(Boolean) ? 1 : 0),
    });
  }

  private ranking(set: TrainingSet, results: PseudoLabelResult[]): AnnotateNextItem[] {
    return results
      .map((r) => ({
        studyUid: r.item.studyUid,
        patientName: unlabelledItem(set, r.item)?.study.patientName ?? '',
        mahalanobis: r.mahalanobis,
      }))
      .sort((a, b) => b.mahalanobis - a.mahalanobis);
  }

  /** Asks the worker to stop after the current step (the state is saved for Resume). */
  cancel(): void {
    this.client.cancel();
  }

  /** Forgets the resumable training run. */
  async discardSaved(): Promise<void> {
    const req = { type: 'discard-training-state' as const, templates: this.templates() };
    this.setLibrary(await this.client.ask(req, 'model-status'));
  }

  /**
   * Times `steps` training steps of the tiny network on each backend in turn: the 3D U-Net when the
   * Train section's kind is 3D (each backend is then also checked against cpu for 3D, see
   * worker/verifyVolumeBackend.ts), else the 2D one.
   */
  async bench(
    backends: BrowserBackend[] = ['webgpu', 'webgl', 'wasm'],
    steps = 3,
    dimension: 2 | 3 = this.kind === '3d' ? 3 : 2,
  ): Promise<void> {
    const rows: TrainingState['bench'] = [];
    for (const backend of backends) {
      const m = await this.client.run({ type: 'bench', backend, steps, dimension });
      if (m.type === 'bench') {
        const sorted = [...m.msPerStep].sort((a, b) => a - b);
        rows.push({ backend, dimension, msPerStep: sorted[Math.floor(sorted.length / 2)] });
      } else if (m.type === 'error') {
        rows.push({ backend, dimension, error: m.message });
      }
      this.set({ bench: [...rows] });
    }
  }
}
