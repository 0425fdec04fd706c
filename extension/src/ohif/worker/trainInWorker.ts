/**
 * The browser side of training: inside the Web Worker, pick a backend (webgpu → webgl → wasm → cpu),
 * fetch and letterbox the images, run the three-stage shape-regulated self-training of the core, save
 * the network to IndexedDB, then pseudo-label the unannotated images and regulate each predicted shape
 * with the shape model (paper Eqs. 4–7) so the panel can store them as SR.
 */
import * as tf from '@tensorflow/tfjs';
// Imported here (not only lazily) so its flags exist before the backend is chosen.
import '@tensorflow/tfjs-backend-wasm';
import { toOriginalPixels } from '../../core/data/computeLetterbox.ts';
import prepareSample from '../../core/data/prepareSample.ts';
import type { TrainingSample } from '../../core/data/types.ts';
import createHeatmapModel from '../../core/models/createHeatmapModel.ts';
import predictCoordinates from '../../core/selfTraining/predictCoordinates.ts';
import { DEFAULT_AUGMENTATION, PRESETS } from '../../core/selfTraining/presets.ts';
import shapeRegulatorFactory from '../../core/selfTraining/shapeRegulatorFactory.ts';
import trainLandmarkModel from '../../core/selfTraining/trainLandmarkModel.ts';
import type { Method, Schedule } from '../../core/selfTraining/types.ts';
import { MIN_TRAINING_SHAPES, regulateShape, type ShapeModel } from '../../core/shape/index.ts';
import createAdam from '../../core/tf/createAdam.ts';
import selectBrowserBackend, {
  BROWSER_BACKEND_ORDER,
  type BrowserBackend,
} from '../../core/tf/selectBrowserBackend.ts';
import loadRenderedImage from './loadRenderedImage.ts';
import type {
  BenchRequest,
  ImageItem,
  PseudoLabelResult,
  TrainRequest,
  WorkerMessage,
} from './protocol.ts';

type Post = (message: WorkerMessage) => void;

/** Network size and schedule of a preset. `tiny`: seconds on a CPU, for tests and demos. */
export const WORKER_PRESETS: Record<
  TrainRequest['preset'],
  { schedule: Schedule; inputShape: number[]; baseFilters: number; depth: number }
> = {
  tiny: {
    schedule: {
      pretrainEpochs: 4,
      selfTrainEpochs: 2,
      finetuneEpochs: 1,
      batchSize: 2,
      learningRate: 1e-3,
      pseudoLabelInterval: 1,
      validateEvery: 2,
    },
    inputShape: [64, 48],
    baseFilters: 4,
    depth: 3,
  },
  quick: PRESETS.quick,
};

/** Paper §3.3.2: latent offsets |δ| ~ N(0.01, 0.005²) in normalised units. */
const LATENT_OFFSET = { mean: 0.01, sd: 0.005 };

/** Where the tfjs wasm binaries are served: beside this worker bundle. */
const wasmPaths = () => new URL('./', self.location.href).href;

