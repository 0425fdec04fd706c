// End to end: `node bin/landmarks.js shape fit|check` on generated 2D and 3D tables written to a temp
// folder; the report is checked against the library called directly on the same shapes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLandmarkTable } from '../../../extension/src/core/data/landmarkTable.ts';
import {
  fitShapeModel,
  mmToPixels,
  parseShapeModel,
  regulateShape,
} from '../../../extension/src/core/shape/index.ts';
import { makeShapePopulation } from '../../../extension/src/core/shape/randomShapes.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'landmarks-shape-'));
const file = (name: string) => path.join(dir, name);
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/landmarks.js', 'shape', ...args], { encoding: 'utf8' });

/** Writes a table of generated shapes (mm) as pixels at `spacing` and returns the shapes in mm. */
function writeTable(
  name: string,
  dimension: 2 | 3,
  count: number,
  spacing: number[],
  seed: number,
) {
  const mm = makeShapePopulation({ landmarks: 6, dimension, count, seed, noiseMm: 0.05, modes: 2 });
  const rows = new Map(
    mm.map((s, i) => [`img${String(i + 1).padStart(3, '0')}`, mmToPixels(s, spacing)]),
  );
  writeFileSync(file(name), formatLandmarkTable({ dimension, landmarkCount: 6, rows }));
  return { mm, ids: [...rows.keys()] };
}

describe('landmarks shape fit / check', () => {
  it('2D: fits on listed ids, reports X_γ in pixels and flags a displaced landmark', () => {
    const { ids } = writeTable('train.csv', 2, 30, [0.2, 0.2], 1);
    writeFileSync(
      file('train.txt'),
      `${ids
        .slice(0, 25)
        .map((id) => `${id}.jpg`)
        .join('\n')}\n`,
    );
    const fit = run(
      'fit',
      '--landmarks',
      file('train.csv'),
      '--ids',
      file('train.txt'),
      '--spacing',
      '0.2',
      '--out',
      file('m2.json'),
    );
    expect(fit.stderr).toBe('');
    expect(fit.stdout).toMatch(/25 shapes, 6 landmarks, 2D/);
    expect(fit.stdout).toMatch(/modes kept: \d+ of 12/);
    const model = parseShapeModel(readFileSync(file('m2.json'), 'utf8'));
    expect(model.trainingCount).toBe(25);

    // A test table: a model-like shape plus one with landmark 3 moved 15 mm (75 px).
    const { mm } = writeTable('test.csv', 2, 2, [0.2, 0.2], 1);
    const text = readFileSync(file('test.csv'), 'utf8').split('\n');
    const cells = text[2]!.split(',');
    cells[5] = String(Number(cells[5]) + 75);
    text[2] = cells.join(',');
    writeFileSync(file('test.csv'), text.join('\n'));
    const check = run(
      'check',
      '--model',
      file('m2.json'),
      '--landmarks',
      file('test.csv'),
      '--spacing',
      '0.2',
      '--out',
      file('r2.csv'),
    );
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/images with abnormal landmarks: 1 of 2/);
    const report = readFileSync(file('r2.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('image,landmark,x_gamma,y_gamma,deviation_mm,abnormal');
    expect(report).toHaveLength(1 + 2 * 6);
    const moved = mm[1]!.map((p, i) => (i === 2 ? [p[0]! + 15, p[1]!] : p));
    const direct = regulateShape(model, moved);
    report.slice(7).forEach((line, i) => {
      const [image, landmark, x, y, dev, abnormal] = line.split(',');
      expect([image, Number(landmark)]).toEqual(['img002', i + 1]);
      expect(Number(x)).toBeCloseTo(direct.gamma[i]![0]! / 0.2, 3);
      expect(Number(y)).toBeCloseTo(direct.gamma[i]![1]! / 0.2, 3);
      expect(Number(dev)).toBeCloseTo(direct.deviationMm[i]!, 3);
      expect(abnormal).toBe(direct.abnormal[i] ? '1' : '0');
    });
    expect(report[9]!.endsWith(',1')).toBe(true);
  });

  it('3D with anisotropic spacing and a missing landmark: z column, estimated landmark unflagged', () => {
    writeTable('t3.csv', 3, 20, [0.3, 0.3, 0.5], 2);
    const fit = run(
      'fit',
      '--landmarks',
      file('t3.csv'),
      '--spacing',
      '0.3,0.3,0.5',
      '--out',
      file('m3.json'),
    );
    expect(fit.stdout).toMatch(/20 shapes, 6 landmarks, 3D/);
    const lines = readFileSync(file('t3.csv'), 'utf8').split('\n').slice(0, 2);
    lines[1] = lines[1]!
      .split(',')
      .map((c, i) => (i >= 4 && i <= 6 ? '' : c))
      .join(',');
    writeFileSync(file('p3.csv'), `${lines.join('\n')}\n`);
    const check = run(
      'check',
      '--model',
      file('m3.json'),
      '--landmarks',
      file('p3.csv'),
      '--spacing',
      '0.3,0.3,0.5',
      '--z',
      '1',
      '--sigma',
      '2.5',
      '--out',
      file('r3.csv'),
    );
    expect(check.stdout).toMatch(/±2.5σ, Z = 1 mm/);
    const report = readFileSync(file('r3.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('image,landmark,x_gamma,y_gamma,z_gamma,deviation_mm,abnormal');
    expect(report[2]).toMatch(/^img001,2,-?[\d.]+,-?[\d.]+,-?[\d.]+,0,0$/);
    expect(report.join()).not.toMatch(/NaN/);
  });

  it('fails with a message naming the file and the problem, exit code 1', () => {
    writeFileSync(file('bad.csv'), 'image,x1,y1,x2,y2,x3,y3\na,1,2,3,oops,5,6\n');
    const bad = run(
      'fit',
      '--landmarks',
      file('bad.csv'),
      '--spacing',
      '1',
      '--out',
      file('x.json'),
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.csv, line 2, column 5: "oops" is not a finite number/);
    const zero = run(
      'fit',
      '--landmarks',
      file('train.csv'),
      '--spacing',
      '0',
      '--out',
      file('x.json'),
    );
    expect(zero.stderr).toMatch(/--spacing must be a positive number, got "0"/);
    const mismatch = run(
      'check',
      '--model',
      file('m3.json'),
      '--landmarks',
      file('train.csv'),
      '--spacing',
      '1',
      '--out',
      file('x.csv'),
    );
    expect(mismatch.stderr).toMatch(/has 6 2D landmarks, the model .* has 6 3D/);
  });
});

it('agrees with fitting the library directly (same model bit for bit)', () => {
  const { mm } = writeTable('same.csv', 2, 12, [0.5, 0.5], 3);
  run('fit', '--landmarks', file('same.csv'), '--spacing', '0.5', '--out', file('same.json'));
  const viaCli = parseShapeModel(readFileSync(file('same.json'), 'utf8'));
  const direct = fitShapeModel(
    mm.map((s) => mmToPixels(s, 0.5)).map((s) => s.map((p) => p.map((v) => v * 0.5))),
  );
  expect(viaCli.meanShape).toEqual(direct.meanShape);
  expect(viaCli.sigma).toEqual(direct.sigma);
});
