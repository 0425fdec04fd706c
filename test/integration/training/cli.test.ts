// `landmarks train | predict | refine | evaluate` on a folder of generated PNG cephalograms with the
// `tiny` preset: the commands run end to end, write the model folder and a prediction CSV whose error
// agrees with the training's own validation figure, and `evaluate --json` reports it; `--refine` adds a
// refiner (model/refiner/) that `predict` applies and `refine` retrains. Bad input fails with the file
// named.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idList, writeCephalogramFolder } from '../../support/cephalogramFolder.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/landmarks.js');
const landmarks = (dir: string, ...args: string[]) =>
  run('node', [BIN, ...args], { cwd: dir, maxBuffer: 1 << 24 });

async function writeStudyFolder(dir: string): Promise<void> {
  await writeCephalogramFolder(dir, 16);
  await writeFile(path.join(dir, 'labelled.txt'), idList(1, 6));
  await writeFile(path.join(dir, 'unlabelled.txt'), idList(7, 12));
  await writeFile(path.join(dir, 'validation.txt'), idList(13, 16));
}

describe('landmarks train / predict / evaluate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'landmarks-cli-'));
    await writeStudyFolder(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains a model folder, predicts a CSV and evaluates it', async () => {
    const train = await landmarks(
      dir,
      'train',
      '--images',
      'images',
      '--landmarks',
      'landmarks.csv',
      '--labelled',
      'labelled.txt',
      '--unlabelled',
      'unlabelled.txt',
      '--validation',
      'validation.txt',
      '--spacing',
      '1.6',
      '--method',
      'full',
      '--preset',
      'tiny',
      '--seed',
      '2',
      '--out',
      'model',
    );
    const best = /best validation MRE ([\d.]+) mm/.exec(train.stdout);
    expect(best).not.toBeNull();
    expect((await readdir(path.join(dir, 'model'))).sort()).toEqual([
      'landmarks-model.json',
      'model.json',
      'shape-model.json',
      'weights.bin',
    ]);
    const meta = JSON.parse(
      await readFile(path.join(dir, 'model', 'landmarks-model.json'), 'utf8'),
    );
    expect(meta).toMatchObject({
      method: 'full',
      seed: 2,
      preset: 'tiny',
      training: { labelled: 6, unlabelled: 6, validation: 4 },
    });

    await landmarks(
      dir,
      'predict',
      '--model',
      'model',
      '--images',
      'images',
      '--ids',
      'validation.txt',
      '--no-review',
      '--out',
      'pred.csv',
    );
    const csv = (await readFile(path.join(dir, 'pred.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(
      csv.slice(1).every((line) =>
        line
          .split(',')
          .slice(1)
          .every((v) => Number.isFinite(Number(v))),
      ),
    ).toBe(true);

    const evaluation = await landmarks(
      dir,
      'evaluate',
      '--pred',
      'pred.csv',
      '--truth',
      'landmarks.csv',
      '--spacing',
      '1.6',
      '--json',
    );
    const metrics = JSON.parse(evaluation.stdout);
    expect(metrics.caseCount).toBe(4);
    // The saved model is the best-validation checkpoint, so predict + evaluate must reproduce its MRE
    // (up to the CSV's 3 decimals).
    expect(metrics.overall.mreMm).toBeCloseTo(Number(best![1]), 1);
  });

  it('trains a refiner with --refine, predict applies it, and `refine` retrains it', async () => {
    await landmarks(
      dir,
      'train',
      '--images',
      'images',
      '--landmarks',
      'landmarks.csv',
      '--labelled',
      'labelled.txt',
      '--spacing',
      '1.6',
      '--method',
      'supervised',
      '--preset',
      'tiny',
      '--epochs',
      '0.5',
      '--refine',
      '--refine-steps',
      '6',
      '--out',
      'refined',
    );
    expect((await readdir(path.join(dir, 'refined', 'refiner'))).sort()).toEqual([
      'model.json',
      'refiner.json',
      'weights.bin',
    ]);
    const description = JSON.parse(
      await readFile(path.join(dir, 'refined', 'refiner', 'refiner.json'), 'utf8'),
    );
    expect(description).toMatchObject({
      format: 'landmarks-refiner',
      config: { landmarkCount: 19, patchShape: [32, 32], mmPerPixel: 0.8, passes: 2 },
      // 2 of the 6 labelled images are held out to decide the per-landmark gate.
      training: { images: 4, steps: 6, spacingMm: [1.6, 1.6] },
      gate: { source: 'held-out' },
    });
    const predict = async (out: string, ...extra: string[]) => {
      await landmarks(
        dir,
        'predict',
        '--model',
        'refined',
        '--images',
        'images',
        '--ids',
        'validation.txt',
        ...extra,
        '--out',
        out,
      );
      const lines = (await readFile(path.join(dir, out), 'utf8')).trim().split('\n');
      return lines.slice(1).map((line) => line.split(',').slice(1).map(Number));
    };
    // Without the shape review, which may re-read points of this tiny network on its own.
    const refined = await predict('refined.csv', '--no-review');
    const coarse = await predict('coarse.csv', '--no-refine', '--no-review');
    expect(refined).toHaveLength(4);
    expect(refined.flat().every(Number.isFinite)).toBe(true);
    // The refiner moved the coarse points, by less than half its field (2 passes · 12.8 mm / 1.6 mm).
    const moves = refined.flatMap((row, i) => row.map((v, k) => Math.abs(v - coarse[i]![k]!)));
    expect(Math.max(...moves)).toBeGreaterThan(0.01);
    expect(Math.max(...moves)).toBeLessThan(16);

    await landmarks(
      dir,
      'refine',
      '--model',
      'refined',
      '--images',
      'images',
      '--landmarks',
      'landmarks.csv',
      '--labelled',
      'labelled.txt',
      '--spacing',
      '1.6',
      '--steps',
      '3',
      '--seed',
      '4',
    );
    const again = JSON.parse(
      await readFile(path.join(dir, 'refined', 'refiner', 'refiner.json'), 'utf8'),
    );
    expect(again).toMatchObject({ config: { seed: 4 }, training: { steps: 3, seed: 4 } });
  });

  it('names the missing image and the bad option', async () => {
    await writeFile(path.join(dir, 'missing.txt'), '999\n');
    await expect(
      landmarks(
        dir,
        'train',
        '--images',
        'images',
        '--landmarks',
        'landmarks.csv',
        '--labelled',
        'missing.txt',
        '--spacing',
        '1.6',
        '--method',
        'supervised',
        '--preset',
        'tiny',
        '--out',
        'm2',
      ),
    ).rejects.toThrow(/image "999"/);
    await expect(
      landmarks(
        dir,
        'train',
        '--images',
        'images',
        '--landmarks',
        'landmarks.csv',
        '--labelled',
        'labelled.txt',
        '--method',
        'magic',
        '--out',
        'm3',
      ),
    ).rejects.toThrow(/magic/);
  });
});
