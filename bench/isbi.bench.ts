/**
 * `npm run bench:isbi -- [options]`: the ISBI 2015 benchmark of the learning half (README "Training and
 * evaluation").
 *
 * Accuracy: train on the first 20 or all 150 training images as labelled (the rest of train unlabelled),
 * each of the five methods with the same backbone and seed, evaluate on Test1 (150 images, 0.1 mm):
 * MRE / SD / SDR at 2, 2.5, 3, 4 mm in one table. With 150 labelled no training image is left unlabelled,
 * so the semi-supervised rows need `--transductive` (Test1 images as UNLABELLED data, their labels never
 * used) and are reported n/a otherwise.
 * Speed: ms per training step (batch of the preset) and per single-image inference for the Node backends
 * (wasm, cpu) and the same network in PyTorch (bench/torch/unet_speed.py, /usr/bin/python3, 1 and 2 threads;
 * ratios against 1 thread, as tfjs wasm runs here).
 *
 * Options: --data <isbi dir> (default ../shared/data/isbi2015) --preset quick|paper --methods a,b
 *   --labelled 20,150 --epochs <scale> --pretrain-epochs <scale> (pre-training only; default --epochs)
 *   --test-limit <n> --speed-only --accuracy-only --backends wasm,cpu
 *   --speed-reps <n> --cpu-reps <n> --transductive --cache <dir> (default .cache/isbi) --out <file.md>
 *   --jobs <n> (default 2: each labelled count in its own process, one wasm thread each)
 *   --heatmap-sigma <cells> (0: integral L1 alone) --coordinate-weight <w> (default: the preset's)
 *   --heldout <n> (the last n training images replace Test1: for choosing settings, never on Test1)
 *   --seeds 1,2,3: the resumable table. Each labelled count × seed is a piece saved under --results
 *   (default bench/results) with its commit and command as soon as it ends; pieces already there are
 *   skipped (--redo runs them again); the table (mean ± SD over seeds) is printed from the files.
 *   --table-only prints it without running anything.
 * Pre-training is shared: the supervised row is the pre-trained network and the four semi-supervised
 * methods continue from copies of its weights and Adam state. Test1 predictions of every row are written
 * to isbi-predictions-<preset>.json beside --out (for the coarse-to-fine refinement columns).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseIdList, parseLandmarkTable } from '../extension/src/core/data/landmarkTable.ts';
import { toOriginalPixels } from '../extension/src/core/data/computeLetterbox.ts';
import type { TrainingSample } from '../extension/src/core/data/types.ts';
import createHeatmapModel from '../extension/src/core/models/createHeatmapModel.ts';
import withHeatmapLogits from '../extension/src/core/models/heatmapLogits.ts';
import { evaluateLandmarks } from '../extension/src/core/metrics/index.ts';
import { DEFAULT_LATENT_OFFSET } from '../extension/src/core/losses/sampleLatentOffsets.ts';
import { DEFAULT_AUGMENTATION, PRESETS } from '../extension/src/core/selfTraining/presets.ts';
import predictCoordinates, {
  decodeHeatmaps,
  decodingFor,
} from '../extension/src/core/selfTraining/predictCoordinates.ts';
import normaliseHeatmaps from '../extension/src/core/heatmap/normaliseHeatmaps.ts';
import shapeRegulatorFactory from '../extension/src/core/selfTraining/shapeRegulatorFactory.ts';
import trainLandmarkModel from '../extension/src/core/selfTraining/trainLandmarkModel.ts';
import {
  METHODS,
  type Method,
  type TrainingProgress,
} from '../extension/src/core/selfTraining/types.ts';
import createAdam from '../extension/src/core/tf/createAdam.ts';
import heatmapConfidence from '../extension/src/core/heatmap/heatmapConfidence.ts';
import loadSamples from '../extension/src/node/loadSamples.ts';
import { saveLandmarkModel } from '../extension/src/node/modelStore.ts';
import { METADATA_FORMAT } from '../extension/src/core/models/landmarkModelMetadata.ts';
import {
  fitShapeModel,
  serialiseShapeModel,
  type ShapeModel,
} from '../extension/src/core/shape/index.ts';
import predictHeatmaps from '../extension/src/core/inference/predictHeatmaps.ts';
import reviewPrediction from '../extension/src/core/inference/reviewPrediction.ts';
import { CEPHALOGRAM_LANDMARKS } from '../extension/src/core/synthetic/landmarks.ts';
import { formatPieceTable, loadPieces, pieceFile, savePiece } from './isbiResults.ts';
import { tfjsUnetSpeed, torchUnetSpeed, type UnetSpeedConfig } from './unetSpeed.ts';
import setupNodeBackend, { type NodeBackend } from '../extension/src/node/nodeBackend.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/isbi2015' },
    preset: { type: 'string', default: 'quick' },
    methods: { type: 'string', default: METHODS.join(',') },
    labelled: { type: 'string', default: '20,150' },
    epochs: { type: 'string' },
    'pretrain-epochs': { type: 'string' },
    'test-limit': { type: 'string' },
    'speed-only': { type: 'boolean', default: false },
    'accuracy-only': { type: 'boolean', default: false },
    backends: { type: 'string', default: 'wasm,cpu' },
    'speed-reps': { type: 'string', default: '5' },
    'cpu-reps': { type: 'string', default: '1' },
    transductive: { type: 'boolean', default: false },
    cache: { type: 'string', default: '.cache/isbi' },
    out: { type: 'string', default: 'artifacts/isbi-bench.md' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '2' },
    'rows-json': { type: 'string' },
    input: { type: 'string' },
    filters: { type: 'string' },
    depth: { type: 'string' },
    lr: { type: 'string' },
    'train-mre': { type: 'boolean', default: false },
    curve: { type: 'string' },
    'latent-offset': { type: 'string' },
    'map-stats': { type: 'boolean', default: false },
    'heatmap-sigma': { type: 'string' },
    'coordinate-weight': { type: 'string' },
    heldout: { type: 'string' },
    'save-model': { type: 'string' },
    seeds: { type: 'string' },
    results: { type: 'string', default: 'bench/results' },
    'table-only': { type: 'boolean', default: false },
    redo: { type: 'boolean', default: false },
  },
});
const named = PRESETS[args.preset as 'quick' | 'paper'];
if (!named) throw new Error(`--preset must be quick or paper, got ${args.preset}`);
/** The preset with the command line's network and learning-rate overrides (accuracy studies). */
const preset = {
  ...named,
  inputShape: args.input ? args.input.split('x').map(Number) : named.inputShape,
  baseFilters: args.filters ? Number(args.filters) : named.baseFilters,
  depth: args.depth ? Number(args.depth) : named.depth,
  schedule: {
    ...named.schedule,
    learningRate: args.lr ? Number(args.lr) : named.schedule.learningRate,
    heatmapTarget: heatmapTargetOption(),
  },
};

