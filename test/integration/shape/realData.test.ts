// Real shapes (ISBI 2015 cephalograms, hand radiographs) from ../shared/data; skipped when absent.
// Bounds are the figures measured by bench/shapeRealData.ts (README "Shape regulator") with margins:
// robust properties, not exact numbers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA, evaluateSplit, handSplit, isbiSplit } from '../../../bench/shapeRealData.ts';

const hasData = existsSync(path.join(DEFAULT_DATA, 'isbi2015', 'train.txt'));
const rate = (a: number, b: number) => a / b;

describe.skipIf(!hasData)('shape regulator on real shapes', () => {
  it('ISBI: model on 150 training shapes; clean Test1 shapes rarely flagged; 20 mm caught', () => {
    const { model, evaluation: e } = evaluateSplit(isbiSplit(), { landmarks: 'random', seed: 5 });
    expect(model.trainingCount).toBe(150);
    expect(model.procrustes.converged).toBe(true);
    // 19 landmarks → 38 coordinates − 4 similarity d.o.f.: at most 34 modes (measured: 34).
    expect(model.components.length).toBeGreaterThanOrEqual(25);
    expect(model.components.length).toBeLessThanOrEqual(34);
    expect(rate(e.cleanImagesFlagged, e.images)).toBeLessThanOrEqual(0.05); // measured 0 %
    const [d3, d5, d10, d20] = e.displaced.map((d) => rate(d.detected, d.trials)) as number[];
    expect(d20).toBeGreaterThanOrEqual(0.75); // measured ≈ 0.9
    expect(d3).toBeLessThanOrEqual(d10!); // detection grows with the displacement
    expect(d5).toBeLessThanOrEqual(d20!);
  });

  it('hands, CV set 1 (landmarks 1–5 at 50 mm): few clean flags, 20 mm caught', () => {
    const { model, evaluation: e } = evaluateSplit(handSplit(1), { landmarks: 'random', seed: 6 });
    expect(model.meanShape.length).toBe(37);
    expect(model.components.length).toBeLessThanOrEqual(70); // measured 69
    expect(rate(e.cleanImagesFlagged, e.images)).toBeLessThanOrEqual(0.05); // measured 1.0 %
    const [d3, , d10, d20] = e.displaced.map((d) => rate(d.detected, d.trials)) as number[];
    expect(d20).toBeGreaterThanOrEqual(0.8); // measured ≈ 0.95
    expect(d3).toBeLessThanOrEqual(d10!);
  });

  it('the CLI fits and checks the ISBI files as the README says', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shape-cli-'));
    const isbi = path.join(DEFAULT_DATA, 'isbi2015');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['bin/landmarks.js', 'shape', ...args], { encoding: 'utf8' });
    const fit = run([
      'fit',
      '--landmarks',
      path.join(isbi, 'landmarks_mean.csv'),
      '--ids',
      path.join(isbi, 'train.txt'),
      '--spacing',
      '0.1',
      '--out',
      path.join(dir, 'model.json'),
    ]);
    expect(fit.stderr).toBe('');
    expect(fit.stdout).toMatch(/150 shapes, 19 landmarks, 2D/);
    const check = run([
      'check',
      '--model',
      path.join(dir, 'model.json'),
      '--landmarks',
      path.join(isbi, 'landmarks_junior.csv'),
      '--ids',
      path.join(isbi, 'test1.txt'),
      '--spacing',
      '0.1',
      '--out',
      path.join(dir, 'report.csv'),
    ]);
    expect(check.status).toBe(0);
    const lines = readFileSync(path.join(dir, 'report.csv'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(1 + 150 * 19);
    expect(lines[1]).toMatch(/^151,1,[\d.]+,[\d.]+,[\d.]+,[01]$/);
  });
});
