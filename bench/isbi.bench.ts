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
 * (wasm, cpu) and the same network in PyTorch (bench/torch/unet_speed.py, /usr/bin/python3, 2 threads).
 *
 * Options: --data <isbi dir> (default ../shared/data/isbi2015) --preset quick|paper --methods a,b
 *   --labelled 20,150 --epochs <scale> --test-limit <n> --speed-only --accuracy-only --backends wasm,cpu
 *   --speed-reps <n> --cpu-reps <n> --transductive --cache <dir> (default .cache/isbi) --out <file.md>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseIdList, parseLandmarkTable } from '../extension/src/core/data/landmarkTable.ts';
import { toOriginalPixels } from '../extension/src/core/data/computeLetterbox.ts';
import type { TrainingSample } from '../extension/src/core/data/types.ts';
import createHeatmapModel from '../extension/src/core/models/createHeatmapModel.ts';
import integralCoordinates from '../extension/src/core/heatmap/integralCoordinates.ts';
import { evaluateLandmarks } from '../extension/src/core/metrics/index.ts';
import { DEFAULT_LATENT_OFFSET } from '../extension/src/core/losses/sampleLatentOffsets.ts';
import { DEFAULT_AUGMENTATION, PRESETS } from '../extension/src/core/selfTraining/presets.ts';
import predictCoordinates from '../extension/src/core/selfTraining/predictCoordinates.ts';
import shapeRegulatorFactory from '../extension/src/core/selfTraining/shapeRegulatorFactory.ts';
import trainLandmarkModel from '../extension/src/core/selfTraining/trainLandmarkModel.ts';
import { METHODS, type Method } from '../extension/src/core/selfTraining/types.ts';
import createAdam from '../extension/src/core/tf/createAdam.ts';
import loadSamples from '../extension/src/node/loadSamples.ts';
import setupNodeBackend, { type NodeBackend } from '../extension/src/node/nodeBackend.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/isbi2015' },
    preset: { type: 'string', default: 'quick' },
    methods: { type: 'string', default: METHODS.join(',') },
    labelled: { type: 'string', default: '20,150' },
    epochs: { type: 'string' },
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
  },
});
const preset = PRESETS[args.preset as 'quick' | 'paper'];
if (!preset) throw new Error(`--preset must be quick or paper, got ${args.preset}`);
const SPACING_MM = 0.1;
const seed = Number(args.seed);
const lines: string[] = [];
const log = (line = '') => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** Times training steps and single-image inference of the preset U-Net on one backend. */
async function tfjsSpeed(backend: NodeBackend, reps: number) {
  await setupNodeBackend(backend, false);
  const { model } = createHeatmapModel({
    inputShape: preset.inputShape,
    landmarkCount: 19,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
    seed,
  });
  const optimizer = createAdam(1e-3);
  const x = tf.randomUniform([preset.schedule.batchSize, ...preset.inputShape, 1]);
  const target = tf.randomUniform([preset.schedule.batchSize, 19, 2]);
  const one = tf.randomUniform([1, ...preset.inputShape, 1]);
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const step = () =>
    tf.dispose(
      optimizer.minimize(
        () =>
          integralCoordinates(model.apply(x, { training: true }) as tf.Tensor)
            .sub(target)
            .abs()
            .sum(2)
            .mean() as tf.Scalar,
        true,
      ) ?? undefined,
    );
  const infer = () =>
    tf.tidy(() => integralCoordinates(model.predict(one) as tf.Tensor).dataSync());
  time(step);
  time(infer);
  const steps = Array.from({ length: reps }, () => time(step));
  const infers = Array.from({ length: reps }, () => time(infer));
  const parameters = model.countParams();
  tf.dispose([x, target, one]);
  model.dispose();
  optimizer.dispose();
  return { trainStepMs: median(steps), inferenceMs: median(infers), parameters };
}