/**
 * The fixed-target loss: the preset's unless `--heatmap-sigma s` (cells; 0 = integral L1 alone, the
 * loss before the heatmap loss) or `--coordinate-weight w` is given.
 */
function heatmapTargetOption() {
  const base = named!.schedule.heatmapTarget ?? { sigma: 1, coordinateWeight: 0 };
  const sigma = args['heatmap-sigma'] === undefined ? base.sigma : Number(args['heatmap-sigma']);
  const weight =
    args['coordinate-weight'] === undefined
      ? base.coordinateWeight
      : Number(args['coordinate-weight']);
  if (!(sigma >= 0) || !(weight >= 0))
    throw new Error('--heatmap-sigma and --coordinate-weight must be numbers ≥ 0');
  if (sigma === 0) return undefined;
  return args['heatmap-sigma'] === undefined &&
    args['coordinate-weight'] === undefined &&
    named!.schedule.heatmapTarget === undefined
    ? undefined
    : { sigma, coordinateWeight: weight };
}
if (preset.inputShape.length !== 2 || preset.inputShape.some((v) => !(v > 0) || v % 16 !== 0))
  throw new Error(`--input must be HxW with multiples of 16, got ${args.input}`);
const SPACING_MM = 0.1;
/** Eq. 8's |δ| ~ N(mean, sd²), normalised units: the paper's unless `--latent-offset mean,sd`. */
const latentOffset = args['latent-offset']
  ? (([mean, sd]) => ({ mean: mean!, sd: sd! }))(args['latent-offset'].split(',').map(Number))
  : DEFAULT_LATENT_OFFSET;
if (!(latentOffset.mean >= 0 && latentOffset.sd >= 0))
  throw new Error(
    `--latent-offset must be mean,sd (normalised, ≥ 0), got ${args['latent-offset']}`,
  );
const seed = Number(args.seed);
const lines: string[] = [];
const log = (line = '') => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** The preset U-Net's speed workload (19 landmarks, the preset's batch). */
function speedConfig(reps: number): UnetSpeedConfig {
  return {
    inputShape: preset.inputShape,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
    landmarks: 19,
    batch: preset.schedule.batchSize,
    reps,
    seed,
  };
}

