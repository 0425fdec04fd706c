/**
 * `npm run bench:triage -- --model <dir> [options]`: how good the review flags are, on ISBI images whose
 * truth is known. Runs the product's predictor (core/inference/createLandmarkPredictor: network →
 * refiner when present → robust shape review) and reports
 * - accuracy of the network's points and of the reviewed points (MRE, SD, SDR 2 / 2.5 / 3 / 4 mm);
 * - recall and precision of the flag for the landmarks the network put > 4 mm and > 10 mm off;
 * - the paper's plain rule (Z = 2 mm deviation) on the same points, for comparison;
 * for each heatmap-confidence threshold of `--min-confidence a,b,c` (choose it with `--heldout`, never
 * on Test1).
 *
 * Options: --data <isbi dir> (default ../shared/data/isbi2015) --ids <file> (default test1.txt)
 *   --heldout <n> (the last n of train.txt instead) --limit <n> --min-confidence 0.05,0.1,0.2
 *   --outlier-mm 4 --no-refine --json --dump <json> (network and reviewed points, per image)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseIdList, parseLandmarkTable } from '../extension/src/core/data/landmarkTable.ts';
import createLandmarkPredictor, {
  type PredictedLandmarks,
} from '../extension/src/core/inference/createLandmarkPredictor.ts';
import { evaluateLandmarks } from '../extension/src/core/metrics/index.ts';
import { parseShapeModel } from '../extension/src/core/shape/serialiseShapeModel.ts';
import { readImage } from '../extension/src/node/imageFolder.ts';
import { loadLandmarkModel } from '../extension/src/node/modelStore.ts';
import setupNodeBackend from '../extension/src/node/nodeBackend.ts';
import { loadRefiner } from '../extension/src/node/refinerStore.ts';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: '../shared/data/isbi2015' },
    ids: { type: 'string' },
    heldout: { type: 'string' },
    limit: { type: 'string' },
    'min-confidence': { type: 'string', default: '0.05,0.1,0.2' },
    'outlier-mm': { type: 'string', default: '4' },
    'no-refine': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    dump: { type: 'string' },
  },
});
if (!args.model) throw new Error('--model <dir> is required');
const SPACING = [0.1, 0.1];
const log = (line = '') => {
  if (!args.json) process.stdout.write(`${line}\n`);
};

function imageIds(): string[] {
  const dir = args.data!;
  let ids = args.heldout
    ? parseIdList(readFileSync(path.join(dir, 'train.txt'), 'utf8')).slice(-Number(args.heldout))
    : parseIdList(readFileSync(args.ids ?? path.join(dir, 'test1.txt'), 'utf8'));
  if (args.limit) ids = ids.slice(0, Number(args.limit));
  return ids;
}

/** One landmark of one image: the network's error, the shown point's error, and the review. */
interface Case {
  networkErrorMm: number;
  shownErrorMm: number;
  confidence: number;
  shapeOutlier: boolean;
  paperAbnormal: boolean;
  /** What the product flags (core/inference/reviewLandmarks.ts, its default thresholds). */
  productFlag: boolean;
}

async function predictAll(ids: string[], truth: Map<string, number[][]>) {
  await setupNodeBackend('wasm', false);
  const { model, metadata, shapeModelJson } = await loadLandmarkModel(args.model!);
  if (!shapeModelJson) throw new Error(`${args.model}: no shape-model.json`);
  const refined = args['no-refine'] ? undefined : await loadRefiner(args.model!);
  const predictor = createLandmarkPredictor({
    model,
    metadata,
    refiner: refined?.refiner,
    shapeModel: parseShapeModel(shapeModelJson),
    // Flags are recomputed per threshold below; here nothing is lost by the lowest threshold.
    thresholds: { outlierMm: Number(args['outlier-mm']), minConfidence: 0 },
  });
  const results = new Map<string, PredictedLandmarks>();
  for (const [k, id] of ids.entries()) {
    const { image } = await readImage(path.join(args.data!, 'images', `${id}.jpg`));
    results.set(id, await predictor.predict(image, SPACING, `image ${id}`));
    if (!args.json) process.stderr.write(`\r${k + 1}/${ids.length} ${id}`);
    if (!truth.has(id)) throw new Error(`image ${id}: no truth`);
  }
  process.stderr.write('\n');
  predictor.dispose();
  return results;
}

const errorMm = (p: number[], q: number[]) =>
  Math.hypot(...p.map((v, a) => (v - q[a]!) * SPACING[a]!));

function accuracy(
  name: string,
  results: Map<string, PredictedLandmarks>,
  pick: (r: PredictedLandmarks) => number[][],
  truth: Map<string, number[][]>,
) {
  const o = evaluateLandmarks(
    [...results].map(([id, r]) => ({
      id,
      predictedPx: pick(r),
      truthPx: truth.get(id)!,
      spacingMm: SPACING,
    })),
  ).metrics.overall;
  const far = [...results]
    .flatMap(([id, r]) => pick(r).map((p, l) => errorMm(p, truth.get(id)![l]!)))
    .filter((e) => e > 10).length;
  return { name, mreMm: o.mreMm!, sdMm: o.sdMm!, sdr: o.sdr.map((s) => s.rate ?? 0), over10: far };
}

