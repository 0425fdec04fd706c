/**
 * The browser side of training: inside the Web Worker, pick a backend (webgpu → webgl → wasm → cpu),
 * fetch and letterbox the images, run the three-stage shape-regulated self-training of the core, save
 * the network to IndexedDB, then pseudo-label the unannotated images and regulate each predicted shape
 * with the shape model (paper Eqs. 4–7) so the panel can store them as SR.
 *
 * Resume: the training state (core LoopState + model and Adam weights, core/selfTraining/
 * trainingState.ts) is written to IndexedDB at the end of every epoch and on cancel. The core loop has
 * no per-epoch callback, so the run is split into one call per epoch: an internal AbortSignal stops the
 * loop right after an epoch's last step, before the next epoch's first step (the loop state then holds
 * the next epoch's shuffled order at step 0), the state is saved, and the next call resumes from it; the
 * resume is exact (same order, RNG state, Adam moments).
 */
import * as tf from '@tensorflow/tfjs';
import createHeatmapModel from '../../core/models/createHeatmapModel.ts';
import { METADATA_FORMAT } from '../../core/models/landmarkModelMetadata.ts';
import type { ResolvedModelConfig } from '../../core/models/types.ts';
import { decodingFor } from '../../core/selfTraining/predictCoordinates.ts';
import { DEFAULT_AUGMENTATION } from '../../core/selfTraining/presets.ts';
import shapeRegulatorFactory from '../../core/selfTraining/shapeRegulatorFactory.ts';
import trainLandmarkModel, {
  type TrainingResult,
} from '../../core/selfTraining/trainLandmarkModel.ts';
import { exportTrainingState, importTrainingState } from '../../core/selfTraining/trainingState.ts';
import type { LoopState, Method } from '../../core/selfTraining/types.ts';
import {
  MIN_TRAINING_SHAPES,
  serialiseShapeModel,
  type ShapeModel,
} from '../../core/shape/index.ts';
import createAdam from '../../core/tf/createAdam.ts';
import { BROWSER_BACKEND_ORDER, type BrowserBackend } from '../../core/tf/selectBrowserBackend.ts';
import { modelIdOf, type ModelInfo } from '../services/modelBundle.ts';
import { modelUrlFor, trainingStart } from '../services/modelLibrary.ts';
import { LATENT_OFFSET, startBackend, workerPreset, type Post } from './backend.ts';
import {
  buildNetwork,
  forgetNetwork,
  loadModelArtifacts,
  modelArtifacts,
  saveTrainedModel,
} from './browserModelStore.ts';
import { loadSamples, sampleLoader, type LoadedSample } from './loadStudySample.ts';
import { isVolumeItem, type ResumeRequest, type TrainRequest } from './protocol.ts';
import { pseudoLabelOne, regulateOptions } from './pseudoLabelInWorker.ts';
import { TrainingDataError, dataErrors } from './trainingDataError.ts';
import {
  readTraining,
  removeTraining,
  writeTraining,
  type StoredTraining,
} from './trainingStateStore.ts';

/** 3 when the run trains on volumes (3D U-Net), 2 for images. */
export function dimensionOf(req: Pick<TrainRequest, 'labelled'>): 2 | 3 {
  return req.labelled.some(isVolumeItem) ? 3 : 2;
}

/** Starts a new run (discarding any saved one). */
export async function train(req: TrainRequest, post: Post, signal: AbortSignal): Promise<void> {
  if (req.labelled.length < MIN_TRAINING_SHAPES) {
    throw new Error(
      `training needs at least ${MIN_TRAINING_SHAPES} annotated studies (found ${req.labelled.length})`,
    );
  }
  await removeTraining();
  await run(req, post, signal, undefined);
}

/** Continues the run saved in IndexedDB with the PACS roots of this page. */
export async function resume(req: ResumeRequest, post: Post, signal: AbortSignal): Promise<void> {
  const stored = await readTraining();
  if (!stored) throw new Error('no saved training to resume');
  const full: TrainRequest = {
    ...stored.request,
    wadoRoot: req.wadoRoot,
    headers: req.headers,
    ...(req.backends ? { backends: req.backends } : {}),
  };
  await run(full, post, signal, stored);
}

/**
 * Loads the images, then trains; when a backend fails part-way (e.g. a lost WebGPU device: every later
 * buffer upload then throws "createBuffer failed … mappedAtCreation"), continues on the next backend of
 * the order from the last saved epoch, with a visible note.
 */
