/**
 * `npm run bench:isbi-refine -- [options]`: the coarse-to-fine columns of the ISBI benchmark.
 *
 * For each labelled count k, trains the refiner of the `quick` (or `paper`) preset on the first k training
 * images (supervised, once per k: it is shared by the five methods, so the table still compares the
 * methods through their coarse networks), then refines every row's Test1 predictions written by
 * `npm run bench:isbi` (artifacts/isbi-predictions-<preset>.json) and prints coarse and refined
 * MRE/SD/SDR side by side. Refiners are kept in <cache>/refiner-<preset>-<k>-<steps>/ and reused.
 *
 * Options: --data <isbi dir> --preset quick|paper --labelled 20,150 --steps <n> --seed <n>
 *   --predictions <json> --cache <dir> --out <file.md> --train-only
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseIdList, parseLandmarkTable } from '../extension/src/core/data/landmarkTable.ts';
import { evaluateLandmarks } from '../extension/src/core/metrics/index.ts';
import { REFINER_PRESETS } from '../extension/src/core/refinement/presets.ts';
import refineLandmarks from '../extension/src/core/refinement/refineLandmarks.ts';
import type { RefinerSample } from '../extension/src/core/refinement/types.ts';
import { fileLoadHandler } from '../extension/src/node/fileIOHandler.ts';
import setupNodeBackend from '../extension/src/node/nodeBackend.ts';
import loadRefinerSamples from '../extension/src/node/refinerSamples.ts';
import { REFINER_DIR, REFINER_JSON } from '../extension/src/node/refinerStore.ts';
import runRefinerTraining from '../extension/src/node/runRefinerTraining.ts';
import { checkRefinerMetadata } from '../extension/src/core/refinement/refinerMetadata.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/isbi2015' },
    preset: { type: 'string', default: 'quick' },
    labelled: { type: 'string', default: '20,150' },
    steps: { type: 'string' },
    seed: { type: 'string', default: '1' },
    predictions: { type: 'string' },
    cache: { type: 'string', default: '.cache/isbi' },
    out: { type: 'string', default: 'artifacts/isbi-refined.md' },
    'train-only': { type: 'boolean', default: false },
  },
});
const presetName = args.preset as 'quick' | 'paper';
const preset = REFINER_PRESETS[presetName];
if (!preset) throw new Error(`--preset must be quick or paper, got ${args.preset}`);
const steps = args.steps === undefined ? preset.steps : Number(args.steps);
const SPACING_MM = [0.1, 0.1];
const lines: string[] = [];
const log = (line = '') => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

interface PredictionRow {
  labelled: number;
  unlabelled: number;
  method: string;
  note?: string;
  mreMm?: number;
  predictions?: Record<string, number[][]>;
}

const dir = args.data!;
if (!existsSync(dir)) throw new Error(`ISBI data not found at ${dir} (use --data)`);
const table = parseLandmarkTable(readFileSync(path.join(dir, 'landmarks_mean.csv'), 'utf8'), {
  source: 'landmarks_mean.csv',
});
const train = parseIdList(readFileSync(path.join(dir, 'train.txt'), 'utf8'));
const test = parseIdList(readFileSync(path.join(dir, 'test1.txt'), 'utf8'));
const refinerDir = (k: number) =>
  path.join(args.cache!, `refiner-${presetName}-${k}-${steps}-s${args.seed}`);

async function ensureRefiner(k: number): Promise<number | undefined> {
  if (existsSync(path.join(refinerDir(k), REFINER_DIR, REFINER_JSON))) return undefined;
  const cpu = process.cpuUsage();
  await runRefinerTraining({
    modelDir: refinerDir(k),
    imagesDir: path.join(dir, 'images'),
    landmarks: table.rows,
    labelledIds: train.slice(0, k),
    spacingMm: SPACING_MM,
    preset,
    steps,
    seed: Number(args.seed),
    backend: 'wasm',
  });
  const u = process.cpuUsage(cpu);
  return (u.user + u.system) / 60e6;
}

async function loadRefinerModel(k: number) {
  const folder = path.join(refinerDir(k), REFINER_DIR);
  const metadata = checkRefinerMetadata(
    JSON.parse(readFileSync(path.join(folder, REFINER_JSON), 'utf8')),
    folder,
  );
  return { model: await tf.loadLayersModel(fileLoadHandler(folder)), metadata };
}

function metrics(predicted: Map<string, number[][]>) {
  const cases = test.map((id) => ({
    id: `image ${id}`,
    predictedPx: predicted.get(id)!,
    truthPx: table.rows.get(id)!,
    spacingMm: SPACING_MM,
  }));
  return evaluateLandmarks(cases).metrics.overall;
}

async function refinedTable(counts: number[], cpuMin: Map<number, number | undefined>) {
  const rows = JSON.parse(readFileSync(args.predictions!, 'utf8')) as PredictionRow[];
  const loaded = await loadRefinerSamples({
    imagesDir: path.join(dir, 'images'),
    ids: test,
    landmarks: table.rows,
    spacingMm: SPACING_MM,
    mmPerPixel: preset.mmPerPixel,
  });
  const images = new Map<string, RefinerSample>(loaded.samples.map((s) => [s.id, s]));
  const pct = (v: number | undefined) => (v === undefined ? '' : `${(100 * v).toFixed(1)} %`);
  log(
    `### Coarse-to-fine on ISBI 2015 Test1 (${test.length} images): refiner preset ${presetName} (${preset.patchShape.join('×')} patches at ${preset.mmPerPixel} mm/px, ${steps} steps of ${preset.batchSize}, trained once per labelled count on the labelled images only), seed ${args.seed}`,
  );
  log();
  log(
    '| labelled | unlabelled | method | coarse MRE (mm) | refined MRE (mm) | SD (mm) | SDR 2 mm | SDR 2.5 mm | SDR 3 mm | SDR 4 mm |',
  );
  log('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const k of counts) {
    const { model, metadata } = await loadRefinerModel(k);
    for (const row of rows.filter((r) => r.labelled === k && r.predictions)) {
      const refined = new Map<string, number[][]>();
      for (const id of test) {
        const sample = images.get(id)!;
        refined.set(
          id,
          await refineLandmarks(model, sample.image, row.predictions![id]!, {
            ...metadata.config,
            name: `image ${id}`,
          }),
        );
      }
      const coarse = metrics(new Map(Object.entries(row.predictions!)));
      const o = metrics(refined);
      log(
        `| ${k} | ${row.unlabelled} | ${row.method} | ${coarse.mreMm!.toFixed(2)} | ${o.mreMm!.toFixed(2)} | ${o.sdMm!.toFixed(2)} | ${pct(o.sdr[0]!.rate)} | ${pct(o.sdr[1]!.rate)} | ${pct(o.sdr[2]!.rate)} | ${pct(o.sdr[3]!.rate)} |`,
      );
    }
    model.dispose();
  }
  log();
  for (const k of counts) {
    const cpu = cpuMin.get(k);
    if (cpu !== undefined) log(`Refiner training, ${k} labelled: ${cpu.toFixed(1)} CPU min.`);
  }
}

await setupNodeBackend('wasm');
const counts = args.labelled!.split(',').map(Number);
const cpuMin = new Map<number, number | undefined>();
for (const k of counts) cpuMin.set(k, await ensureRefiner(k));
if (!args['train-only']) {
  if (!args.predictions || !existsSync(args.predictions))
    throw new Error(`predictions not found: ${args.predictions} (run npm run bench:isbi first)`);
  await refinedTable(counts, cpuMin);
  mkdirSync(path.dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, `${lines.join('\n')}\n`);
  process.stderr.write(`table written to ${args.out}\n`);
}
