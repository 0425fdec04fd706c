/**
 * Backend choice inside the worker (webgpu → webgl → wasm → cpu; a backend must read results back
 * correctly, run one real training step, and compute a fixed batch's loss and gradient norm as the cpu
 * backend does) and the per-backend step timing of the panel's "Time backends" button.
 */
import * as tf from '@tensorflow/tfjs';
// Imported here (not only lazily) so its flags exist before the backend is chosen.
import '@tensorflow/tfjs-backend-wasm';
import type { LearningSample } from '../../core/data/types.ts';
import createHeatmapModel from '../../core/models/createHeatmapModel.ts';
import {
  DEFAULT_AUGMENTATION,
  HEATMAP_TARGET,
  PRESETS,
  VOLUME_PRESETS,
} from '../../core/selfTraining/presets.ts';
import trainLandmarkModel from '../../core/selfTraining/trainLandmarkModel.ts';
import type { Schedule } from '../../core/selfTraining/types.ts';
import createAdam from '../../core/tf/createAdam.ts';
import {
  BROWSER_BACKEND_ORDER,
  startBrowserBackend,
  type BrowserBackend,
} from '../../core/tf/selectBrowserBackend.ts';
import type { BenchRequest, TrainRequest, WorkerMessage } from './protocol.ts';
import verifyTrainingBackend, { type BackendCheck } from './verifyTrainingBackend.ts';
import {
  prepareWasmThreads,
  THREADED_SCRIPT,
  wasmThreadsCount,
  wasmThreadsFor,
} from './wasmThreads.ts';

/** Posts one message of the current job (the job's id is added by the caller's closure). */
export type Post = (message: DistributiveOmit<WorkerMessage, 'id'>) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface WorkerPreset {
  schedule: Schedule;
  inputShape: number[];
  baseFilters: number;
  depth: number;
}

/** Network size and schedule of a preset. `tiny`: seconds on a CPU, for tests and demos. */
export const WORKER_PRESETS: Record<TrainRequest['preset'], WorkerPreset> = {
  tiny: {
    schedule: {
      pretrainEpochs: 4,
      selfTrainEpochs: 2,
      finetuneEpochs: 1,
      batchSize: 2,
      learningRate: 1e-3,
      pseudoLabelInterval: 1,
      validateEvery: 2,
      heatmapTarget: HEATMAP_TARGET,
    },
    inputShape: [64, 48],
    baseFilters: 4,
    depth: 3,
  },
  quick: PRESETS.quick,
};

/**
 * The preset of a run: 2D images use {@link WORKER_PRESETS}, volumes the core's 3D U-Net presets
 * (VOLUME_PRESETS: `tiny` = 16³ input, 4 filters, seconds per epoch on wasm; `quick` = 32³, 8 filters).
 */
export function workerPreset(name: TrainRequest['preset'], dimension: 2 | 3 = 2): WorkerPreset {
  return dimension === 3 ? VOLUME_PRESETS[name] : WORKER_PRESETS[name];
}

/** Paper §3.3.2: latent offsets |δ| ~ N(0.01, 0.005²) in normalised units. */
export const LATENT_OFFSET = { mean: 0.01, sd: 0.005 };

/** Where the tfjs wasm binaries are served: beside this worker bundle. */
const wasmPaths = () => new URL('./', self.location.href).href;

/**
 * Threads asked for in the worker's URL (`worker.js?wasmThreads=1`, from app-config
 * `landmarks.wasmThreads`; see workerClient.ts), or undefined for the default.
 */
function requestedThreads(): number | undefined {
  const value = new URL(self.location.href).searchParams.get('wasmThreads');
  return value === null ? undefined : Number(value);
}

/** Starts wasm with as many threads as this page may run (wasmThreads.ts), or one. */
async function startWasm(): Promise<void> {
  const threads = wasmThreadsFor(self, requestedThreads());
  if (threads < 2) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return startBrowserBackend('wasm', { wasmPaths: wasmPaths() });
  }
  const restore = await prepareWasmThreads(threads, new URL(THREADED_SCRIPT, wasmPaths()).href);
  try {
    await startBrowserBackend('wasm', { wasmPaths: wasmPaths() });
  } finally {
    restore();
  }
}

/** The backend this worker proved last (inference jobs reuse it). */
let proven: BrowserBackend | undefined;

