/**
 * Outage-safe queue of results (SR files) waiting to be stored in the PACS. Pure logic over a pluggable
 * {@link QueueStorage} (disk in Node: `node/resultQueue/diskQueueStorage.ts`; IndexedDB in the browser)
 * and an injected `store` function (STOW-RS). Items are keyed by SOP Instance UID, so enqueuing or
 * storing the same result twice never creates a second copy (the PACS keeps one instance per UID).
 * An item leaves the storage only after the PACS accepted it; transient failures are retried with
 * back-off; permanent ones (e.g. HTTP 400) are kept and marked failed, never dropped.
 */
import { backoffDelay, isTransient, type RetryPolicy } from './retry.ts';

/** One pending result. */
export interface QueueItem {
  /** SOP Instance UID of the object (the idempotency key). */
  id: string;
  studyUid: string;
  /** The Part 10 file. */
  data: ArrayBuffer;
  attempts: number;
  /** Epoch ms before which it is not retried. */
  nextAttemptAt: number;
  lastError?: string;
  /** Permanently refused by the PACS: kept for a person to look at, not retried. */
  failed?: boolean;
}

/** Where queue items live; every method must be durable when its promise resolves. */
export interface QueueStorage {
  put(item: QueueItem): Promise<void>;
  remove(id: string): Promise<void>;
  list(): Promise<QueueItem[]>;
}

/** Outcome of a {@link ResultQueue.flush}. */
export interface FlushReport {
  stored: string[];
  /** Still waiting (transient failure or not due yet). */
  pending: string[];
  /** Permanently refused (kept in storage, marked failed). */
  failed: string[];
}

/** Retry policy of the queue: unbounded attempts, back-off capped at `maxDelayMs`. */
export const QUEUE_RETRY: RetryPolicy = { retries: Infinity, baseDelayMs: 500, maxDelayMs: 60_000 };

/** The queue. */
export class ResultQueue {
  constructor(
    private readonly storage: QueueStorage,
    private readonly store: (files: ArrayBuffer[], studyUid: string) => Promise<void>,
    private readonly policy: RetryPolicy = QUEUE_RETRY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds (or replaces, same UID) a result; durable when the promise resolves. */
  async enqueue(id: string, studyUid: string, data: ArrayBuffer): Promise<void> {
    await this.storage.put({ id, studyUid, data, attempts: 0, nextAttemptAt: 0 });
  }

  /** Number of items not yet stored (failed ones included). */
  async size(): Promise<number> {
    return (await this.storage.list()).length;
  }

  /** Tries every due item once; `force` ignores the back-off schedule. */
  async flush(force = false): Promise<FlushReport> {
    const report: FlushReport = { stored: [], pending: [], failed: [] };
    for (const item of await this.storage.list()) {
      if (item.failed) {
        report.failed.push(item.id);
        continue;
      }
      if (!force && item.nextAttemptAt > this.now()) {
        report.pending.push(item.id);
        continue;
      }
      try {
        await this.store([item.data], item.studyUid);
        await this.storage.remove(item.id);
        report.stored.push(item.id);
      } catch (error) {
        const attempts = item.attempts + 1;
        const transient = isTransient(error);
        await this.storage.put({
          ...item,
          attempts,
          lastError: (error as Error).message,
          nextAttemptAt: this.now() + backoffDelay(this.policy, attempts),
          ...(transient ? {} : { failed: true }),
        });
        (transient ? report.pending : report.failed).push(item.id);
      }
    }
    return report;
  }

  /** Flushes until nothing is pending or `deadline` (epoch ms) passes; returns the last report. */
  async drain(
    deadline: number,
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ): Promise<FlushReport> {
    for (;;) {
      const report = await this.flush();
      if (report.pending.length === 0 || this.now() >= deadline) return report;
      const items = await this.storage.list();
      const next = Math.min(...items.filter((i) => !i.failed).map((i) => i.nextAttemptAt));
      await sleep(Math.max(10, Math.min(next - this.now(), deadline - this.now())));
    }
  }
}

/** In-memory storage (tests, and a fallback where nothing durable exists). */
export function memoryQueueStorage(): QueueStorage {
  const items = new Map<string, QueueItem>();
  return {
    async put(item) {
      items.set(item.id, { ...item });
    },
    async remove(id) {
      items.delete(id);
    },
    async list() {
      return [...items.values()].map((i) => ({ ...i }));
    },
  };
}