async function run(
  req: TrainRequest,
  post: Post,
  signal: AbortSignal,
  stored: StoredTraining | undefined,
): Promise<void> {
  forgetNetwork();
  const dimension = dimensionOf(req);
  if (req.unlabelled.some((i) => isVolumeItem(i) !== (dimension === 3)))
    throw new Error('one training run takes either 2D images or volumes, not both');
  const preset = workerPreset(req.preset, dimension);
  const total = req.labelled.length + req.unlabelled.length;
  let done = 0;
  const tick = () => post({ type: 'loading', done: ++done, total });
  const load = sampleLoader(req, preset.inputShape);
  const labelled = await loadSamples(load, req.labelled, tick);
  const unlabelled = await loadSamples(load, req.unlabelled, tick);
  const order = [...(req.backends ?? BROWSER_BACKEND_ORDER)];
  const failures: string[] = [];
  let saved = stored;
  while (order.length > 0) {
    const backend = await startBackend(order, req.preset, post, failures, dimension);
    try {
      return await trainOn(req, { labelled, unlabelled }, saved, backend, post, signal);
    } catch (err) {
      // A data error is the same on every backend: reported once.
      if (signal.aborted || err instanceof TrainingDataError) throw err;
      failures.push(`${backend} failed (${err instanceof Error ? err.message : String(err)})`);
      order.splice(0, order.indexOf(backend) + 1);
      if (order.length === 0) throw new Error(failures.join('; '));
      saved = (await readTraining()) ?? saved;
    }
  }
}

/**
 * A new run starts from the weights of its template's stored model (built-in or not) when that network
 * has this run's architecture, input size, depth, filters and landmarks; else from the fresh
 * initialisation. Posts which, and why (services/modelLibrary.ts trainingStart), with the id of the
 * weights the run starts from when it fine-tunes (the stored model's id: proof they were loaded).
 */
async function startWeights(
  req: TrainRequest,
  config: ResolvedModelConfig,
  model: tf.LayersModel,
  post: Post,
): Promise<void> {
  const stored = await loadModelArtifacts(req.templateId).catch(() => undefined);
  const start = trainingStart(stored?.info, config, req.names, req.templateLabel);
  if (!start.from || !stored)
    return post({ type: 'start-weights', note: start.note, fineTuning: false });
  const source = await buildNetwork(stored.artifacts, stored.info, modelUrlFor(req.templateId));
  try {
    model.setWeights(source.getWeights());
  } finally {
    source.dispose();
  }
  const weightsId = await modelIdOf((await modelArtifacts(model)).weightData);
  post({ type: 'start-weights', note: start.note, fineTuning: true, weightsId });
}

interface Samples {
  labelled: LoadedSample[];
  unlabelled: LoadedSample[];
}

/** Saves the state of a stopped epoch-call to IndexedDB; posts a checkpoint message. */
async function checkpoint(
  req: TrainRequest,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  result: TrainingResult,
  reason: 'epoch' | 'cancel',
  extra: { backend: string; seconds: number; stepsTotal?: number },
  post: Post,
): Promise<void> {
  const t0 = performance.now();
  const state = await exportTrainingState(model, optimizer, result.state, result.bestWeights);
  // Never the auth header (nor the page's roots): resume gets fresh ones.
  const request: Partial<TrainRequest> = { ...req };
  delete request.wadoRoot;
  delete request.headers;
  const summary = {
    stage: result.state.stage,
    epoch: result.state.epoch,
    stepsDone: result.state.stepsDone,
    ...(extra.stepsTotal !== undefined ? { stepsTotal: extra.stepsTotal } : {}),
    preset: req.preset,
    labelled: req.labelled.length,
    unlabelled: req.unlabelled.length,
    savedAt: new Date().toISOString(),
    reason,
  };
  await writeTraining({
    state,
    request: request as StoredTraining['request'],
    summary,
    backend: extra.backend,
    seconds: extra.seconds,
  });
  post({ type: 'checkpoint', summary, ms: performance.now() - t0 });
}

