/**
 * `npm run bench:cbct -- [options]`: the 3D benchmark (issue 16 item 4) on synthetic CBCT volumes
 * (core/synthetic/generateCbctVolume: 18 cephalometric landmarks, 64 × 64 × 56 voxels of 3 mm).
 *
 * Train on N labelled + M unlabelled volumes of one simulated device (cbct-a), validate on V more of it
 * (the loop keeps the best-validation weights), test on T held-out volumes generated with other seeds on
 * ANOTHER device (cbct-b: softer, noisier, lower contrast, shifted field of view). Rows: `supervised`
 * (pre-training on the labelled volumes only) and `full` (the paper's shape-regulated self-training with
 * the Region Attention loss, continuing from the same pre-trained weights and Adam state, as bench:isbi
 * does), and `supervised-equal-steps`: the pre-trained network trained on for as many more steps (labelled
 * volumes only) as `full`'s self-training and fine-tuning took; `<method>+review` rows: the same points after the product's shape review (robust shape fit of
 * the labelled shapes, outliers beyond 4 mm put where the other landmarks place them, maps not re-read).
 * Printed: MRE, SD, SDR 2/2.5/3/4 mm; map diagnostics on the test volumes (spread, mass near the
 * point, distance of the map maximum from the truth); wall-clock ms per training step; the same network's
 * step in PyTorch (bench/torch/unet_speed.py, 1 thread) for comparison.
 *
 * Options: --labelled N (8) --unlabelled M (16) --validation V (2) --test T (8)
 *   --steps pretrain,selftrain,finetune (optimiser steps; default 900,500,150)
 *   --input S (network input S³, default 32) --filters F (8) --depth L (3) --lr (3e-3) --batch (2)
 *   --methods supervised,full --seed (1) --unlabelled-device (cbct-a) --test-device (cbct-b)
 *   --z Z (abnormal threshold of the shape regulation, mm; default 2 input voxels as `landmarks train`
 *   does for volumes; 2 = the paper's 2 mm)
 *   --equal-steps no (skip the supervised-equal-steps row) --torch-reps R (3; 0 skips the PyTorch peer) --json (one JSON object on stdout, logs on stderr)
 *   --results <dir> (bench/results) --table-only (print the cached table of this configuration)
 *   --anatomy clinical (volumes from generateClinicalCbctVolume: a drawn head with teeth, airway, metal
 *   streaks and a cylindrical field, N × N × 0.9N voxels over its 16.8 × 16.8 × 15.2 cm field, N from
 *   --clinical-voxels, default 168 (1 mm); letterboxed to the input like the small volumes)
 * Every run is cached as bench/results/cbct-<key>-l<N>-seed<seed>.json with its commit and command
 * (bench/isbiResults.ts); the table printed is mean ± SD over the cached seeds of the same key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { toOriginalPixels } from '../extension/src/core/data/computeLetterbox.ts';
import syntheticVolumeSample from '../extension/src/core/synthetic/syntheticVolumeSample.ts';
import type { VolumeSample } from '../extension/src/core/data/types.ts';
import mapDiagnostics, {
  formatMapDiagnostics,
  type MapDiagnostics,
} from '../extension/src/core/heatmap/mapDiagnostics.ts';
import { DEFAULT_LATENT_OFFSET } from '../extension/src/core/losses/sampleLatentOffsets.ts';
import { evaluateLandmarks } from '../extension/src/core/metrics/index.ts';
import createHeatmapModel from '../extension/src/core/models/createHeatmapModel.ts';
import reviewLandmarks from '../extension/src/core/inference/reviewLandmarks.ts';
import { fitShapeModel } from '../extension/src/core/shape/index.ts';
import {
  DEFAULT_AUGMENTATION,
  VOLUME_PRESETS,
} from '../extension/src/core/selfTraining/presets.ts';
import predictCoordinates, {
  decodingFor,
} from '../extension/src/core/selfTraining/predictCoordinates.ts';
import shapeRegulatorFactory from '../extension/src/core/selfTraining/shapeRegulatorFactory.ts';
import trainLandmarkModel from '../extension/src/core/selfTraining/trainLandmarkModel.ts';
import type {
  Method,
  Schedule,
  TrainingProgress,
} from '../extension/src/core/selfTraining/types.ts';
import {
  generateCbctVolume,
  generateClinicalCbctVolume,
} from '../extension/src/core/synthetic/index.ts';
import createAdam from '../extension/src/core/tf/createAdam.ts';
import setupNodeBackend from '../extension/src/node/nodeBackend.ts';
import {
  formatPieceTable,
  loadPieces,
  pieceFile,
  savePiece,
  type Piece,
  type PieceRow,
} from './isbiResults.ts';
import { torchUnetSpeed } from './unetSpeed.ts';

const { values: args } = parseArgs({
  options: {
    labelled: { type: 'string', default: '8' },
    unlabelled: { type: 'string', default: '16' },
    validation: { type: 'string', default: '2' },
    test: { type: 'string', default: '8' },
    steps: { type: 'string', default: '900,500,150' },
    input: { type: 'string', default: '32' },
    filters: { type: 'string', default: '8' },
    depth: { type: 'string', default: '3' },
    lr: { type: 'string', default: '3e-3' },
    batch: { type: 'string', default: '2' },
    methods: { type: 'string', default: 'supervised,full' },
    seed: { type: 'string', default: '1' },
    'unlabelled-device': { type: 'string', default: 'cbct-a' },
    'test-device': { type: 'string', default: 'cbct-b' },
    'torch-reps': { type: 'string', default: '3' },
    z: { type: 'string', default: 'voxels' },
    'equal-steps': { type: 'string', default: 'yes' },
    json: { type: 'boolean', default: false },
    results: { type: 'string', default: 'bench/results' },
    'table-only': { type: 'boolean', default: false },
    anatomy: { type: 'string', default: 'ellipsoids' },
    'clinical-voxels': { type: 'string', default: '168' },
  },
});

const int = (name: keyof typeof args, min: number) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return v;
};
const counts = {
  labelled: int('labelled', 3),
  unlabelled: int('unlabelled', 0),
  validation: int('validation', 0),
  test: int('test', 1),
};
const seed = int('seed', 0);
if (args.anatomy !== 'ellipsoids' && args.anatomy !== 'clinical')
  throw new Error(`--anatomy: ellipsoids or clinical, got ${args.anatomy}`);
const clinicalVoxels = int('clinical-voxels', 16);
const side = int('input', 8);
const INPUT = [side, side, side];
const network = { depth: int('depth', 2), baseFilters: int('filters', 1) };
const stepBudget = args.steps!.split(',').map(Number);
if (stepBudget.length !== 3 || stepBudget.some((v) => !Number.isInteger(v) || v < 0))
  throw new Error('--steps takes three step counts: pretrain,selftrain,finetune');
const methods = args.methods!.split(',') as Method[];
/** The supervised-equal-steps row (`--equal-steps no` skips it and keeps a cached one). */
const equalSteps = methods.includes('supervised') && args['equal-steps'] !== 'no';
for (const m of methods)
  if (m !== 'supervised' && m !== 'full')
    throw new Error(`--methods: supervised or full, got ${m}`);