async function tfjsSpeed(backend: NodeBackend, reps: number) {
  await setupNodeBackend(backend, false);
  return tfjsUnetSpeed(speedConfig(reps));
}

const torchSpeed = (reps: number, threads: number) => torchUnetSpeed(speedConfig(reps), threads);

async function speedTable() {
  const reps = Number(args['speed-reps']);
  // The ratios are against PyTorch on one thread, like tfjs wasm here; the 2-thread row shows the
  // machine's best CPU peer.
  const torch = torchSpeed(reps, 1);
  const torch2 = torchSpeed(reps, 2);
  log(
    `### Speed: U-Net depth ${preset.depth}, ${preset.baseFilters} base filters, input ${preset.inputShape.join('×')}, batch ${preset.schedule.batchSize}, 19 landmarks`,
  );
  log();
  log(
    '| implementation | parameters | ms / train step | ms / inference (1 image) | train ratio vs PyTorch | inference ratio vs PyTorch |',
  );
  log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const backend of args.backends!.split(',') as NodeBackend[]) {
    const r = await tfjsSpeed(backend, backend === 'cpu' ? Number(args['cpu-reps']) : reps);
    log(
      `| tfjs ${backend}${backend === 'wasm' ? ' (SIMD, 1 thread)' : ''} | ${r.parameters} | ${r.trainStepMs.toFixed(0)} | ${r.inferenceMs.toFixed(0)} | ${(r.trainStepMs / torch.trainStepMs).toFixed(2)}× | ${(r.inferenceMs / torch.inferenceMs).toFixed(2)}× |`,
    );
  }
  for (const [t, threads] of [
    [torch, 1],
    [torch2, 2],
  ] as const) {
    log(
      `| PyTorch ${t.torch} CPU, ${threads} thread${threads > 1 ? 's' : ''} | ${t.parameters} | ${t.trainStepMs.toFixed(0)} | ${t.inferenceMs.toFixed(0)} | ${(t.trainStepMs / torch.trainStepMs).toFixed(2)}× | ${(t.inferenceMs / torch.inferenceMs).toFixed(2)}× |`,
    );
  }
  log();
}

/** Maps are read as the product reads them: near their maximum when trained with the heatmap loss. */
const decoding = decodingFor(preset.schedule.heatmapTarget);

/**
 * The network's points and the product's (createLandmarkPredictor without a refiner): the same points
 * after the robust review against the labelled shapes' shape model (outliers re-read near the fit of
 * the others), from one prediction per image.
 */
async function predictReviewed(
  model: tf.LayersModel,
  test: TrainingSample[],
  shapeModel: ShapeModel,
): Promise<{ network: number[][][]; reviewed: number[][][] }> {
  const network: number[][][] = [];
  const reviewed: number[][][] = [];
  for (const s of test) {
    const heat = await predictHeatmaps(model, s.image, decoding);
    const coarse = toOriginalPixels(heat.coords, s.letterbox);
    network.push(coarse);
    reviewed.push(
      reviewPrediction(heat, coarse, s.letterbox, [SPACING_MM, SPACING_MM], shapeModel, {
        label: `image ${s.id}`,
      }).landmarksPx,
    );
  }
  return { network, reviewed };
}

async function predictTest(model: tf.LayersModel, test: TrainingSample[]) {
  const predicted = await predictCoordinates(
    model,
    test.map((s) => s.image),
    preset.inputShape,
    4,
    decoding,
  );
  return test.map((s, i) => toOriginalPixels(predicted[i]!, s.letterbox));
}

/**
 * Test1 MRE of the current weights, computed synchronously inside a progress callback (the training
 * loop cannot move on while it runs, so every image sees the same weights). Diagnostic only: it never
 * selects a checkpoint.
 */
function learningCurvePoint(
  model: tf.LayersModel,
  test: TrainingSample[],
  truth: Map<string, number[][]>,
) {
  const network = withHeatmapLogits(model);
  const sizes = tf.tensor1d(preset.inputShape.slice().reverse());
  const predicted = test.map((s) => {
    const xy = tf.tidy(() => {
      const heat = network.model.predict(tf.tensor(s.image, [1, ...preset.inputShape, 1]));
      return decodeHeatmaps(heat as tf.Tensor, network.fromLogits, decoding).mul(sizes);
    });
    const values = (xy.arraySync() as number[][][])[0]!;
    xy.dispose();
    return toOriginalPixels(values, s.letterbox);
  });
  sizes.dispose();
  return evaluate(predicted, test, truth).mreMm;
}