/** First backend of `order` that initialises AND computes; posts which one, with a note on fallback. */
export async function startBackend(
  order: readonly BrowserBackend[] | undefined,
  preset: TrainRequest['preset'],
  post: Post,
  failures: string[] = [],
  dimension: 2 | 3 = 2,
): Promise<BrowserBackend> {
  for (const name of order ?? BROWSER_BACKEND_ORDER) {
    try {
      // Includes the synchronous read-back check: without it, WebGPU where Chromium cannot draw a
      // WebGPU canvas into a 2D canvas (SwiftShader adapter, Skia on GL) reads every letterboxed
      // image as zeros (sample preparation still uses dataSync; training steps read with await
      // data()) and then loses its device.
      await (name === 'wasm' ? startWasm() : startBrowserBackend(name, { wasmPaths: wasmPaths() }));
      const backend: BrowserBackend = name;
      // "Ready" is not enough: one real step of the network proves that it runs, the fixed batch
      // (verifyTrainingBackend) that it computes the same loss and gradient as cpu.
      await timeSteps(preset, 1, dimension);
      if (backend !== 'cpu') logCheck(await verifyTrainingBackend(dimension));
      const note = failures.length ? `${failures.join('; ')}: running on ${backend}` : undefined;
      post({ type: 'backend', backend, ...(note ? { note } : {}) });
      proven = backend;
      return backend;
    } catch (err) {
      failures.push(`${name} unavailable (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  throw new Error(`no TensorFlow.js backend can run here: ${failures.join('; ')}`);
}

/** One console line per proven backend: what it computed against cpu (for users and the e2e tests). */
function logCheck(c: BackendCheck): void {
  const f = (v: number) => v.toPrecision(7);
  const e = (v: number) => v.toExponential(1);
  console.info(
    `landmarks: ${c.backend} ${c.dimension}D training check: loss ${f(c.loss)} (cpu ${f(c.cpu.loss)}, ` +
      `relative difference ${e(c.relativeDifference.loss)}), gradient norm ${f(c.gradientNorm)} ` +
      `(cpu ${f(c.cpu.gradientNorm)}, ${e(c.relativeDifference.gradientNorm)})`,
  );
}

/**
 * Backend for inference (pseudo-label, heatmap): the one already proven when it is among `order`,
 * otherwise the first of `order` that works.
 */
export async function inferenceBackend(
  order: readonly BrowserBackend[] | undefined,
  post: Post,
): Promise<BrowserBackend> {
  if (proven && (order === undefined || order.includes(proven))) {
    if (tf.getBackend() !== proven) await tf.setBackend(proven);
    return proven;
  }
  return startBackend(order, 'tiny', post);
}

/** A deterministic pseudo-random sample of the input size with n landmarks inside it (input units). */
function benchSample(inputShape: readonly number[], n: number, k: number): LearningSample {
  const sizes = [...inputShape].reverse(); // x, y[, z]
  const cells = inputShape.reduce((p, v) => p * v, 1);
  return {
    id: `bench-${k}`,
    image: Float32Array.from({ length: cells }, (_, i) => ((i * 7919 + k) % 255) / 255),
    landmarks: Array.from({ length: n }, (_, j) =>
      sizes.map((s, a) => 2 + ((j * (5 - 2 * a)) % Math.max(1, s - 4))),
    ),
    spacingMm: sizes.map(() => 1),
  };
}

/** Times `steps` training steps of a preset's network on random data (ms per step). */
export async function timeSteps(
  presetName: TrainRequest['preset'],
  steps: number,
  dimension: 2 | 3 = 2,
): Promise<number[]> {
  const preset = workerPreset(presetName, dimension);
  const n = dimension === 3 ? 8 : 19;
  const sample = (k: number) => benchSample(preset.inputShape, n, k);
  const { model } = createHeatmapModel({
    architecture: dimension === 3 ? 'unet3d' : 'unet2d',
    inputShape: preset.inputShape,
    landmarkCount: n,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
  });
  const optimizer = createAdam(1e-3);
  // Exactly `steps` steps: drop a step budget (stageSteps) the preset may carry.
  const schedule: Schedule & { stageSteps?: unknown } = { ...preset.schedule };
  delete schedule.stageSteps;
  const times: number[] = [];
  let last = performance.now();
  try {
    await trainLandmarkModel(
      model,
      optimizer,
      { labelled: [sample(0), sample(1)], unlabelled: [] },
      {
        method: 'supervised',
        schedule: { ...schedule, pretrainEpochs: steps, validateEvery: 1000 },
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

/** Times training steps of the tiny network (2D, or the 3D one) on one backend. */
export async function bench(req: BenchRequest, post: Post): Promise<void> {
  const dimension = req.dimension ?? 2;
  const backend = await startBackend([req.backend], 'tiny', post, [], dimension);
  if (backend !== req.backend) throw new Error(`backend ${req.backend} is not available here`);
  post({
    type: 'bench',
    backend: req.backend,
    threads: backend === 'wasm' ? await wasmThreadsCount() : 1,
    msPerStep: await timeSteps(req.preset ?? 'tiny', req.steps, dimension),
  });
}