if (methods.includes('full') && counts.unlabelled === 0)
  throw new Error('method full needs --unlabelled > 0');
const schedule: Schedule = {
  ...VOLUME_PRESETS.quick.schedule,
  batchSize: int('batch', 1),
  learningRate: Number(args.lr),
  stageSteps: { pretrain: stepBudget[0]!, selftrain: stepBudget[1]!, finetune: stepBudget[2]! },
};
/** Everything that changes the result except the seed: pieces of the same key are averaged. */
const key = [
  `in${side}`,
  `f${network.baseFilters}d${network.depth}`,
  `u${counts.unlabelled}v${counts.validation}t${counts.test}`,
  `s${stepBudget.join('-')}`,
  `lr${args.lr}b${schedule.batchSize}`,
  `${args['unlabelled-device']}-${args['test-device']}`,
  ...(args.z === 'voxels' ? [] : [`z${args.z}`]),
  ...(args.anatomy === 'clinical' ? [`clinical${clinicalVoxels}`] : []),
].join('_');

const log = (line = '') => process[args.json ? 'stderr' : 'stdout'].write(`${line}\n`);
const results = args.results!;

/** Seed ranges per set, so that no volume is shared and the test set is the same for every run. */
const SEED_BASE = { labelled: 1, unlabelled: 10_001, validation: 20_001, test: 90_001 };

