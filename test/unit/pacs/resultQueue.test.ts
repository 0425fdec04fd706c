// The outage-safe queue: nothing leaves storage before the PACS accepted it, transient failures are
// retried on a back-off schedule, permanent ones are kept and marked, the same UID is never stored twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ResultQueue,
  memoryQueueStorage,
  type QueueStorage,
} from '../../../extension/src/pacs/resultQueue.ts';
import { diskQueueStorage } from '../../../extension/src/node/resultQueue/diskQueueStorage.ts';

const bytes = (n: number) => new Uint8Array([n, n + 1, n + 2]).buffer;
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

/** A fake PACS that remembers stored UIDs (a set: storing twice keeps one copy, like Orthanc). */
function fakePacs() {
  const stored = new Map<string, number[]>();
  let down = false;
  let refuse = new Set<string>();
  return {
    stored,
    setDown: (v: boolean) => (down = v),
    refuse: (ids: string[]) => (refuse = new Set(ids)),
    store: async (files: ArrayBuffer[], studyUid: string) => {
      if (down) throw httpError(0);
      const id = `${studyUid}:${new Uint8Array(files[0])[0]}`;
      if (refuse.has(id)) throw httpError(400);
      stored.set(id, Array.from(new Uint8Array(files[0])));
    },
  };
}

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((f) => rmSync(f, { recursive: true, force: true })));

const storages: [string, () => QueueStorage][] = [
  ['memory', memoryQueueStorage],
  [
    'disk',
    () => {
      const folder = mkdtempSync(join(tmpdir(), 'queue-'));
      folders.push(folder);
      return diskQueueStorage(folder);
    },
  ],
];

describe.each(storages)('result queue on %s storage', (_name, makeStorage) => {
  it('keeps results while the PACS is down and stores each exactly once when it is back', async () => {
    let now = 1000;
    const pacs = fakePacs();
    const storage = makeStorage();
    const queue = new ResultQueue(
      storage,
      pacs.store,
      { retries: Infinity, baseDelayMs: 100, maxDelayMs: 1000 },
      () => now,
    );
    pacs.setDown(true);
    await queue.enqueue('1.2.1', '9.1', bytes(1));
    await queue.enqueue('1.2.2', '9.1', bytes(2));
    await queue.enqueue('1.2.2', '9.1', bytes(2)); // same UID again: one item
    expect(await queue.size()).toBe(2);
    let report = await queue.flush();
    expect(report.pending.sort()).toEqual(['1.2.1', '1.2.2']);
    expect(pacs.stored.size).toBe(0);
    pacs.setDown(false);
    report = await queue.flush(); // not due yet (back-off 100 ms)
    expect(report.stored).toEqual([]);
    now += 100;
    report = await queue.flush();
    expect(report.stored.sort()).toEqual(['1.2.1', '1.2.2']);
    expect(await queue.size()).toBe(0);
    expect([...pacs.stored.keys()].sort()).toEqual(['9.1:1', '9.1:2']);
    expect(pacs.stored.get('9.1:2')).toEqual([2, 3, 4]);
  });

  it('marks permanently refused results failed and keeps them', async () => {
    const pacs = fakePacs();
    pacs.refuse(['9.2:7']);
    const queue = new ResultQueue(makeStorage(), pacs.store);
    await queue.enqueue('1.3.7', '9.2', bytes(7));
    await queue.enqueue('1.3.8', '9.2', bytes(8));
    const report = await queue.flush();
    expect(report).toEqual({ stored: ['1.3.8'], pending: [], failed: ['1.3.7'] });
    expect(await queue.size()).toBe(1);
    expect((await queue.flush(true)).failed).toEqual(['1.3.7']);
  });
});

describe('disk queue storage', () => {
  it('survives a new process (a fresh storage on the same folder sees the items) and rejects non-UID ids', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'queue-'));
    folders.push(folder);
    await diskQueueStorage(folder).put({
      id: '1.2.3',
      studyUid: '4.5',
      data: bytes(5),
      attempts: 2,
      nextAttemptAt: 7,
      lastError: 'HTTP 503',
    });
    const [item] = await diskQueueStorage(folder).list();
    expect({ ...item, data: Array.from(new Uint8Array(item.data)) }).toEqual({
      id: '1.2.3',
      studyUid: '4.5',
      data: [5, 6, 7],
      attempts: 2,
      nextAttemptAt: 7,
      lastError: 'HTTP 503',
    });
    await expect(
      diskQueueStorage(folder).put({
        id: '../x',
        studyUid: '1',
        data: bytes(1),
        attempts: 0,
        nextAttemptAt: 0,
      }),
    ).rejects.toThrow(/not a DICOM UID/);
  });
});