/** What the Test1 heatmaps look like (`--map-stats`): how sharp they are, and where the far misses come from. */
interface MapStats {
  /** Median RMS spread of the normalised map around its integral coordinate, mm. */
  medianSpreadMm: number;
  /** Median share of the map's mass within 2 mm of its integral coordinate. */
  medianConfidence: number;
  /** Median distance from the truth of every map's maximum (its mode), mm. */
  medianMaximumErrorMm: number;
  /** Landmarks whose integral coordinate is > 10 mm from the truth. */
  far: number;
  /** Of those: the map's maximum is also > 10 mm from the truth (the map's own mode is wrong). */
  farWithWrongMode: number;
  /** Median confidence of the far landmarks. */
  farMedianConfidence: number;
}

function mapStats(
  model: tf.LayersModel,
  test: TrainingSample[],
  predictedPx: number[][][],
  truth: Map<string, number[][]>,
): MapStats {
  const [height, width] = preset.inputShape as [number, number];
  const spreads: number[] = [];
  const confidences: number[] = [];
  const farConfidences: number[] = [];
  const modeErrors: number[] = [];
  let farWithWrongMode = 0;
  test.forEach((s, i) => {
    // H/γ from the logits: trained sigmoid maps underflow to 0 far from their peak.
    const heat = tf.tidy(() =>
      normaliseHeatmaps(
        withHeatmapLogits(model).model.predict(
          tf.tensor(s.image, [1, height, width, 1]),
        ) as tf.Tensor,
        {
          fromLogits: withHeatmapLogits(model).fromLogits,
        },
      ).dataSync(),
    );
    const n = heat.length / (height * width);
    const mm = [SPACING_MM / s.letterbox.scaleX, SPACING_MM / s.letterbox.scaleY];
    const maps = heatmapConfidence(heat, [height, width, n], mm);
    const truthPx = truth.get(s.id)!;
    maps.forEach((m, l) => {
      spreads.push(m.spreadMm);
      confidences.push(m.confidence);
      const errorOf = (p: number[]) =>
        Math.hypot(...p.map((v, a) => (v - truthPx[l]![a]!) * SPACING_MM));
      let best = 0;
      for (let c = 1; c < height * width; c++) if (heat[c * n + l]! > heat[best * n + l]!) best = c;
      const [mode] = toOriginalPixels(
        [[(best % width) + 0.5, Math.floor(best / width) + 0.5]],
        s.letterbox,
      );
      const modeErrorMm = errorOf(mode!);
      modeErrors.push(modeErrorMm);
      if (errorOf(predictedPx[i]![l]!) <= 10) return;
      farConfidences.push(m.confidence);
      if (modeErrorMm > 10) farWithWrongMode++;
    });
  });
  return {
    medianSpreadMm: median(spreads),
    medianConfidence: median(confidences),
    medianMaximumErrorMm: median(modeErrors),
    far: farConfidences.length,
    farWithWrongMode,
    farMedianConfidence: farConfidences.length ? median(farConfidences) : Number.NaN,
  };
}

function evaluate(
  predictedPx: number[][][],
  test: TrainingSample[],
  truth: Map<string, number[][]>,
) {
  const cases = test.map((s, i) => ({
    id: `image ${s.id}`,
    predictedPx: predictedPx[i]!,
    truthPx: truth.get(s.id)!,
    spacingMm: [SPACING_MM, SPACING_MM],
  }));
  return evaluateLandmarks(cases).metrics.overall;
}

/** One row of the accuracy table (also written as JSON by a child process). */
interface AccuracyRow {
  labelled: number;
  unlabelled: number;
  method: Method;
  note?: string;
  mreMm?: number;
  sdMm?: number;
  sdr?: number[];
  /** CPU minutes of this method's own stages, and of the shared pre-training. */
  cpuMin?: number;
  sharedPretrainCpuMin?: number;
  epochs?: string;
  skippedSteps?: number;
  mapStats?: MapStats;
  /** The same after the product's robust shape review (predictReviewed). */
  reviewed?: { mreMm?: number; sdMm?: number; sdr: number[] };
  /** Test1 predictions, original pixels, for later refinement. */
  predictions?: Record<string, number[][]>;
}

const cpuMinutes = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 60e6;
};