async function trainOn(
  req: TrainRequest,
  data: Samples,
  stored: StoredTraining | undefined,
  backend: BrowserBackend,
  post: Post,
  signal: AbortSignal,
): Promise<void> {
  const dimension = dimensionOf(req);
  const preset = workerPreset(req.preset, dimension);
  const labelled = data.labelled.map((l) => l.sample);
  const unlabelled = data.unlabelled.map((l) => l.sample);
  const { model, config } = createHeatmapModel({
    architecture: dimension === 3 ? 'unet3d' : 'unet2d',
    inputShape: preset.inputShape,
    landmarkCount: req.names.length,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
    seed: req.seed ?? 0,
  });
  const optimizer = createAdam(preset.schedule.learningRate);
  try {
    if (!stored) await startWeights(req, config as ResolvedModelConfig, model, post);
    let loop: LoopState | undefined;
    let best: tf.Tensor[] | undefined;
    if (stored)
      ({ loop, bestWeights: best } = await importTrainingState(model, optimizer, stored.state));
    const method: Method = data.unlabelled.length > 0 ? 'full' : 'supervised';
    let shapeModel: ShapeModel | undefined;
    const t0 = performance.now();
    const priorSeconds = stored?.seconds ?? 0;
    const stepsAtStart = loop?.stepsDone ?? 0;
    let stepsTotal: number | undefined;
    let result: TrainingResult;
    for (;;) {
      // One call per epoch: `epochEnd` stops the loop after the epoch's last step (see file comment).
      const epochEnd = new AbortController();
      const stop = () => epochEnd.abort();
      signal.addEventListener('abort', stop);
      try {
        result = await trainLandmarkModel(
          model,
          optimizer,
          { labelled, unlabelled, validation: labelled },
          {
            method,
            schedule: preset.schedule,
            augmentation: DEFAULT_AUGMENTATION,
            latentOffset: LATENT_OFFSET,
            seed: req.seed ?? 0,
            regulatorFactory: dataErrors(
              shapeRegulatorFactory({
                landmarkNames: req.names,
                onModel: (m) => (shapeModel = m),
                ...regulateOptions(labelled[0]!.spacingMm),
              }),
            ),
            signal: epochEnd.signal,
            onProgress: (progress) => {
              stepsTotal = progress.stepsTotal;
              if (progress.step === progress.steps && !progress.pseudoLabels) epochEnd.abort();
              post({ type: 'progress', progress, elapsedMs: performance.now() - t0, stepsAtStart });
            },
          },
          loop,
          best,
        );
      } finally {
        signal.removeEventListener('abort', stop);
        tf.dispose(best);
        best = undefined;
      }
      if (result.status === 'completed') break;
      const seconds = priorSeconds + (performance.now() - t0) / 1000;
      const reason = signal.aborted ? 'cancel' : 'epoch';
      await checkpoint(
        req,
        model,
        optimizer,
        result,
        reason,
        { backend, seconds, stepsTotal },
        post,
      );
      if (signal.aborted) {
        tf.dispose(result.bestWeights);
        return post({
          type: 'done',
          status: 'cancelled',
          results: [],
          msPerStep: 0,
          pseudoLabelMsPerImage: 0,
        });
      }
      loop = result.state;
      best = result.bestWeights;
    }
    const steps = result.state.stepsDone - stepsAtStart;
    const msPerStep = steps > 0 ? (performance.now() - t0) / steps : 0;
    const info = await saveTrainedModel(model, {
      trainedAt: new Date().toISOString(),
      source: { kind: 'trained' },
      templateId: req.templateId,
      metadata: {
        format: METADATA_FORMAT,
        version: 1,
        landmarkNames: req.names,
        network: config as ResolvedModelConfig,
        method,
        seed: req.seed ?? 0,
        preset: req.preset,
        training: {
          labelled: data.labelled.length,
          unlabelled: data.unlabelled.length,
          validation: data.labelled.length,
          backend,
          seconds: Math.round(priorSeconds + (performance.now() - t0) / 1000),
          history: result.state.history,
          ...(result.state.best ? { best: result.state.best } : {}),
          ...(preset.schedule.heatmapTarget
            ? { heatmapTarget: preset.schedule.heatmapTarget }
            : {}),
        },
      },
      ...(shapeModel ? { shapeModel: serialiseShapeModel(shapeModel) } : {}),
    } satisfies Omit<ModelInfo, 'id'> & { templateId: string });
    await removeTraining();
    post({ type: 'model-saved', model: info });
    post({ type: 'stage', stage: 'pseudo-label' });
    const t1 = performance.now();
    let labelledCount = 0;
    if (data.unlabelled.length > 0) {
      if (!shapeModel)
        throw new Error('pseudo-labelling needs the shape model of the training run');
      for (const [i, loaded] of data.unlabelled.entries()) {
        const result = await pseudoLabelOne(
          model,
          loaded,
          req.unlabelled[i]!,
          shapeModel,
          decodingFor(preset.schedule.heatmapTarget),
        );
        labelledCount += 1;
        post({
          type: 'pseudo-labelled',
          result,
          done: labelledCount,
          total: data.unlabelled.length,
        });
      }
    }
    post({
      type: 'done',
      status: 'completed',
      results: [],
      msPerStep,
      pseudoLabelMsPerImage: labelledCount ? (performance.now() - t1) / labelledCount : 0,
      modelUrl: modelUrlFor(req.templateId),
      model: info,
    });
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
