/**
 * `npm run bench:isbi-refine -- [options]`: the coarse-to-fine columns of the ISBI benchmark.
 *
 * For each labelled count k, trains the refiner of the `quick` (or `paper`) preset on the first k training
 * images (supervised, once per k: it is shared by the five methods, so the table still compares the
 * methods through their coarse networks). The step budget is passes over the patches (refinerStepBudget)
 * and the per-landmark gate is decided on a held-out part of the k images (splitHeldOut, coarse-like
 * offsets), as `landmarks train` does without a validation split. It then refines every row's Test1
 * predictions written by `npm run bench:isbi` (artifacts/isbi-predictions-<preset>.json) and prints
 * coarse, refined-without-gate and gated MRE/SD/SDR side by side. With `--stage2-mm`, a second refiner
 * (finer patches, smaller offsets) is trained the same way and applied after the first (a cascade).
 * Refiners are kept in <cache>/refiner-…/ (the name carries every setting) and reused.
 *
 * Options: --data <isbi dir> --preset quick|paper --labelled 20,150 (one count: `--labelled 150`)
 *   --methods supervised,naive --steps <n> --passes <p> --max-steps <n> --mm-per-pixel <mm>
 *   --offset-sd <mm> --offset-tail-sd <mm> --offset-tail-fraction <f> --filters <n> --lr <Adam rate>
 *   --stage2-mm <mm> --stage2-offset-sd <mm> --seed <n> --predictions <json> --cache <dir>
 *   --out <file.md> --train-only --dump <json> (coarse and ungated refined Test1 points per row)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseIdList, parseLandmarkTable } from '../extension/src/core/data/landmarkTable.ts';
import { evaluateLandmarks } from '../extension/src/core/metrics/index.ts';
import { REFINER_PRESETS, type RefinerPreset } from '../extension/src/core/refinement/presets.ts';
import refineLandmarks from '../extension/src/core/refinement/refineLandmarks.ts';
import type { RefinerMetadata, RefinerSample } from '../extension/src/core/refinement/types.ts';
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
    methods: { type: 'string' },
    steps: { type: 'string' },
    passes: { type: 'string' },
    'max-steps': { type: 'string' },
    'mm-per-pixel': { type: 'string' },
    'offset-sd': { type: 'string' },
    'offset-tail-sd': { type: 'string' },
    'offset-tail-fraction': { type: 'string' },
    filters: { type: 'string' },
    lr: { type: 'string' },
    'stage2-mm': { type: 'string' },
    'stage2-offset-sd': { type: 'string', default: '1.5' },
    seed: { type: 'string', default: '1' },
    predictions: { type: 'string' },
    cache: { type: 'string', default: '.cache/isbi' },
    out: { type: 'string', default: 'artifacts/isbi-refined.md' },
    'train-only': { type: 'boolean', default: false },
    dump: { type: 'string' },
  },
});
const presetName = args.preset as 'quick' | 'paper';
const base = REFINER_PRESETS[presetName];
if (!base) throw new Error(`--preset must be quick or paper, got ${args.preset}`);
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const stage1: RefinerPreset = {
  ...base,
  trainingPasses: num(args.passes, base.trainingPasses),
  maxSteps: num(args['max-steps'], base.maxSteps),
  minSteps: Math.min(base.minSteps, num(args['max-steps'], base.maxSteps)),
  mmPerPixel: num(args['mm-per-pixel'], base.mmPerPixel),
  offsetSdMm: num(args['offset-sd'], base.offsetSdMm),
  offsetTailSdMm: num(args['offset-tail-sd'], base.offsetTailSdMm),
  offsetTailFraction: num(args['offset-tail-fraction'], base.offsetTailFraction),
  baseFilters: num(args.filters, base.baseFilters),
  ...(args.lr === undefined ? {} : { learningRate: Number(args.lr) }),
};
const stages: RefinerPreset[] = [stage1];
if (args['stage2-mm'] !== undefined)
  stages.push({
    ...stage1,
    mmPerPixel: Number(args['stage2-mm']),
    offsetSdMm: Number(args['stage2-offset-sd']),
    offsetTailSdMm: 2 * Number(args['stage2-offset-sd']),
  });
const steps = args.steps === undefined ? undefined : Number(args.steps);
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
  predictions?: Record<string, number[][]>;
}

const dir = args.data!;
if (!existsSync(dir)) throw new Error(`ISBI data not found at ${dir} (use --data)`);
const table = parseLandmarkTable(readFileSync(path.join(dir, 'landmarks_mean.csv'), 'utf8'), {
  source: 'landmarks_mean.csv',
});
const train = parseIdList(readFileSync(path.join(dir, 'train.txt'), 'utf8'));
const test = parseIdList(readFileSync(path.join(dir, 'test1.txt'), 'utf8'));
const describe = (p: RefinerPreset) =>
  `${p.patchShape.join('x')}-${p.mmPerPixel}mm-f${p.baseFilters}-d${p.depth}-o${p.offsetSdMm}+${p.offsetTailFraction}x${p.offsetTailSdMm}-p${p.trainingPasses}-${p.minSteps}-${p.maxSteps}${p.learningRate === undefined ? '' : `-lr${p.learningRate}`}`;
const refinerDir = (k: number, p: RefinerPreset) =>
  path.join(args.cache!, `refiner-${k}-${describe(p)}-${steps ?? 'b'}-s${args.seed}`);

async function ensureRefiner(k: number, p: RefinerPreset): Promise<number | undefined> {
  if (existsSync(path.join(refinerDir(k, p), REFINER_DIR, REFINER_JSON))) return undefined;
  const cpu = process.cpuUsage();
  await runRefinerTraining({
    modelDir: refinerDir(k, p),
    imagesDir: path.join(dir, 'images'),
    landmarks: table.rows,
    labelledIds: train.slice(0, k),
    spacingMm: SPACING_MM,
    preset: p,
    steps,
    seed: Number(args.seed),
    backend: 'wasm',
  });
  const u = process.cpuUsage(cpu);
  return (u.user + u.system) / 60e6;
}

async function loadRefinerModel(k: number, p: RefinerPreset) {
  const folder = path.join(refinerDir(k, p), REFINER_DIR);
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

type Refiner = Awaited<ReturnType<typeof loadRefinerModel>>;

/** Every stage in turn, with or without each stage's gate. */
async function cascade(refiners: Refiner[], coarse: number[][], id: string, gated: boolean) {
  let points = coarse;
  for (const [s, r] of refiners.entries()) {
    const { useRefined, ...config } = r.metadata.config;
    points = await refineLandmarks(r.model, images[s]!.get(id)!.image, points, {
      ...config,
      useRefined: gated ? useRefined : undefined,
      name: `image ${id}`,
    });
  }
  return points;
}