async function snapshotOptimizer(optimizer: tf.Optimizer) {
  return (await optimizer.getWeights()).map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
}

/**
 * All methods of one labelled count. Pre-training is shared: the `supervised` row is the pre-trained
 * network, and every semi-supervised method continues from a copy of its weights, Adam moments and
 * random stream (the same network and seed, and 4× less pre-training to pay for).
 */
async function accuracyRowsFor(
  k: number,
  methods: Method[],
  trainSamples: TrainingSample[],
  testSamples: TrainingSample[],
  truth: Map<string, number[][]>,
): Promise<AccuracyRow[]> {
  const labelled = trainSamples.slice(0, k);
  let unlabelled = trainSamples.slice(k).map(({ landmarks: _drop, ...s }) => s);
  if (unlabelled.length === 0 && args.transductive)
    unlabelled = testSamples.map(({ landmarks: _drop, ...s }) => s);
  const scale = args.epochs === undefined ? 1 : Number(args.epochs);
  const pretrainScale =
    args['pretrain-epochs'] === undefined ? scale : Number(args['pretrain-epochs']);
  const budget = preset.schedule.stageSteps;
  const schedule = {
    ...preset.schedule,
    ...(budget
      ? {
          stageSteps: {
            pretrain: Math.round(budget.pretrain * pretrainScale),
            selftrain: Math.round(budget.selftrain * scale),
            finetune: Math.round(budget.finetune * scale),
          },
        }
      : {}),
    pretrainEpochs: Math.max(1, Math.round(preset.schedule.pretrainEpochs * pretrainScale)),
    selfTrainEpochs: Math.max(1, Math.round(preset.schedule.selfTrainEpochs * scale)),
    finetuneEpochs: Math.max(1, Math.round(preset.schedule.finetuneEpochs * scale)),
  };
  const curveEvery = args.curve === undefined ? 0 : Number(args.curve);
  const options = (method: Method) => ({
    method,
    schedule,
    augmentation: DEFAULT_AUGMENTATION,
    latentOffset,
    seed,
    regulatorFactory: shapeRegulatorFactory(),
    onProgress: (p: TrainingProgress) => {
      if (p.pseudoLabels)
        process.stderr.write(
          `${k} ${method} pseudo labels: ${p.pseudoLabels.excluded}/${p.pseudoLabels.total} excluded\n`,
        );
      else if (p.step === p.steps) {
        process.stderr.write(
          `${k} ${method} ${p.stage} ${p.epoch + 1}/${p.epochs} loss ${p.loss.toFixed(4)}\n`,
        );
        if (curveEvery > 0 && (p.epoch + 1) % curveEvery === 0)
          process.stderr.write(
            `${k} ${method} curve ${p.stage} epoch ${p.epoch + 1} steps ${p.stepsDone}: Test1 MRE ${learningCurvePoint(model, testSamples, truth)?.toFixed(2)} mm\n`,
          );
      }
    },
  });
  const { model, config } = createHeatmapModel({
    inputShape: preset.inputShape,
    landmarkCount: 19,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
    seed,
  });
  const optimizer = createAdam(schedule.learningRate);
  const rows: AccuracyRow[] = [];
  const labelledShapes = fitShapeModel(
    labelled.map((s) =>
      toOriginalPixels(s.landmarks!, s.letterbox).map((p) => p.map((v) => v * SPACING_MM)),
    ),
    { landmarkNames: [...CEPHALOGRAM_LANDMARKS] },
  );
  const row = async (method: Method, extra: Partial<AccuracyRow>) => {
    const { network: predicted, reviewed } = await predictReviewed(
      model,
      testSamples,
      labelledShapes,
    );
    const o = evaluate(predicted, testSamples, truth);
    const rv = evaluate(reviewed, testSamples, truth);
    const r: AccuracyRow = {
      labelled: k,
      unlabelled: method === 'supervised' ? 0 : unlabelled.length,
      method,
      mreMm: o.mreMm,
      sdMm: o.sdMm,
      sdr: o.sdr.map((d) => d.rate ?? 0),
      predictions: Object.fromEntries(testSamples.map((s, i) => [s.id, predicted[i]!])),
      reviewed: { mreMm: rv.mreMm, sdMm: rv.sdMm, sdr: rv.sdr.map((d) => d.rate ?? 0) },
      ...extra,
    };
    if (args['map-stats']) r.mapStats = mapStats(model, testSamples, predicted, truth);
    rows.push(r);
    process.stderr.write(
      `${k} ${method}: MRE ${o.mreMm?.toFixed(2)} mm, reviewed ${rv.mreMm?.toFixed(2)} mm\n`,
    );
  };
  let cpu = process.cpuUsage();
  const pre = await trainLandmarkModel(
    model,
    optimizer,
    { labelled, unlabelled: [] },
    options('supervised'),
  );
  const pretrainCpuMin = cpuMinutes(cpu);
  if (args['train-mre']) {
    // Error on the labelled images themselves (no augmentation): near the Test1 error means the network
    // underfits (budget/capacity), far below it means it overfits the labelled set.
    const seen = await predictTest(model, labelled);
    const truthPx = labelled.map((s) => toOriginalPixels(s.landmarks!, s.letterbox));
    const o = evaluate(seen, labelled, new Map(labelled.map((s, i) => [s.id, truthPx[i]!])));
    process.stderr.write(`${k} supervised: MRE on the labelled images ${o.mreMm?.toFixed(2)} mm\n`);
  }
  if (args['save-model']) {
    // The pre-trained network as a model folder (with the labelled shapes' shape model), for
    // bench:triage and `landmarks predict` on held-out images.
    const dir = path.join(args['save-model'], `pretrained-${k}`);
    await saveLandmarkModel(
      dir,
      model,
      {
        format: METADATA_FORMAT,
        version: 1,
        landmarkNames: [...CEPHALOGRAM_LANDMARKS],
        network: config,
        method: 'supervised',
        seed,
        preset: args.preset as 'quick' | 'paper',
        training: {
          labelled: k,
          unlabelled: 0,
          validation: 0,
          backend: 'wasm',
          seconds: Math.round(pretrainCpuMin * 60),
          history: pre.state.history,
          spacingMm: [SPACING_MM, SPACING_MM],
          ...(schedule.heatmapTarget ? { heatmapTarget: schedule.heatmapTarget } : {}),
        },
      },
      serialiseShapeModel(labelledShapes),
    );
    process.stderr.write(`${k}: pre-trained model saved in ${dir}\n`);
  }
  const pretrainWeights = model.getWeights().map((w) => w.clone());
  const pretrainOptimizer = await snapshotOptimizer(optimizer);
  const epochsText = (st: typeof pre.state) => {
    const per = new Map<string, number>();
    st.history.forEach((h) => per.set(h.stage, (per.get(h.stage) ?? 0) + 1));
    return ['pretrain', 'selftrain', 'finetune'].map((s) => per.get(s) ?? 0).join('/');
  };
  if (methods.includes('supervised'))
    await row('supervised', {
      cpuMin: pretrainCpuMin,
      epochs: epochsText(pre.state),
      skippedSteps: pre.state.skippedSteps ?? 0,
    });
  for (const method of methods.filter((m) => m !== 'supervised')) {
    if (unlabelled.length === 0) {
      rows.push({
        labelled: k,
        unlabelled: 0,
        method,
        note: 'n/a (no unlabelled images; see --transductive)',
      });
      continue;
    }
    model.setWeights(pretrainWeights);
    await optimizer.setWeights(
      pretrainOptimizer.map((w) => ({ name: w.name, tensor: w.tensor.clone() })),
    );
    cpu = process.cpuUsage();
    const resume = { ...structuredClone(pre.state), stage: 'selftrain' as const, epoch: 0 };
    const result = await trainLandmarkModel(
      model,
      optimizer,
      { labelled, unlabelled },
      options(method),
      resume,
    );
    await row(method, {
      cpuMin: cpuMinutes(cpu),
      sharedPretrainCpuMin: pretrainCpuMin,
      epochs: epochsText(result.state),
      skippedSteps: result.state.skippedSteps ?? 0,
    });
  }
  model.dispose();
  optimizer.dispose();
  return rows;
}

