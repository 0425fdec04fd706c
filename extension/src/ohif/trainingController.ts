import { writeLandmarkSr } from '../dicom/srWriter.ts';
import { randomUid } from '../dicom/uids.ts';
import type { TrainingProgress } from '../core/selfTraining/types.ts';
import type { BrowserBackend } from '../core/tf/selectBrowserBackend.ts';
import type { LandmarksController } from './controller.ts';
import { pseudoLabelSet } from './services/pseudoLabelSet.ts';
import { gatherTrainingSet, type StudyImage } from './services/trainingSet.ts';
import type { TrainingPreset, WorkerMessage, WorkerRequest } from './worker/protocol.ts';

/** One study in the "annotate next" ranking. */
export interface AnnotateNextItem {
  studyUid: string;
  patientName: string;
  /** Mahalanobis distance of the pseudo-label shape from the shape model (larger = more unusual). */
  mahalanobis: number;
}

/** Everything the Train panel shows. */
export interface TrainingState {
  phase:
    | 'idle'
    | 'scanning'
    | 'loading'
    | 'training'
    | 'pseudo-label'
    | 'storing'
    | 'done'
    | 'cancelled'
    | 'error';
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
  stored?: number;
  flagged?: number;
  annotateNext: AnnotateNextItem[];
  bench: Array<{ backend: string; msPerStep?: number; error?: string }>;
  error?: string;
}

/**
 * Runs training and pseudo-labelling in the module Web Worker (dist/plugins/landmarks/worker.js) and
 * stores the pseudo labels as landmark SRs. Created by the extension, never at import time.
 */
export class TrainingController {
  state: TrainingState = { phase: 'idle', losses: [], mres: [], annotateNext: [], bench: [] };
  private worker?: Worker;
  private listeners = new Set<() => void>();

  constructor(private readonly landmarks: LandmarksController) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<TrainingState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  private getWorker(): Worker {
    if (!this.worker) {
      const url = new URL('./worker.js', import.meta.url);
      this.worker = new Worker(url, { type: 'module' });
    }
    return this.worker;
  }

  /** Sends one request and resolves with the worker's final message ('done', 'bench' or 'error'). */
  private run(req: WorkerRequest, onMessage: (m: WorkerMessage) => void): Promise<WorkerMessage> {
    const worker = this.getWorker();
    return new Promise((resolve) => {
      const handler = (event: MessageEvent<WorkerMessage>) => {
        const m = event.data;
        onMessage(m);
        if (m.type === 'done' || m.type === 'bench' || m.type === 'error') {
          worker.removeEventListener('message', handler);
          resolve(m);
        }
      };
      worker.addEventListener('message', handler);
      worker.postMessage(req);
    });
  }

  /** Scans the PACS, trains, pseudo-labels the unannotated studies and stores their SRs. */
  async train(preset: TrainingPreset, backends?: BrowserBackend[]): Promise<void> {
    if (['scanning', 'loading', 'training', 'pseudo-label', 'storing'].includes(this.state.phase)) {
      throw new Error('landmarks: training is already running');
    }
    this.set({
      phase: 'scanning',
      losses: [],
      mres: [],
      error: undefined,
      progress: undefined,
      annotateNext: [],
    });
    try {
      const pacs = this.landmarks.pacs();
      const set = await gatherTrainingSet(pacs, (uid) => this.landmarks.listSrs(uid));
      this.set({
        phase: 'loading',
        labelled: set.labelled.length,
        unlabelled: set.unlabelled.length,
      });
      const strip = ({ study: _s, current: _c, ...item }: StudyImage) => item;
      const final = await this.run(
        {
          type: 'train',
          names: set.names,
          labelled: set.labelled.map(strip),
          unlabelled: set.unlabelled.map(strip),
          wadoRoot: pacs.wadoRoot,
          headers: pacs.headers,
          preset,
          ...(backends ? { backends } : {}),
        },
        (m) => this.onMessage(m),
      );
      if (final.type === 'error') throw new Error(final.message);
      if (final.type !== 'done') return;
      if (final.status === 'cancelled') return this.set({ phase: 'cancelled' });
      this.set({
        phase: 'storing',
        msPerStep: final.msPerStep,
        pseudoLabelMsPerImage: final.pseudoLabelMsPerImage,
      });
      await this.store(set.names, set.unlabelled, final.results);
      this.set({ phase: 'done' });
    } catch (err) {
      this.set({ phase: 'error', error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'backend') this.set({ backend: m.backend, note: m.note });
    if (m.type === 'stage' && m.stage === 'pseudo-label') this.set({ phase: 'pseudo-label' });
    if (m.type === 'progress') {
      const p = m.progress;
      const etaMs =
        p.stepsDone > 0 ? (m.elapsedMs * (p.stepsTotal - p.stepsDone)) / p.stepsDone : undefined;
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

  private async store(
    names: string[],
    images: StudyImage[],
    results: Extract<WorkerMessage, { type: 'done' }>['results'],
  ): Promise<void> {
    const model = {
      name: 'ohif-landmarks-unet2d',
      version: new Date().toISOString().slice(0, 10),
      method: 'shape-regulated self-training',
    };
    let stored = 0;
    let flagged = 0;
    for (const r of results) {
      const image = images.find((i) => i.sopUid === r.item.sopUid);
      if (!image) continue;
      const set = pseudoLabelSet(names, r, model);
      const buffer = writeLandmarkSr(set, {
        study: image.study,
        seriesUid: image.current?.sr.seriesUid ?? randomUid(),
        sopUid: randomUid(),
        seriesDescription: 'Landmarks (pseudo labels)',
        ...(image.current ? { predecessor: image.current.sr } : {}),
      });
      await this.landmarks.storeDicom(buffer);
      stored += 1;
      if (r.abnormal.some(Boolean)) flagged += 1;
    }
    const annotateNext = results
      .map((r) => ({
        studyUid: r.item.studyUid,
        patientName: images.find((i) => i.sopUid === r.item.sopUid)?.study.patientName ?? '',
        mahalanobis: r.mahalanobis,
      }))
      .sort((a, b) => b.mahalanobis - a.mahalanobis);
    this.set({ stored, flagged, annotateNext });
  }

  /** Asks the worker to stop after the current step. */
  cancel(): void {
    this.worker?.postMessage({ type: 'cancel' } satisfies WorkerRequest);
  }

  /** Times `steps` training steps of the tiny network on each backend in turn. */
  async bench(backends: BrowserBackend[] = ['webgpu', 'webgl', 'wasm'], steps = 3): Promise<void> {
    const rows: TrainingState['bench'] = [];
    for (const backend of backends) {
      const m = await this.run({ type: 'bench', backend, steps }, () => undefined);
      if (m.type === 'bench') {
        const sorted = [...m.msPerStep].sort((a, b) => a - b);
        rows.push({ backend, msPerStep: sorted[Math.floor(sorted.length / 2)] });
      } else if (m.type === 'error') {
        rows.push({ backend, error: m.message });
      }
      this.set({ bench: [...rows] });
    }
  }
}