let images: Map<string, RefinerSample>[] = [];
const pct = (v: number | undefined) => (v === undefined ? '' : `${(100 * v).toFixed(1)} %`);
const gateSummary = (m: RefinerMetadata) =>
  m.gate
    ? `${m.gate.useRefined.filter(Boolean).length}/${m.gate.useRefined.length} landmarks refined (held-out ${m.gate.ids.length} images: coarse-like ${avg(m.gate.coarseMreMm).toFixed(2)} → ${avg(m.gate.refinedMreMm).toFixed(2)} mm)`
    : 'no gate';
const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

async function refinedTable(counts: number[], cpuMin: Map<string, number | undefined>) {
  const wanted = args.methods?.split(',');
  const rows = (JSON.parse(readFileSync(args.predictions!, 'utf8')) as PredictionRow[]).filter(
    (r) => !wanted || wanted.includes(r.method),
  );
  images = [];
  for (const p of stages) {
    const loaded = await loadRefinerSamples({
      imagesDir: path.join(dir, 'images'),
      ids: test,
      landmarks: table.rows,
      spacingMm: SPACING_MM,
      mmPerPixel: p.mmPerPixel,
    });
    images.push(new Map(loaded.samples.map((s) => [s.id, s])));
  }
  log(
    `### Coarse-to-fine on ISBI 2015 Test1 (${test.length} images), seed ${args.seed}: ${stages.map((p) => `${p.patchShape.join('×')} patches at ${p.mmPerPixel} mm/px, ${p.baseFilters} filters, offsets N(0, ${p.offsetSdMm}²) + ${p.offsetTailFraction} × N(0, ${p.offsetTailSdMm}²) mm`).join(' → ')}`,
  );
  log();
  log(
    '| labelled | method | coarse MRE | refined MRE, no gate | gated MRE | SD | SDR 2 mm | SDR 2.5 mm | SDR 3 mm | SDR 4 mm |',
  );
  log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const notes: string[] = [];
  const dumped: object[] = [];
  for (const k of counts) {
    const refiners = await Promise.all(stages.map((p) => loadRefinerModel(k, p)));
    refiners.forEach((r, s) =>
      notes.push(
        `${k} labelled, stage ${s + 1}: ${r.metadata.training?.steps} steps of ${r.metadata.training?.batchSize} on ${r.metadata.training?.images} images (${r.metadata.training?.trainingPasses?.toFixed(1)} passes, final loss ${r.metadata.training?.finalLoss?.toFixed(3)}, ${cpuMin.get(`${k}-${s}`)?.toFixed(1) ?? 'cached'} CPU min); gate: ${gateSummary(r.metadata)}`,
      ),
    );
    for (const row of rows.filter((r) => r.labelled === k && r.predictions)) {
      const plain = new Map<string, number[][]>();
      const gated = new Map<string, number[][]>();
      for (const id of test) {
        const coarse = row.predictions![id]!;
        const refined = await cascade(refiners, coarse, id, false);
        plain.set(id, refined);
        // One stage: the gate only picks between the two, no second inference needed.
        const gate = refiners[0]!.metadata.config.useRefined;
        gated.set(
          id,
          refiners.length === 1
            ? refined.map((p, l) => (gate?.[l] === false ? coarse[l]! : p))
            : await cascade(refiners, coarse, id, true),
        );
      }
      dumped.push({ ...row, refined: Object.fromEntries(plain) });
      const c = metrics(new Map(Object.entries(row.predictions!)));
      const r = metrics(plain);
      const o = metrics(gated);
      log(
        `| ${k} | ${row.method} | ${c.mreMm!.toFixed(2)} | ${r.mreMm!.toFixed(2)} | ${o.mreMm!.toFixed(2)} | ${o.sdMm!.toFixed(2)} | ${pct(o.sdr[0]!.rate)} | ${pct(o.sdr[1]!.rate)} | ${pct(o.sdr[2]!.rate)} | ${pct(o.sdr[3]!.rate)} |`,
      );
    }
    refiners.forEach((r) => r.model.dispose());
  }
  log();
  notes.forEach((n) => log(`- ${n}`));
  if (args.dump) writeFileSync(args.dump, JSON.stringify(dumped));
}

await setupNodeBackend('wasm');
const counts = args.labelled!.split(',').map(Number);
const cpuMin = new Map<string, number | undefined>();
for (const k of counts)
  for (const [s, p] of stages.entries()) cpuMin.set(`${k}-${s}`, await ensureRefiner(k, p));
if (!args['train-only']) {
  if (!args.predictions || !existsSync(args.predictions))
    throw new Error(`predictions not found: ${args.predictions} (run npm run bench:isbi first)`);
  await refinedTable(counts, cpuMin);
  mkdirSync(path.dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, `${lines.join('\n')}\n`);
  process.stderr.write(`table written to ${args.out}\n`);
}
