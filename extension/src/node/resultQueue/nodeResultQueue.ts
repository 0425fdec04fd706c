/**
 * The result queue as Node code uses it: disk storage in `folder` (default `.cache/pacs-queue`) and
 * STOW-RS through a {@link PacsClient}. `storeResult` enqueues then tries to flush, so a result is on
 * disk before the first network attempt and nothing is lost if the PACS is down.
 */
import type { PacsClient } from '../../pacs/pacsClient.ts';
import { ResultQueue, type FlushReport } from '../../pacs/resultQueue.ts';
import { diskQueueStorage } from './diskQueueStorage.ts';

/** Default queue folder, relative to the working directory (gitignored `.cache/`). */
export const DEFAULT_QUEUE_FOLDER = '.cache/pacs-queue';

/** A disk-backed queue that stores into `client`. */
export function nodeResultQueue(client: PacsClient, folder = DEFAULT_QUEUE_FOLDER): ResultQueue {
  return new ResultQueue(diskQueueStorage(folder), (files, studyUid) =>
    client.store(files, studyUid),
  );
}

/** Queues one Part 10 result (keyed by its SOP Instance UID) and flushes what is due. */
export async function storeResult(
  queue: ResultQueue,
  result: { sopUid: string; studyUid: string; data: ArrayBuffer },
): Promise<FlushReport> {
  await queue.enqueue(result.sopUid, result.studyUid, result.data);
  return queue.flush();
}