function flagQuality(cases: Case[], flagged: (c: Case) => boolean, thresholdMm: number) {
  const bad = cases.filter((c) => c.networkErrorMm > thresholdMm);
  const flags = cases.filter(flagged);
  const caught = bad.filter(flagged).length;
  return {
    recall: bad.length ? caught / bad.length : Number.NaN,
    precision: flags.length
      ? flags.filter((c) => c.networkErrorMm > thresholdMm).length / flags.length
      : Number.NaN,
    flagged: flags.length,
    bad: bad.length,
  };
}

const dir = args.data!;
const table = parseLandmarkTable(readFileSync(path.join(dir, 'landmarks_mean.csv'), 'utf8'), {
  source: 'landmarks_mean.csv',
});
const ids = imageIds();
const started = Date.now();
const results = await predictAll(ids, table.rows);
if (args.dump)
  writeFileSync(
    args.dump,
    JSON.stringify(
      Object.fromEntries(
        [...results].map(([id, r]) => [id, { coarse: r.coarsePx, shown: r.landmarksPx }]),
      ),
    ),
  );
const cases: Case[] = [...results].flatMap(([id, r]) =>
  r.reviews!.map((review, l) => ({
    networkErrorMm: errorMm(r.coarsePx[l]!, table.rows.get(id)![l]!),
    shownErrorMm: errorMm(r.landmarksPx[l]!, table.rows.get(id)![l]!),
    confidence: review.confidence,
    shapeOutlier: review.reEstimated,
    paperAbnormal: review.abnormal,
    productFlag: review.flagged,
  })),
);
const rows = [
  accuracy('network (coarse)', results, (r) => r.coarsePx, table.rows),
  accuracy('reviewed (refiner + robust shape)', results, (r) => r.landmarksPx, table.rows),
];
/** Per-axis SD of the network's errors and its share above 8 mm (for the refiner's training offsets). */
const axisErrors = [...results].flatMap(([id, r]) =>
  r.coarsePx.flatMap((p, l) => p.map((v, a) => (v - table.rows.get(id)![l]![a]!) * SPACING[a]!)),
);
const axisSd = Math.sqrt(axisErrors.reduce((s, e) => s + e * e, 0) / axisErrors.length);
const axisOver8 = axisErrors.filter((e) => Math.abs(e) > 8).length / axisErrors.length;
const thresholds = args['min-confidence']!.split(',').map(Number);
const flagRows = [
  { rule: 'paper: deviation > 2 mm', flag: (c: Case) => c.paperAbnormal },
  { rule: 'robust shape outlier', flag: (c: Case) => c.shapeOutlier },
  ...thresholds.map((t) => ({ rule: `confidence < ${t}`, flag: (c: Case) => c.confidence < t })),
  ...thresholds.map((t) => ({
    rule: `shape outlier or confidence < ${t}`,
    flag: (c: Case) => c.shapeOutlier || c.confidence < t,
  })),
  { rule: "the product's flag (shape, confidence, paper)", flag: (c: Case) => c.productFlag },
].map((r) => ({
  rule: r.rule,
  over4: flagQuality(cases, r.flag, 4),
  over10: flagQuality(cases, r.flag, 10),
}));

if (args.json) {
  process.stdout.write(
    `${JSON.stringify({ model: args.model, images: ids.length, accuracy: rows, flags: flagRows })}\n`,
  );
} else {
  const pct = (v: number) => (Number.isNaN(v) ? '–' : `${(100 * v).toFixed(1)} %`);
  log(
    `### Review flags on ${args.heldout ? `the last ${args.heldout} training images` : `${ids.length} Test1 images`} (${args.model}, ${((Date.now() - started) / 60000).toFixed(1)} min)`,
  );
  log();
  log('| points | MRE (mm) | SD (mm) | SDR 2 mm | SDR 2.5 mm | SDR 3 mm | SDR 4 mm | > 10 mm |');
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    log(
      `| ${r.name} | ${r.mreMm.toFixed(2)} | ${r.sdMm.toFixed(2)} | ${r.sdr.map(pct).join(' | ')} | ${r.over10} |`,
    );
  log();
  log(
    `Network errors per axis: RMS ${axisSd.toFixed(2)} mm, ${(100 * axisOver8).toFixed(1)} % beyond 8 mm.`,
  );
  log();
  log(
    '| flag rule | flagged | recall > 4 mm | precision > 4 mm | recall > 10 mm | precision > 10 mm |',
  );
  log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of flagRows)
    log(
      `| ${r.rule} | ${r.over4.flagged} of ${cases.length} | ${pct(r.over4.recall)} (${r.over4.bad} off) | ${pct(r.over4.precision)} | ${pct(r.over10.recall)} (${r.over10.bad} off) | ${pct(r.over10.precision)} |`,
    );
}