async function loadIsbi() {
  const dir = args.data!;
  if (!existsSync(dir)) throw new Error(`ISBI data not found at ${dir} (use --data)`);
  const table = parseLandmarkTable(readFileSync(path.join(dir, 'landmarks_mean.csv'), 'utf8'), {
    source: 'landmarks_mean.csv',
  });
  let train = parseIdList(readFileSync(path.join(dir, 'train.txt'), 'utf8'));
  let test = parseIdList(readFileSync(path.join(dir, 'test1.txt'), 'utf8'));
  // `--heldout n`: the last n training images replace Test1, for choosing settings without Test1.
  if (args.heldout) {
    const n = Number(args.heldout);
    if (!(n > 0 && n < train.length)) throw new Error(`--heldout must be 1–${train.length - 1}`);
    test = train.slice(-n);
    train = train.slice(0, -n);
  }
  if (args['test-limit']) test = test.slice(0, Number(args['test-limit']));
  const load = (ids: string[]) => {
    process.stderr.write(`loading ${ids.length} images…\n`);
    return loadSamples({
      imagesDir: path.join(dir, 'images'),
      ids,
      inputShape: preset.inputShape,
      spacingMm: [SPACING_MM, SPACING_MM],
      landmarks: table.rows,
      cacheDir: args.cache,
    });
  };
  const trainSamples = await load(train);
  const testSamples = await load(test);
  const truth = new Map(testSamples.map((s) => [s.id, table.rows.get(s.id)!]));
  return { trainSamples, testSamples, truth };
}

