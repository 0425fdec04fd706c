/**
 * `npm run bench:shape`: time per regulation (19 landmarks 2D, 37 landmarks 2D, 33 landmarks 3D, with and
 * without missing landmarks) and fit time for 150 and 900 shapes. Real shapes (ISBI, hands) when
 * ../shared/data is there, generated ones otherwise. Prints a markdown table. Not a test.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fitShapeModel } from '../extension/src/core/shape/fitShapeModel.ts';
import {
  gaussian,
  makeShapePopulation,
  seededRandom,
} from '../extension/src/core/shape/randomShapes.ts';
import { regulateShape } from '../extension/src/core/shape/regulateShape.ts';
import type { Shape, ShapeModel } from '../extension/src/core/shape/types.ts';
import { DEFAULT_DATA, handSplit, isbiSplit } from './shapeRealData.ts';

const hasData = existsSync(path.join(DEFAULT_DATA, 'isbi2015', 'train.txt'));
const normal = gaussian(seededRandom(99));

/** Median and 95th percentile of a list of times, ms. */
function stats(times: number[]): { median: number; p95: number } {
  const s = [...times].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.floor(s.length * 0.95)]! };
}

/** Adds 1 mm noise per coordinate (so the clamp has work) and optionally hides some landmarks. */
function perturb(shapes: Shape[], missing: number): Shape[] {
  return shapes.map((s) =>
    s.map((p, i) => (i < missing ? p.map(() => NaN) : p.map((v) => v + normal()))),
  );
}

/** Times `regulateShape` over the probes, after a warm-up pass. */
function timeRegulation(model: ShapeModel, probes: Shape[], repeats: number): number[] {
  for (const p of probes) regulateShape(model, p);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const p of probes) {
      const t0 = performance.now();
      regulateShape(model, p);
      times.push(performance.now() - t0);
    }
  }
  return times;
}

/** Times `fitShapeModel` (best and median of a few runs). */
function timeFit(shapes: Shape[], runs: number): number[] {
  return Array.from({ length: runs }, () => {
    const t0 = performance.now();
    fitShapeModel(shapes);
    return performance.now() - t0;
  });
}

function populations() {
  // Training and held-out shapes come from ONE generated population (same base shape and modes).
  const gen = (landmarks: number, dimension: 2 | 3, count: number, seed: number) =>
    makeShapePopulation({ landmarks, dimension, count, seed, modes: 8, noiseMm: 0.5 });
  const split = (shapes: Shape[], train: number) => ({
    name: 'generated',
    train: shapes.slice(0, train),
    test: shapes.slice(train),
  });
  const isbi = hasData ? isbiSplit() : null;
  const hands = hasData ? handSplit(1) : null;
  return {
    r19: isbi
      ? { name: 'ISBI (real)', train: isbi.train, test: isbi.test }
      : split(gen(19, 2, 300, 1), 150),
    r37: hands
      ? { name: 'hands set 1 (real)', train: hands.train, test: hands.test }
      : split(gen(37, 2, 900, 3), 600),
    r33: split(gen(33, 3, 300, 5), 150),
    fit150: isbi
      ? { name: '19 lm 2D, ISBI train (real)', shapes: isbi.train }
      : { name: '19 lm 2D, generated', shapes: gen(19, 2, 150, 7) },
    fit900: { name: '19 lm 2D, generated', shapes: gen(19, 2, 900, 8) },
    fit900h: hands
      ? { name: '37 lm 2D, all 895 CV hands (real)', shapes: [...hands.train, ...hands.test] }
      : null,
  };
}

function main(): void {
  const p = populations();
  const lines = [
    `Node ${process.version}, ${process.platform}/${process.arch}; 1 mm noise added to held-out shapes.`,
    '',
    '| regulation | shapes | K | missing | median ms | p95 ms |',
    '|---|---|---|---|---|---|',
  ];
  for (const [label, c] of [
    ['19 landmarks, 2D', p.r19],
    ['37 landmarks, 2D', p.r37],
    ['33 landmarks, 3D', p.r33],
  ] as const) {
    const model = fitShapeModel(c.train);
    for (const missing of [0, 3]) {
      const t = stats(timeRegulation(model, perturb(c.test, missing), 5));
      lines.push(
        `| ${label} | ${c.name} | ${model.components.length} | ${missing} | ${t.median.toFixed(3)} | ${t.p95.toFixed(3)} |`,
      );
    }
  }
  lines.push('', '| fit | shapes | median ms of 3 |', '|---|---|---|');
  for (const f of [p.fit150, p.fit900, p.fit900h]) {
    if (!f) continue;
    lines.push(
      `| ${f.shapes.length} shapes | ${f.name} | ${stats(timeFit(f.shapes, 3)).median.toFixed(0)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