function torchSpeed(reps: number) {
  const cfg = {
    inputShape: preset.inputShape,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
    landmarks: 19,
    batch: preset.schedule.batchSize,
    threads: 2,
    steps: reps,
    inferences: reps,
  };
  const out = execFileSync('/usr/bin/python3', ['bench/torch/unet_speed.py', JSON.stringify(cfg)], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as {
    trainStepMs: number;
    inferenceMs: number;
    parameters: number;
    torch: string;
  };
}

async function speedTable() {
  const reps = Number(args['speed-reps']);
  const torch = torchSpeed(reps);
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
  log(
    `| PyTorch ${torch.torch} CPU, 2 threads | ${torch.parameters} | ${torch.trainStepMs.toFixed(0)} | ${torch.inferenceMs.toFixed(0)} | 1.00× | 1.00× |`,
  );
  log();
}

async function evaluate(
  model: tf.LayersModel,
  test: TrainingSample[],
  truth: Map<string, number[][]>,
) {
  const predicted = await predictCoordinates(
    model,
    test.map((s) => s.image),
    preset.inputShape,
  );
  const cases = test.map((s, i) => ({
    id: `image ${s.id}`,
    predictedPx: toOriginalPixels(predicted[i]!, s.letterbox),
    truthPx: truth.get(s.id)!,
    spacingMm: [SPACING_MM, SPACING_MM],
  }));
  return evaluateLandmarks(cases).metrics.overall;
}

async function accuracyTable() {
  const dir = args.data!;
  if (!existsSync(dir)) throw new Error(`ISBI data not found at ${dir} (use --data)`);
  await setupNodeBackend('wasm');
  const table = parseLandmarkTable(readFileSync(path.join(dir, 'landmarks_mean.csv'), 'utf8'), {
    source: 'landmarks_mean.csv',
  });
  const train = parseIdList(readFileSync(path.join(dir, 'train.txt'), 'utf8'));
  let test = parseIdList(readFileSync(path.join(dir, 'test1.txt'), 'utf8'));
  if (args['test-limit']) test = test.slice(0, Number(args['test-limit']));
  const load = (ids: string[], labelled: boolean) => {
    process.stderr.write(`loading ${ids.length} images…\n`);
    return loadSamples({
      imagesDir: path.join(dir, 'images'),
      ids,
      inputShape: preset.inputShape,
      spacingMm: [SPACING_MM, SPACING_MM],
      landmarks: labelled ? table.rows : undefined,
      cacheDir: args.cache,
    });
  };
  const methods = args.methods!.split(',') as Method[];
  const counts = args.labelled!.split(',').map(Number);
  const maxLabelled = Math.max(...counts);
  const needsUnlabelled = methods.some((m) => m !== 'supervised');
  const trainSamples = await load(
    train.slice(0, needsUnlabelled ? train.length : maxLabelled),
    true,
  );
  const testSamples = await load(test, true);
  const truth = new Map(testSamples.map((s) => [s.id, table.rows.get(s.id)!]));
  const scale = args.epochs === undefined ? 1 : Number(args.epochs);
  const e = (n: number) => Math.max(1, Math.round(n * scale));
  const schedule = {
    ...preset.schedule,
    pretrainEpochs: e(preset.schedule.pretrainEpochs),
    selfTrainEpochs: e(preset.schedule.selfTrainEpochs),
    finetuneEpochs: e(preset.schedule.finetuneEpochs),
  };
  log(
    `### Accuracy on ISBI 2015 Test1 (${testSamples.length} images), preset ${args.preset}: epochs pre/self/fine ${schedule.pretrainEpochs}/${schedule.selfTrainEpochs}/${schedule.finetuneEpochs}, seed ${seed}`,
  );
  log();
  log(
    '| labelled | unlabelled | method | MRE (mm) | SD (mm) | SDR 2 mm | SDR 2.5 mm | SDR 3 mm | SDR 4 mm | train min |',
  );
  log('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const k of counts) {
    const labelled = trainSamples.slice(0, k);
    let unlabelled = trainSamples.slice(k).map(({ landmarks: _drop, ...s }) => s);
    if (unlabelled.length === 0 && args.transductive)
      unlabelled = testSamples.map(({ landmarks: _drop, ...s }) => s);
    for (const method of methods) {
      if (method !== 'supervised' && unlabelled.length === 0) {
        log(
          `| ${k} | 0 | ${method} | n/a (no unlabelled images; see --transductive) | | | | | | |`,
        );
        continue;
      }
      const started = Date.now();
      const { model } = createHeatmapModel({
        inputShape: preset.inputShape,
        landmarkCount: 19,
        depth: preset.depth,
        baseFilters: preset.baseFilters,
        seed,
      });
      const optimizer = createAdam(schedule.learningRate);
      await trainLandmarkModel(
        model,
        optimizer,
        { labelled, unlabelled: method === 'supervised' ? [] : unlabelled },
        {
          method,
          schedule,
          augmentation: DEFAULT_AUGMENTATION,
          latentOffset: DEFAULT_LATENT_OFFSET,
          seed,
          regulatorFactory: shapeRegulatorFactory(),
          onProgress: (p) =>
            p.step === p.steps &&
            process.stderr.write(
              `${k} ${method} ${p.stage} ${p.epoch + 1}/${p.epochs} loss ${p.loss.toFixed(4)}\n`,
            ),
        },
      );
      const o = await evaluate(model, testSamples, truth);
      const pct = (i: number) => `${(100 * (o.sdr[i]!.rate ?? 0)).toFixed(1)} %`;
      log(
        `| ${k} | ${method === 'supervised' ? 0 : unlabelled.length} | ${method} | ${o.mreMm!.toFixed(2)} | ${o.sdMm!.toFixed(2)} | ${pct(0)} | ${pct(1)} | ${pct(2)} | ${pct(3)} | ${((Date.now() - started) / 60000).toFixed(1)} |`,
      );
      model.dispose();
      optimizer.dispose();
    }
  }
  log();
}

if (!args['accuracy-only']) await speedTable();
if (!args['speed-only']) await accuracyTable();
mkdirSync(path.dirname(args.out!), { recursive: true });
writeFileSync(args.out!, `${lines.join('\n')}\n`);
process.stderr.write(`tables written to ${args.out}\n`);
