import { ResultQueue, type FlushReport, type QueueStorage } from '../../pacs/resultQueue.ts';
import type { RetryPolicy } from '../../pacs/retry.ts';

/** What the panel shows about results not yet in the PACS. */
export interface QueueStatus {
  /** Results kept (in IndexedDB) until the PACS accepts them, refused ones included. */
  waiting: number;
  /** Of those, refused permanently by the PACS (kept, not retried). */
  refused: number;
  /** Epoch ms of the next automatic retry, when one is scheduled. */
  nextRetryAt?: number;
  lastError?: string;
}

/** Retry policy in the viewer: unbounded attempts, 1 s doubling up to 15 s. */
export const VIEWER_QUEUE_RETRY: RetryPolicy = {
  retries: Infinity,
  baseDelayMs: 1000,
  maxDelayMs: 15_000,
};

/** Outcome of {@link PacsResultQueue.save}. */
export type SaveOutcome = 'stored' | 'queued';

/**
 * Every SR the viewer stores goes through here: it is first written to durable storage (IndexedDB in the
 * viewer), then sent; when the PACS is down it stays there and is retried with back-off (and at every
 * {@link resume}, e.g. after a reload), so it reaches the PACS exactly once (items are keyed by SOP
 * Instance UID; the PACS keeps one instance per UID). Flushes never overlap. Timers and clock are
 * injected for tests.
 */
export class PacsResultQueue {
  private readonly queue: ResultQueue;
  private running: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: QueueStatus = { waiting: 0, refused: 0 };

  constructor(
    private readonly storage: QueueStorage,
    store: (file: ArrayBuffer, studyUid: string) => Promise<void>,
    private readonly onChange: (status: QueueStatus) => void,
    policy: RetryPolicy = VIEWER_QUEUE_RETRY,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = new ResultQueue(storage, ([file], studyUid) => store(file, studyUid), policy, now);
  }

  /** Current status (as last computed). */
  status(): QueueStatus {
    return this.current;
  }

  /**
   * Keeps the SR durably, then tries to send it (and anything else due). Resolves `stored` when the PACS
   * accepted it, `queued` when it waits for the PACS; rejects when the PACS refused it permanently.
   */
  async save(sopUid: string, studyUid: string, file: ArrayBuffer): Promise<SaveOutcome> {
    await this.queue.enqueue(sopUid, studyUid, file);
    // A new item is due at once; the others keep their back-off.
    const report = await this.flush(false);
    if (report.failed.includes(sopUid)) {
      const item = (await this.storage.list()).find((i) => i.id === sopUid);
      throw new Error(
        `the PACS refused SR ${sopUid} (study ${studyUid}): ${item?.lastError ?? 'unknown error'}; ` +
          'it is kept in the browser',
      );
    }
    return report.stored.includes(sopUid) ? 'stored' : 'queued';
  }

  /** Sends what a previous page left behind (call once the viewer is up). */
  resume(): Promise<FlushReport> {
    return this.flush(true);
  }

  /** Tries every waiting result now, ignoring the back-off ("Retry now"). */
  retryNow(): Promise<FlushReport> {
    return this.flush(true);
  }

  /** Stops the retry timer (mode exit). Kept results stay in storage for the next visit. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(force: boolean): Promise<FlushReport> {
    const run = this.running.then(async () => {
      const report = await this.queue.flush(force);
      await this.refresh();
      return report;
    });
    this.running = run.catch(() => undefined);
    return run;
  }

  private async refresh(): Promise<void> {
    const items = await this.storage.list();
    const live = items.filter((i) => !i.failed);
    const next = live.length ? Math.min(...live.map((i) => i.nextAttemptAt)) : undefined;
    this.stop();
    if (next !== undefined) {
      const delay = Math.max(50, next - this.now());
      this.timer = setTimeout(() => void this.flush(false), delay);
    }
    const last = [...items].reverse().find((i) => i.lastError);
    this.current = {
      waiting: items.length,
      refused: items.length - live.length,
      ...(next !== undefined ? { nextRetryAt: next } : {}),
      ...(last?.lastError ? { lastError: last.lastError } : {}),
    };
    this.onChange(this.current);
  }
}
