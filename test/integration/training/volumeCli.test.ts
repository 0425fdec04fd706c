// `landmarks train | predict | evaluate` on a folder of DICOM series (one generated CBCT volume per
// sub-folder, 3D landmark CSV in voxels): the commands run end to end on volumes, the prediction CSV is
// 3D and finite, and predict + evaluate reproduce the training's own best validation MRE (an independent
// path: DICOM reader → detector → CSV → metrics).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLandmarkTable } from '../../../extension/src/core/data/landmarkTable.ts';
import { generateCbctVolume } from '../../../extension/src/core/synthetic/index.ts';
import { syntheticStudyFiles } from '../../../extension/src/dicom/studyFiles.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/landmarks.js');
const landmarks = (dir: string, ...args: string[]) =>
  run('node', [BIN, ...args], { cwd: dir, maxBuffer: 1 << 24 });
const SPACING_MM = 6;
const IDS = ['001', '002', '003', '004', '005'];

async function writeVolumeFolder(dir: string): Promise<void> {
  const rows = new Map<string, number[][]>();
  for (const [i, id] of IDS.entries()) {
    const v = generateCbctVolume({
      seed: 20 + i,
      width: 32,
      height: 28,
      depth: 24,
      spacingMm: [SPACING_MM, SPACING_MM, SPACING_MM],
    });
    const folder = path.join(dir, 'volumes', id);
    await mkdir(folder, { recursive: true });
    const { files } = syntheticStudyFiles(v, false, i + 1);
    for (const [k, bytes] of files.entries())
      await writeFile(path.join(folder, `slice${k}.dcm`), new Uint8Array(bytes));
    // Generator voxel centres are integers; the CSV convention is voxel i covering [i, i+1).
    rows.set(
      id,
      v.landmarksPx.map((p) => p.map((x) => x + 0.5)),
    );
  }
  const landmarkCount = rows.get(IDS[0]!)!.length;
  await writeFile(
    path.join(dir, 'landmarks.csv'),
    formatLandmarkTable({ dimension: 3, landmarkCount, rows }),
  );
  await writeFile(path.join(dir, 'labelled.txt'), IDS.slice(0, 3).join('\n'));
  await writeFile(path.join(dir, 'validation.txt'), IDS.slice(3).join('\n'));
}

describe('landmarks train / predict / evaluate on DICOM volume folders', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'landmarks-volume-cli-'));
    await writeVolumeFolder(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains a 3D model, predicts a 3D CSV and evaluates it to the training validation MRE', async () => {
    const train = await landmarks(
      dir,
      'train',
      '--images',
      'volumes',
      '--landmarks',
      'landmarks.csv',
      '--labelled',
      'labelled.txt',
      '--validation',
      'validation.txt',
      '--spacing',
      String(SPACING_MM),
      '--method',
      'supervised',
      '--preset',
      'tiny',
      '--seed',
      '3',
      '--out',
      'model',
    );
    const best = /best validation MRE ([\d.]+) mm/.exec(train.stdout);
    expect(best).not.toBeNull();
    const meta = JSON.parse(
      await readFile(path.join(dir, 'model', 'landmarks-model.json'), 'utf8'),
    );
    expect(meta.network.architecture).toBe('unet3d');

    await landmarks(
      dir,
      'predict',
      '--model',
      'model',
      '--images',
      'volumes',
      '--ids',
      'validation.txt',
      '--out',
      'pred.csv',
    );
    const csv = (await readFile(path.join(dir, 'pred.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toMatch(/^image,x1,y1,z1,/);
    expect(csv).toHaveLength(3);
    const values = csv.slice(1).flatMap((line) => line.split(',').slice(1).map(Number));
    expect(values.every(Number.isFinite)).toBe(true);

    const evaluation = await landmarks(
      dir,
      'evaluate',
      '--pred',
      'pred.csv',
      '--truth',
      'landmarks.csv',
      '--spacing',
      String(SPACING_MM),
      '--json',
    );
    const metrics = JSON.parse(evaluation.stdout);
    expect(metrics.caseCount).toBe(2);
    expect(metrics.overall.mreMm).toBeCloseTo(Number(best![1]), 1);
  });
});