interface Volume {
  sample: VolumeSample;
  /** True landmarks in original voxels (voxel i covering [i, i + 1)). */
  truth: number[][];
  spacingMm: number[];
}

function generate(set: keyof typeof SEED_BASE, k: number, device: string): Volume {
  // The training sets move with --seed; the test set does not (every run is scored on the same volumes).
  const volumeSeed = SEED_BASE[set] + k + (set === 'test' ? 0 : 1000 * seed);
  const v =
    args.anatomy === 'clinical'
      ? generateClinicalCbctVolume({
          seed: volumeSeed,
          device,
          width: clinicalVoxels,
          height: clinicalVoxels,
          depth: Math.round((clinicalVoxels * 304) / 336),
        })
      : generateCbctVolume({ seed: volumeSeed, device });
  const { sample, truth } = syntheticVolumeSample(v, INPUT, {
    id: `${set}-${volumeSeed}`,
    labelled: set !== 'unlabelled',
  });
  return { sample, truth, spacingMm: v.spacingMm };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function run(
  onRows: (rows: PieceRow[]) => void,
): Promise<{ rows: PieceRow[]; maps: Record<string, MapDiagnostics> }> {
  const t0 = Date.now();
  const set = (name: keyof typeof SEED_BASE, n: number, device: string) =>
    Array.from({ length: n }, (_, k) => generate(name, k, device));
  const labelled = set('labelled', counts.labelled, 'cbct-a');
  const unlabelled = set('unlabelled', counts.unlabelled, args['unlabelled-device']!);
  const validation = set('validation', counts.validation, 'cbct-a');
  const test = set('test', counts.test, args['test-device']!);
  log(
    `volumes: ${counts.labelled} labelled, ${counts.unlabelled} unlabelled (${args['unlabelled-device']}), ${counts.validation} validation (cbct-a), ${counts.test} test (${args['test-device']}); generated in ${((Date.now() - t0) / 1000).toFixed(1)} s; input ${INPUT.join('×')} voxels of ${labelled[0]!.sample.spacingMm.map((v) => v.toFixed(1)).join('×')} mm`,
  );
  const { model } = createHeatmapModel({
    architecture: 'unet3d',
    inputShape: INPUT,
    landmarkCount: labelled[0]!.truth.length,
    ...network,
    seed,
  });
  const optimizer = createAdam(schedule.learningRate);
  const decoding = decodingFor(schedule.heatmapTarget);
  // As `landmarks train` and the viewer do for volumes: Z = 2 input voxels (2 mm flags everything at
  // voxels of several mm); `--z <mm>` for the paper's 2 mm.
  const abnormalThresholdMm =
    args.z === 'voxels' ? 2 * Math.max(...labelled[0]!.sample.spacingMm) : Number(args.z);
  const stepTimes: number[] = [];
  let last = performance.now();
  const options = (method: Method) => ({
    method,
    schedule,
    augmentation: DEFAULT_AUGMENTATION,
    latentOffset: DEFAULT_LATENT_OFFSET,
    seed,
    regulatorFactory: shapeRegulatorFactory({ abnormalThresholdMm }),
    onProgress: (p: TrainingProgress) => {
      const now = performance.now();
      if (p.step > 0 && p.validationMreMm === undefined) stepTimes.push(now - last);
      last = now;
      if (p.pseudoLabels)
        log(
          `  ${method}: pseudo labels ${p.pseudoLabels.excluded}/${p.pseudoLabels.total} excluded`,
        );
      if (p.validationMreMm !== undefined)
        log(
          `  ${method} ${p.stage} epoch ${p.epoch + 1}/${p.epochs} (step ${p.stepsDone}/${p.stepsTotal}): loss ${p.loss.toFixed(3)}, validation MRE ${p.validationMreMm.toFixed(2)} mm`,
        );
    },
  });
  const data = (withUnlabelled: boolean) => ({
    labelled: labelled.map((v) => v.sample),
    unlabelled: withUnlabelled ? unlabelled.map((v) => v.sample) : [],
    ...(validation.length > 0 ? { validation: validation.map((v) => v.sample) } : {}),
  });
  const rows: PieceRow[] = [];
  const maps: Record<string, MapDiagnostics> = {};
  // The product's review (2D: reviewPrediction) on the mm shapes, without re-reading the maps: a
  // landmark the others disagree with (robust shape fit, 4 mm) is put where they place it.
  const shapeModel = fitShapeModel(
    labelled.map((v) => v.truth.map((p) => p.map((x, a) => x * v.spacingMm[a]!))),
  );
  const reviewed = (pointsPx: number[][], spacingMm: number[]) =>
    reviewLandmarks(
      shapeModel,
      pointsPx.map((p) => p.map((x, a) => x * spacingMm[a]!)),
      pointsPx.map(() => 1),
    ).pointsMm.map((p) => p.map((x, a) => x / spacingMm[a]!));
  const score = async (method: string, steps: number[], cpuMin: number) => {
    const predicted = await predictCoordinates(
      model,
      test.map((v) => v.sample.image),
      INPUT,
      schedule.batchSize,
      decoding,
    );
    const cases = test.map((v, i) => ({
      id: v.sample.id,
      predictedPx: toOriginalPixels(predicted[i]!, v.sample.letterbox),
      truthPx: v.truth,
      spacingMm: v.spacingMm,
    }));
    const o = evaluateLandmarks(cases).metrics.overall;
    const r = evaluateLandmarks(
      cases.map((c) => ({ ...c, predictedPx: reviewed(c.predictedPx, c.spacingMm) })),
    ).metrics.overall;
    const d = await mapDiagnostics(
      model,
      test.map((v) => v.sample),
      INPUT,
    );
    maps[method] = d;
    rows.push({
      labelled: counts.labelled,
      method,
      mreMm: o.mreMm,
      sdMm: o.sdMm,
      sdr: o.sdr.map((r) => r.rate ?? 0),
      cpuMin,
      stepMs: median(steps),
      mapStats: {
        medianSpreadMm: d.medianSpreadMm,
        medianConfidence: d.medianMassNear,
        medianMaximumErrorMm: d.medianMaximumErrorMm,
      },
    });
    rows.push({
      labelled: counts.labelled,
      method: `${method}+review`,
      mreMm: r.mreMm,
      sdMm: r.sdMm,
      sdr: r.sdr.map((x) => x.rate ?? 0),
    });
    onRows(rows);
    log(
      `${method}: test MRE ${o.mreMm?.toFixed(2)} mm, SD ${o.sdMm?.toFixed(2)} mm (reviewed ${r.mreMm?.toFixed(2)} mm); ${formatMapDiagnostics(d)}; ${median(steps).toFixed(0)} ms per step`,
    );
  };

  const cpuMinutes = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 60e6;
  };
  let cpu = process.cpuUsage();
  const pre = await trainLandmarkModel(model, optimizer, data(false), options('supervised'));
  const preCpu = cpuMinutes(cpu);
  const preSteps = stepTimes.splice(0);
  if (methods.includes('supervised')) await score('supervised', preSteps, preCpu);
  const extraSteps = stepBudget[1]! + stepBudget[2]!;
  const snapshot =
    equalSteps && extraSteps > 0
      ? {
          weights: model.getWeights().map((w) => w.clone()),
          optimizer: (await optimizer.getWeights()).map((w) => ({
            name: w.name,
            tensor: w.tensor.clone(),
          })),
        }
      : undefined;
  if (methods.includes('full')) {
    // Without pre-training's best: `full` keeps the best-validation weights of its own stages (paper:
    // the best of the fine-tuning stage). Carrying it over left `full` with its LAST weights whenever
    // no later epoch beat pre-training's best.
    const resume = {
      ...structuredClone(pre.state),
      stage: 'selftrain' as const,
      epoch: 0,
      best: undefined,
    };
    cpu = process.cpuUsage();
    await trainLandmarkModel(model, optimizer, data(true), options('full'), resume);
    // The whole run's cost: the shared pre-training plus its own stages.
    await score('full', [...preSteps, ...stepTimes.splice(0)], preCpu + cpuMinutes(cpu));
  }
  if (snapshot) {
    // `supervised` again with as many steps as `full` took in all (labelled volumes only), so that
    // self-training is not credited with steps supervised training never got.
    model.setWeights(snapshot.weights);
    await optimizer.setWeights(snapshot.optimizer);
    snapshot.weights.forEach((w) => w.dispose());
    const resume = {
      ...structuredClone(pre.state),
      stage: 'pretrain' as const,
      epoch: 0,
      best: undefined,
      history: [],
    };
    cpu = process.cpuUsage();
    await trainLandmarkModel(
      model,
      optimizer,
      data(false),
      {
        ...options('supervised'),
        schedule: { ...schedule, stageSteps: { pretrain: extraSteps, selftrain: 0, finetune: 0 } },
      },
      resume,
    );
    await score(
      'supervised-equal-steps',
      [...preSteps, ...stepTimes.splice(0)],
      preCpu + cpuMinutes(cpu),
    );
  }
  model.dispose();
  optimizer.dispose();
  return { rows, maps };
}

