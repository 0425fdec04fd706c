// `npx landmarks pacs seed|import|list` against a fresh Orthanc, through the real CLI entry point.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCephalogram } from '../../../extension/src/core/synthetic/index.ts';
import { syntheticStudyFiles } from '../../../extension/src/dicom/studyFiles.ts';
import { diskQueueStorage } from '../../../extension/src/node/resultQueue/diskQueueStorage.ts';
import { startOrthanc, type TestOrthanc } from '../../support/orthanc.ts';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const ISBI = join(ROOT, '..', 'shared', 'data', 'isbi2015');
const cli = (args: string[]) =>
  run(process.execPath, [join(ROOT, 'bin', 'landmarks.js'), 'pacs', ...args], {
    cwd: ROOT,
    timeout: 120_000,
  });

let pacs: TestOrthanc;
const folder = mkdtempSync(join(tmpdir(), 'cli-'));
beforeAll(async () => {
  pacs = await startOrthanc();
});
afterAll(async () => {
  await pacs?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('landmarks pacs CLI', () => {
  it('seeds demo studies (2D + 3D, some labelled) and lists them with their annotation state', async () => {
    const seeded = await cli([
      'seed',
      '--url',
      pacs.dicomWebUrl,
      '--count',
      '3',
      '--volumes',
      '1',
      '--labelled',
      '1',
    ]);
    expect(seeded.stdout.match(/\| synthetic\//g)).toHaveLength(4);
    const listed = await cli(['list', '--url', pacs.dicomWebUrl]);
    expect(listed.stdout).toMatch(/4 studies, 2 annotated/);
    const ct = await cli(['list', '--url', pacs.dicomWebUrl, '--modality', 'CT']);
    expect(ct.stdout).toMatch(/1 studies, 1 annotated/);
  });

  it.skipIf(!existsSync(ISBI))(
    'imports ISBI 2015 images with manual SRs for the labelled ones; a missing image is reported',
    async () => {
      const ids = join(folder, 'ids.txt');
      writeFileSync(ids, '001\n002\n999\n');
      const labelled = join(folder, 'labelled.txt');
      writeFileSync(labelled, '001\n');
      const result = await cli([
        'import',
        '--url',
        pacs.dicomWebUrl,
        '--images',
        join(ISBI, 'images'),
        '--landmarks',
        join(ISBI, 'landmarks_mean.csv'),
        '--ids',
        ids,
        '--labelled',
        labelled,
      ]).catch((e: { stdout: string; code: number }) => e);
      expect(result.stdout).toMatch(/2 studies imported \(1 with a manual SR\), 1 failed/);
      expect(result.stdout).toMatch(/\| 999 \| no landmarks for image 999/);
      const listed = await cli(['list', '--url', pacs.dicomWebUrl, '--text', 'ISBI']);
      expect(listed.stdout).toMatch(/2 studies, 1 annotated/);
    },
  );

  it('flush sends the results a previous run left in the disk queue', async () => {
    const study = syntheticStudyFiles(
      generateCephalogram({ seed: 31, width: 64, height: 80 }),
      true,
      1,
    );
    const queueDir = join(folder, 'queue');
    const storage = diskQueueStorage(queueDir);
    for (const [i, data] of study.files.entries()) {
      await storage.put({
        id: `2.25.${31000 + i}`,
        studyUid: study.studyUid,
        data,
        attempts: 3,
        nextAttemptAt: 0,
        lastError: 'HTTP status 0',
      });
    }
    const flushed = await cli(['flush', '--url', pacs.dicomWebUrl, '--queue', queueDir]);
    expect(flushed.stdout).toMatch(/2 stored, 0 still waiting, 0 refused/);
    expect(await storage.list()).toEqual([]);
    const listed = await cli(['list', '--url', pacs.dicomWebUrl, '--patient', '*ceph*-31']);
    expect(listed.stdout).toMatch(/1 studies, 1 annotated/);
  });
});