/** Settings that change the accuracy: pieces are averaged only with pieces of the same key. */
function resultKey(): string {
  const parts = [
    args.preset!,
    ...(
      ['epochs', 'pretrain-epochs', 'heatmap-sigma', 'coordinate-weight', 'latent-offset'] as const
    )
      .filter((o) => args[o] !== undefined)
      .map((o) => `${o}${args[o]}`),
    ...(['input', 'filters', 'depth', 'lr', 'test-limit', 'heldout'] as const)
      .filter((o) => args[o] !== undefined)
      .map((o) => `${o}${args[o]}`),
    ...(args.transductive ? ['transductive'] : []),
  ];
  return parts.join('-').replace(/[^A-Za-z0-9.,-]/g, '_');
}

/** One labelled count × one seed in its own process (one wasm thread). */
function runPiece(k: number, pieceSeed: number): Promise<AccuracyRow[]> {
  const dir = path.join(args.cache!, 'rows');
  mkdirSync(dir, { recursive: true });
  const passOn = [
    ...['data', 'preset', 'methods', 'epochs', 'pretrain-epochs', 'test-limit', 'cache'],
    ...['input', 'filters', 'depth', 'lr', 'curve', 'latent-offset'],
    ...['heatmap-sigma', 'coordinate-weight', 'heldout', 'save-model'],
  ] as const;
  const common = passOn.flatMap((o) => (args[o] === undefined ? [] : [`--${o}`, String(args[o])]));
  if (args.transductive) common.push('--transductive');
  if (args['train-mre']) common.push('--train-mre');
  if (args['map-stats']) common.push('--map-stats');
  const rowsFile = path.join(dir, `rows-${resultKey()}-${k}-seed${pieceSeed}.json`);
  return new Promise<AccuracyRow[]>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1]!,
        ...common,
        ...['--accuracy-only', '--jobs', '1', '--labelled', String(k)],
        ...['--seed', String(pieceSeed), '--rows-json', rowsFile],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(readFileSync(rowsFile, 'utf8')) as AccuracyRow[])
        : reject(new Error(`labelled ${k}, seed ${pieceSeed}: child exited with ${code}`)),
    );
  });
}

/**
 * Runs the missing pieces (labelled count × seed), at most --jobs at a time, saving each under
 * --results as soon as it ends; pieces already there are kept (use --redo to run them again).
 */
async function runPieces(counts: number[], seeds: number[]): Promise<void> {
  const key = resultKey();
  const todo = counts
    .flatMap((k) => seeds.map((sd) => ({ k, sd })))
    .filter(({ k, sd }) => args.redo || !existsSync(pieceFile(args.results!, key, k, sd)));
  process.stderr.write(`${todo.length} piece(s) to run for ${key}\n`);
  const workers = Array.from({ length: Math.max(1, Number(args.jobs)) }, async () => {
    for (let next = todo.shift(); next; next = todo.shift()) {
      const rows = await runPiece(next.k, next.sd);
      const file = savePiece(args.results!, key, next.k, next.sd, rows);
      process.stderr.write(`saved ${file}\n`);
    }
  });
  await Promise.all(workers);
}