function speed(reps: number) {
  if (reps === 0) return undefined;
  try {
    return torchUnetSpeed(
      {
        inputShape: INPUT,
        ...network,
        landmarks: 18,
        batch: schedule.batchSize,
        reps,
        seed,
      },
      1,
    );
  } catch (error) {
    log(`PyTorch peer not run: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

async function main() {
  if (!args['table-only']) {
    const backend = await setupNodeBackend('wasm');
    log(
      `bench:cbct ${key} seed ${seed} (tfjs ${backend}, 1 thread); steps ${stepBudget.join('/')} (pretrain/selftrain/finetune)`,
    );
    // Saved after every row, so that a run stopped early keeps what it measured.
    // Rows of methods this run does not train (an earlier run's, same key and seed) are kept.
    const ours = (r: PieceRow) =>
      methods.some((m) => r.method === m || r.method.startsWith(`${m}+`)) ||
      (equalSteps && r.method.startsWith('supervised-equal-steps'));
    const earlier = existsSync(pieceFile(results, key, counts.labelled, seed, 'cbct'))
      ? (
          JSON.parse(
            readFileSync(pieceFile(results, key, counts.labelled, seed, 'cbct'), 'utf8'),
          ) as Piece
        ).rows.filter((r) => !ours(r))
      : [];
    const save = (rows: PieceRow[]) =>
      savePiece(results, key, counts.labelled, seed, [...earlier, ...rows], 'cbct');
    const { rows, maps } = await run(save);
    const file = save(rows);
    const torch = speed(int('torch-reps', 0));
    if (torch)
      log(
        `PyTorch ${torch.torch} CPU (1 thread), same network and batch: ${torch.trainStepMs.toFixed(0)} ms per step, ${torch.inferenceMs.toFixed(0)} ms per inference`,
      );
    log(`cached: ${file}`);
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ key, seed, counts, steps: stepBudget, input: INPUT, network, rows, maps, torch }, null, 2)}\n`,
      );
      return;
    }
  }
  const pieces = loadPieces(results, key, 'cbct');
  log();
  log(`### bench:cbct ${key} (${pieces.length} cached seed(s))`);
  log();
  for (const line of formatPieceTable(
    pieces,
    [...methods, ...(methods.includes('supervised') ? ['supervised-equal-steps'] : [])].flatMap(
      (m) => [m, `${m}+review`],
    ),
  ))
    log(line);
  log();
  for (const p of pieces)
    for (const r of p.rows.filter((x) => x.stepMs !== undefined))
      log(
        `seed ${p.seed} ${r.method}: ${r.stepMs?.toFixed(0)} ms per training step (median), ${r.cpuMin?.toFixed(1)} CPU-min of training (${p.commit}, ${p.date})`,
      );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
