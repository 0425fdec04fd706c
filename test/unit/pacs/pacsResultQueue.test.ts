// The viewer's SR save path (issue 5): every SR is kept in the queue storage before it is sent; with
// the PACS down it waits and is retried on a back-off timer, after a "reload" (a new queue over the same
// storage) it is sent by resume(), and the PACS receives each SOP Instance exactly once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryQueueStorage } from '../../../extension/src/pacs/resultQueue.ts';
import {
  PacsResultQueue,
  type QueueStatus,
} from '../../../extension/src/ohif/services/pacsResultQueue.ts';
import { StowError } from '../../../extension/src/ohif/services/stowRs.ts';

/** A fake PACS: up or down (HTTP 502 from the proxy), or refusing (400); counts what it stored. */
function fakePacs() {
  const pacs = { mode: 'up' as 'up' | 'down' | 'refuse', stored: [] as number[] };
  const store = async (file: ArrayBuffer) => {
    if (pacs.mode === 'down') throw new StowError('STOW-RS: HTTP 502', 502);
    if (pacs.mode === 'refuse') throw new StowError('STOW-RS: HTTP 400', 400);
    pacs.stored.push(new Uint8Array(file)[0]);
  };
  return { pacs, store };
}

const file = (tag: number) => new Uint8Array([tag, 1, 2, 3]).buffer;
const policy = { retries: Infinity, baseDelayMs: 1000, maxDelayMs: 4000 };

afterEach(() => vi.useRealTimers());

describe('PacsResultQueue (viewer saves through the result queue)', () => {
  it('stores at once when the PACS is up and reports nothing waiting', async () => {
    const { pacs, store } = fakePacs();
    const seen: QueueStatus[] = [];
    const q = new PacsResultQueue(memoryQueueStorage(), store, (s) => seen.push(s), policy);
    expect(await q.save('1.1', '9', file(1))).toBe('stored');
    expect(pacs.stored).toEqual([1]);
    expect(q.status()).toEqual({ waiting: 0, refused: 0 });
    expect(seen.at(-1)?.waiting).toBe(0);
  });

  it('keeps an SR while the PACS is down, retries on the back-off timer, sends it once', async () => {
    vi.useFakeTimers();
    const { pacs, store } = fakePacs();
    const storage = memoryQueueStorage();
    const q = new PacsResultQueue(storage, store, () => undefined, policy);
    pacs.mode = 'down';
    expect(await q.save('1.1', '9', file(1))).toBe('queued');
    expect(q.status()).toMatchObject({ waiting: 1, refused: 0, lastError: 'STOW-RS: HTTP 502' });
    expect(q.status().nextRetryAt).toBe(Date.now() + 1000); // first back-off step
    await vi.advanceTimersByTimeAsync(1100); // still down: second attempt, next in 2 s
    expect((await storage.list())[0].attempts).toBe(2);
    pacs.mode = 'up';
    await vi.advanceTimersByTimeAsync(2100);
    expect(pacs.stored).toEqual([1]);
    expect(q.status().waiting).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000); // nothing left, nothing sent again
    expect(pacs.stored).toEqual([1]);
    q.stop();
  });

  it('sends after a reload (a new queue over the same storage) exactly once, even when asked twice', async () => {
    const { pacs, store } = fakePacs();
    const storage = memoryQueueStorage();
    const first = new PacsResultQueue(storage, store, () => undefined, policy);
    pacs.mode = 'down';
    await first.save('1.1', '9', file(1));
    await first.save('1.2', '9', file(2));
    first.stop(); // the page goes away
    pacs.mode = 'up';
    const second = new PacsResultQueue(storage, store, () => undefined, policy);
    await Promise.all([second.resume(), second.retryNow()]); // flushes never overlap
    second.stop();
    expect(pacs.stored.sort()).toEqual([1, 2]);
    expect(await storage.list()).toEqual([]);
  });

  it('rejects a permanently refused SR naming it, and keeps it marked refused', async () => {
    const { pacs, store } = fakePacs();
    const storage = memoryQueueStorage();
    const q = new PacsResultQueue(storage, store, () => undefined, policy);
    pacs.mode = 'refuse';
    await expect(q.save('1.9', '7.7', file(9))).rejects.toThrow(
      /PACS refused SR 1\.9 \(study 7\.7\): STOW-RS: HTTP 400/,
    );
    expect(q.status()).toMatchObject({ waiting: 1, refused: 1 });
    expect(q.status().nextRetryAt).toBeUndefined();
    q.stop();
  });
});