function logAccuracy(rows: AccuracyRow[], testCount: number, wallMin: number) {
  const pct = (v: number | undefined) => (v === undefined ? '' : `${(100 * v).toFixed(1)} %`);
  log(
    `### Accuracy on ISBI 2015 ${args.heldout ? `held-out training images (last ${args.heldout})` : 'Test1'} (${testCount} images), fixed-target loss ${preset.schedule.heatmapTarget ? `heatmap σ ${preset.schedule.heatmapTarget.sigma} cells + ${preset.schedule.heatmapTarget.coordinateWeight} × integral L1` : 'integral L1'}, preset ${args.preset}, seed ${seed}, latent offsets |δ| ~ N(${latentOffset.mean}, ${latentOffset.sd}²)${args.transductive ? ', transductive: Test1 images (never their labels) are the unlabelled set when no training image is left' : ''}`,
  );
  log();
  log(
    '| labelled | unlabelled | method | epochs pre/self/fine | MRE (mm) | SD (mm) | SDR 2 mm | SDR 2.5 mm | SDR 3 mm | SDR 4 mm | CPU min (own + shared pre-training) |',
  );
  log('| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    if (r.note) {
      log(`| ${r.labelled} | ${r.unlabelled} | ${r.method} | ${r.note} | | | | | | | |`);
      continue;
    }
    const cpu =
      r.sharedPretrainCpuMin === undefined
        ? r.cpuMin!.toFixed(1)
        : `${r.cpuMin!.toFixed(1)} + ${r.sharedPretrainCpuMin.toFixed(1)}`;
    log(
      `| ${r.labelled} | ${r.unlabelled} | ${r.method} | ${r.epochs} | ${r.mreMm!.toFixed(2)} | ${r.sdMm!.toFixed(2)} | ${pct(r.sdr![0])} | ${pct(r.sdr![1])} | ${pct(r.sdr![2])} | ${pct(r.sdr![3])} | ${cpu} |`,
    );
  }
  if (rows.some((r) => r.mapStats)) {
    log();
    log(
      '| labelled | method | median map spread (mm) | median mass within 2 mm | median error of the map maximum (mm) | landmarks > 10 mm off | of those, map maximum also > 10 mm off | their median mass within 2 mm |',
    );
    log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows.filter((x) => x.mapStats)) {
      const m = r.mapStats!;
      log(
        `| ${r.labelled} | ${r.method} | ${m.medianSpreadMm.toFixed(2)} | ${pct(m.medianConfidence)} | ${m.medianMaximumErrorMm.toFixed(2)} | ${m.far} | ${m.farWithWrongMode} | ${m.far ? pct(m.farMedianConfidence) : '–'} |`,
      );
    }
  }
  const skipped = rows.reduce((t, r) => t + (r.skippedSteps ?? 0), 0);
  log();
  log(
    `Wall time of the accuracy runs: ${wallMin.toFixed(1)} min; steps skipped for non-finite gradients: ${skipped}.`,
  );
  log();
}

async function accuracyTable() {
  await setupNodeBackend('wasm');
  const methods = args.methods!.split(',') as Method[];
  const counts = args.labelled!.split(',').map(Number);
  if (args.seeds || args['table-only']) {
    // The resumable multi-seed table: pieces in --results, the table printed from them.
    const seeds = (args.seeds ?? args.seed!).split(',').map(Number);
    if (!args['table-only']) await runPieces(counts, seeds);
    const pieces = loadPieces(args.results!, resultKey()).filter((p) =>
      counts.includes(p.labelled),
    );
    log(
      `### ISBI 2015 ${args.heldout ? `held-out training images (last ${args.heldout})` : 'Test1'}, ${resultKey()}: mean ± SD over seeds (${pieces.length} pieces in ${args.results})`,
    );
    log();
    formatPieceTable(pieces, methods).forEach((l) => log(l));
    log();
    return;
  }
  const started = Date.now();
  const { trainSamples, testSamples, truth } = await loadIsbi();
  let rows: AccuracyRow[];
  if (Number(args.jobs) > 1 && counts.length > 1)
    rows = (await Promise.all(counts.map((k) => runPiece(k, seed)))).flat();
  else {
    rows = [];
    for (const k of counts)
      rows.push(...(await accuracyRowsFor(k, methods, trainSamples, testSamples, truth)));
  }
  if (args['rows-json']) {
    writeFileSync(args['rows-json'], JSON.stringify(rows));
    return;
  }
  writeFileSync(
    path.join(path.dirname(args.out!), `isbi-predictions-${args.preset}.json`),
    JSON.stringify(rows),
  );
  logAccuracy(rows, testSamples.length, (Date.now() - started) / 60000);
}

mkdirSync(path.dirname(args.out!), { recursive: true });
if (!args['accuracy-only'] && !args['table-only']) await speedTable();
if (!args['speed-only']) await accuracyTable();
if (args['rows-json']) process.exit(0);
writeFileSync(args.out!, `${lines.join('\n')}\n`);
process.stderr.write(`tables written to ${args.out}\n`);