/** First backend of `order` that initialises AND computes; posts which one, with a note on fallback. */
async function startBackend(
  order: BrowserBackend[] | undefined,
  preset: TrainRequest['preset'],
  post: Post,
  failures: string[] = [],
): Promise<string> {
  // Multi-threaded wasm runs its pthreads from blob workers whose inline source does not survive
  // bundling (ReferenceError: _scriptDir); tfjs chose 1 thread on 2 cores anyway (shared notes).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  for (const name of order ?? BROWSER_BACKEND_ORDER) {
    try {
      const backend = await selectBrowserBackend([name], { wasmPaths: wasmPaths() });
      // "Ready" is not enough: WebGPU on SwiftShader inside a worker initialises, then fails in
      // createBuffer during training. One real step of the network proves the backend.
      await timeSteps(preset, 1);
      const note = failures.length ? `${failures.join('; ')}: training on ${backend}` : undefined;
      post({ type: 'backend', backend, ...(note ? { note } : {}) });
      return backend;
    } catch (err) {
      failures.push(`${name} unavailable (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  throw new Error(`no TensorFlow.js backend can train here: ${failures.join('; ')}`);
}

async function loadSamples(
  req: TrainRequest,
  items: ImageItem[],
  inputShape: number[],
  progress: () => void,
): Promise<TrainingSample[]> {
  const out: TrainingSample[] = [];
  for (const item of items) {
    const image = await loadRenderedImage(req.wadoRoot, req.headers, item);
    out.push(prepareSample(item.sopUid, image, inputShape, item.spacingMm, item.landmarks));
    progress();
  }
  return out;
}

/**
 * Trains, saves the model, pseudo-labels the unannotated images; posts progress on the way. When a
 * backend fails part-way (WebGPU on SwiftShader inside a worker fails in createBuffer after some
 * steps), the run restarts on the next backend of the order, with a visible note.
 */
export async function train(req: TrainRequest, post: Post, signal: AbortSignal): Promise<void> {
  if (req.labelled.length < MIN_TRAINING_SHAPES) {
    throw new Error(
      `training needs at least ${MIN_TRAINING_SHAPES} annotated studies (found ${req.labelled.length})`,
    );
  }
  const preset = WORKER_PRESETS[req.preset];
  const total = req.labelled.length + req.unlabelled.length;
  let done = 0;
  const tick = () => post({ type: 'loading', done: ++done, total });
  const labelled = await loadSamples(req, req.labelled, preset.inputShape, tick);
  const unlabelled = await loadSamples(req, req.unlabelled, preset.inputShape, tick);
  const order = [...(req.backends ?? BROWSER_BACKEND_ORDER)];
  const failures: string[] = [];
  while (order.length > 0) {
    const backend = await startBackend(order, req.preset, post, failures);
    try {
      return await trainOn(req, labelled, unlabelled, post, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      failures.push(`${backend} failed (${err instanceof Error ? err.message : String(err)})`);
      order.splice(0, order.indexOf(backend as BrowserBackend) + 1);
      if (order.length === 0) throw new Error(failures.join('; '));
    }
  }
}

async function trainOn(
  req: TrainRequest,
  labelled: TrainingSample[],
  unlabelled: TrainingSample[],
  post: Post,
  signal: AbortSignal,
): Promise<void> {
  const preset = WORKER_PRESETS[req.preset];
  const { model } = createHeatmapModel({
    architecture: 'unet2d',
    inputShape: preset.inputShape,
    landmarkCount: req.names.length,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
    seed: req.seed ?? 0,
  });
  const optimizer = createAdam(preset.schedule.learningRate);
  let shapeModel: ShapeModel | undefined;
  const method: Method = unlabelled.length > 0 ? 'full' : 'supervised';
  const t0 = performance.now();
  let steps = 0;
  const result = await trainLandmarkModel(
    model,
    optimizer,
    { labelled, unlabelled, validation: labelled },
    {
      method,
      schedule: preset.schedule,
      augmentation: DEFAULT_AUGMENTATION,
      latentOffset: LATENT_OFFSET,
      seed: req.seed ?? 0,
      regulatorFactory: shapeRegulatorFactory({
        landmarkNames: req.names,
        onModel: (m) => (shapeModel = m),
      }),
      signal,
      onProgress: (progress) => {
        steps = progress.stepsDone;
        post({ type: 'progress', progress, elapsedMs: performance.now() - t0 });
      },
    },
  );
  const msPerStep = steps > 0 ? (performance.now() - t0) / steps : Number.NaN;
  let modelUrl: string | undefined;
  if (result.status === 'completed') {
    modelUrl = 'indexeddb://ohif-landmarks-model';
    await model.save(modelUrl);
  }
  post({ type: 'stage', stage: 'pseudo-label' });
  const t1 = performance.now();
  const results =
    result.status === 'completed' && unlabelled.length > 0
      ? await pseudoLabel(model, preset.inputShape, unlabelled, req.unlabelled, shapeModel)
      : [];
  const pseudoLabelMsPerImage = results.length ? (performance.now() - t1) / results.length : 0;
  model.dispose();
  optimizer.dispose();
  post({
    type: 'done',
    status: result.status,
    results,
    msPerStep: Number.isFinite(msPerStep) ? msPerStep : 0,
    pseudoLabelMsPerImage,
    ...(modelUrl ? { modelUrl } : {}),
  });
}

/** Predicts, maps back to original pixels, regulates in mm with the fitted shape model. */
async function pseudoLabel(
  model: tf.LayersModel,
  inputShape: number[],
  samples: TrainingSample[],
  items: ImageItem[],
  shapeModel: ShapeModel | undefined,
): Promise<PseudoLabelResult[]> {
  if (!shapeModel) throw new Error('pseudo-labelling needs the shape model of the training run');
  const predictedInput = await predictCoordinates(
    model,
    samples.map((s) => s.image),
    inputShape,
  );
  return samples.map((s, i) => {
    const item = items[i];
    const predicted = toOriginalPixels(predictedInput[i], s.letterbox);
    const [sx, sy] = item.spacingMm;
    const r = regulateShape(
      shapeModel,
      predicted.map(([x, y]) => [x * sx, y * sy]),
    );
    return {
      item,
      predicted,
      adjusted: r.beta.map(([x, y]) => [x / sx, y / sy]),
      abnormal: r.abnormal,
      deviationMm: r.deviationMm,
      mahalanobis: r.mahalanobis,
    };
  });
}

/** Times `steps` training steps of a preset's network on random data (ms per step). */
async function timeSteps(presetName: TrainRequest['preset'], steps: number): Promise<number[]> {
  const preset = WORKER_PRESETS[presetName];
  const [h, w] = preset.inputShape;
  const n = 19;
  const sample = (k: number): TrainingSample => ({
    id: `bench-${k}`,
    image: Float32Array.from({ length: h * w }, (_, i) => ((i * 7919 + k) % 255) / 255),
    landmarks: Array.from({ length: n }, (_, j) => [
      4 + ((j * 5) % (w - 8)),
      4 + ((j * 3) % (h - 8)),
    ]),
    spacingMm: [1, 1],
    letterbox: { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, inputWidth: w, inputHeight: h },
  });
  const { model } = createHeatmapModel({
    architecture: 'unet2d',
    inputShape: preset.inputShape,
    landmarkCount: n,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
  });
  const optimizer = createAdam(1e-3);
  const times: number[] = [];
  let last = performance.now();
  try {
    await trainLandmarkModel(
      model,
      optimizer,
      { labelled: [sample(0), sample(1)], unlabelled: [] },
      {
        method: 'supervised',
        schedule: { ...preset.schedule, pretrainEpochs: steps, validateEvery: 1000 },
        augmentation: DEFAULT_AUGMENTATION,
        latentOffset: LATENT_OFFSET,
        seed: 1,
        onProgress: () => {
          const now = performance.now();
          times.push(now - last);
          last = now;
        },
      },
    );
  } finally {
    model.dispose();
    optimizer.dispose();
  }
  return times;
}

/** Times training steps of the tiny network on one backend. */
export async function bench(req: BenchRequest, post: Post): Promise<void> {
  const backend = await startBackend([req.backend], 'tiny', post);
  if (backend !== req.backend) throw new Error(`backend ${req.backend} is not available here`);
  post({ type: 'bench', backend: req.backend, msPerStep: await timeSteps('tiny', req.steps) });
}
