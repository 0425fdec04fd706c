// PACS outage mid-run: results are written to a disk-backed queue; Orthanc is stopped after a few
// results and restarted later on the same storage; every result ends up stored exactly once, nothing
// is lost, and re-sending a stored result does not create a second copy.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCephalogram } from '../../../extension/src/core/synthetic/index.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import { syntheticStudyFiles } from '../../../extension/src/dicom/studyFiles.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import {
  freePort,
  startOrthanc,
  type OrthancHandle,
} from '../../../extension/src/node/orthanc/orthancProcess.ts';
import { diskQueueStorage } from '../../../extension/src/node/resultQueue/diskQueueStorage.ts';
import { createPacsClient } from '../../../extension/src/pacs/pacsClient.ts';
import { ResultQueue } from '../../../extension/src/pacs/resultQueue.ts';
import { listLandmarkSrs } from '../../../extension/src/pacs/studyLoader.ts';

const root = mkdtempSync(join(tmpdir(), 'outage-'));
let orthanc: OrthancHandle | undefined;
afterAll(async () => {
  await orthanc?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('PACS outage during a run', () => {
  it('keeps results on disk while Orthanc is down and stores each exactly once after restart', async () => {
    const port = await freePort();
    const storageDir = join(root, 'pacs');
    const queueDir = join(root, 'queue');
    orthanc = await startOrthanc({ port, storageDir });
    const client = await createPacsClient({
      url: orthanc.dicomWebUrl,
      retry: { retries: 1, baseDelayMs: 20, maxDelayMs: 20 },
    });
    const study = syntheticStudyFiles(
      generateCephalogram({ seed: 21, width: 64, height: 80 }),
      true,
      1,
    );
    await client.store(study.files.slice(0, 1), study.studyUid);
    const base = study.landmarkSet;
    if (!base) throw new Error('labelled study without landmark set');
    const queue = new ResultQueue(diskQueueStorage(queueDir), client.store, {
      retries: Infinity,
      baseDelayMs: 50,
      maxDelayMs: 200,
    });

    // 10 results (e.g. 10 review sessions), each a new SR instance; the PACS goes down after 4.
    const results = Array.from({ length: 10 }, (_, i) => {
      const set = {
        ...base,
        landmarks: base.landmarks.map((l) => ({
          ...l,
          position: [l.position[0] + i, l.position[1]],
          status: 'pseudo-label' as const,
        })),
      };
      const sopUid = uidFromSeed(`outage/result/${i}`);
      const identity = {
        patientId: 'synthetic-cephalogram-ceph-a-21',
        patientName: 'Demo^synthetic-cephalogram-ceph-a-21',
        studyUid: study.studyUid,
        studyDate: '20260101',
        studyTime: '100001',
        studyId: '1',
        accessionNumber: 'A1',
      };
      return {
        sopUid,
        set,
        data: writeLandmarkSr(set, {
          study: identity,
          seriesUid: uidFromSeed('outage/sr-series'),
          sopUid,
        }),
      };
    });
    const reports = [];
    for (const [i, r] of results.entries()) {
      if (i === 4) await orthanc.stop(); // storage kept: storageDir was given
      await queue.enqueue(r.sopUid, study.studyUid, r.data);
      reports.push(await queue.flush(true));
    }
    expect(reports.slice(0, 4).every((r) => r.stored.length === 1 && r.pending.length === 0)).toBe(
      true,
    );
    expect(reports[9].pending).toHaveLength(6);
    expect(await queue.size()).toBe(6);
    expect(readdirSync(queueDir).filter((f) => f.endsWith('.dcm'))).toHaveLength(6);

    orthanc = await startOrthanc({ port, storageDir });
    const final = await queue.drain(Date.now() + 30_000);
    expect(final.pending).toEqual([]);
    expect(final.failed).toEqual([]);
    expect(await queue.size()).toBe(0);

    // Re-sending already stored results keeps one copy each.
    await client.store([results[0].data, results[5].data], study.studyUid);
    const stored = await listLandmarkSrs(client, study.studyUid);
    expect(stored).toHaveLength(10); // the study's own manual SR was not sent, only the image
    const bySop = new Map(stored.map((s) => [s.sr.sopUid, s]));
    for (const r of results) {
      const back = bySop.get(r.sopUid);
      expect(back).toBeDefined();
      back?.set.landmarks.forEach((l, k) =>
        l.position.forEach((v, d) => expect(v).toBeCloseTo(r.set.landmarks[k].position[d], 3)),
      );
    }
  });
});
