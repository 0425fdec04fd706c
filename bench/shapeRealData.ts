/**
 * Real-data evaluation of the shape regulator (issue 2): fit on the ISBI 2015 training shapes and on
 * each hand CV fold's training shapes, then report false flags on the clean held-out shapes and the
 * detection rate of one displaced landmark (3, 5, 10, 20 mm). Prints markdown tables.
 *
 *   npx tsx bench/shapeRealData.ts [--data ../shared/data] [--hand-landmarks every|random]
 *
 * The functions are reused by test/integration/shape/realData.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseIdList,
  parseLandmarkTable,
  selectRows,
  type LandmarkTable,
} from '../extension/src/core/data/landmarkTable.ts';
import {
  evaluateDetection,
  type DetectionEvaluation,
  type DetectionOptions,
} from '../extension/src/core/shape/evaluateDetection.ts';
import { fitShapeModel } from '../extension/src/core/shape/fitShapeModel.ts';
import { pixelsToMm, spacingFromLandmarkDistance } from '../extension/src/core/shape/spacing.ts';
import type { Shape, ShapeModel } from '../extension/src/core/shape/types.ts';

/** Default location of the shared data, relative to the repository root. */
export const DEFAULT_DATA = path.resolve(fileURLToPath(import.meta.url), '../../../shared/data');

/** A train/test split of real shapes in mm, with a name. */
export interface RealSplit {
  name: string;
  train: Shape[];
  test: Shape[];
}

function rowsMm(table: LandmarkTable, idsFile: string, toMm: (px: number[][]) => Shape): Shape[] {
  const ids = parseIdList(readFileSync(idsFile, 'utf8'), { source: idsFile });
  return [...selectRows(table, ids, { source: idsFile }).rows.values()].map(toMm);
}

/** ISBI 2015: 150 training shapes, 150 Test1 shapes, mean of the two doctors, 0.1 mm spacing. */
export function isbiSplit(data = DEFAULT_DATA): RealSplit {
  const dir = path.join(data, 'isbi2015');
  const csv = path.join(dir, 'landmarks_mean.csv');
  const table = parseLandmarkTable(readFileSync(csv, 'utf8'), { source: csv });
  const toMm = (px: number[][]) => pixelsToMm(px, 0.1);
  return {
    name: 'ISBI 2015 (train → Test1)',
    train: rowsMm(table, path.join(dir, 'train.txt'), toMm),
    test: rowsMm(table, path.join(dir, 'test1.txt'), toMm),
  };
}

/** Hand shapes, CV fold `set` (1–3), scaled per image so that landmarks 1 and 5 are 50 mm apart. */
export function handSplit(set: number, data = DEFAULT_DATA): RealSplit {
  const dir = path.join(data, 'hand-xray-shapes');
  const csv = path.join(dir, 'landmarks.csv');
  const table = parseLandmarkTable(readFileSync(csv, 'utf8'), { source: csv });
  const toMm = (px: number[][]) => pixelsToMm(px, spacingFromLandmarkDistance(px, 1, 5, 50));
  return {
    name: `hands, CV set ${set}`,
    train: rowsMm(table, path.join(dir, 'cv', `set${set}`, 'train.txt'), toMm),
    test: rowsMm(table, path.join(dir, 'cv', `set${set}`, 'test.txt'), toMm),
  };
}

/** Fits on the split's training shapes and evaluates on its test shapes. */
export function evaluateSplit(
  split: RealSplit,
  options: DetectionOptions = {},
): { model: ShapeModel; evaluation: DetectionEvaluation } {
  const model = fitShapeModel(split.train);
  return { model, evaluation: evaluateDetection(model, split.test, options) };
}

const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)} %`;

/** Markdown rows for one evaluated split. */
export function markdownRows(
  split: RealSplit,
  model: ShapeModel,
  e: DetectionEvaluation,
): string[] {
  const head = `| ${split.name} | ${split.train.length} / ${split.test.length} | ${model.components.length} | ${model.normality.filter((m) => m.p < 0.05).length} | ${e.cleanImagesFlagged} / ${e.images} (${pct(e.cleanImagesFlagged, e.images)}) |`;
  return [
    head +
      e.displaced
        .map(
          (d) =>
            ` ${pct(d.detected, d.trials)} (${pct(d.onlyDisplaced, d.trials)}, ${pct(d.othersFlagged, d.othersTotal)}) |`,
        )
        .join(''),
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const data = args.includes('--data') ? args[args.indexOf('--data') + 1]! : DEFAULT_DATA;
  const handMode = args.includes('--hand-landmarks')
    ? args[args.indexOf('--hand-landmarks') + 1]
    : 'every';
  if (!existsSync(path.join(data, 'isbi2015'))) {
    throw new Error(`no real data at ${data} (pass --data <dir>)`);
  }
  const lines = [
    '| data | train / test | modes K | modes p<0.05 | clean test shapes flagged | detected at 3 mm | 5 mm | 10 mm | 20 mm |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const splits: [RealSplit, DetectionOptions][] = [
    [isbiSplit(data), { landmarks: 'every', seed: 1 }],
    ...[1, 2, 3].map((s): [RealSplit, DetectionOptions] => [
      handSplit(s, data),
      { landmarks: handMode === 'random' ? 'random' : 'every', seed: s },
    ]),
  ];
  for (const [split, options] of splits) {
    const { model, evaluation } = evaluateSplit(split, options);
    lines.push(...markdownRows(split, model, evaluation));
  }
  process.stdout.write(
    `${lines.join('\n')}\n\nDetected: the displaced landmark is flagged (Z = 2 mm, ±3σ). In brackets: ` +
      `only that landmark flagged; share of the other landmarks flagged. Directions random, seeded.\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
