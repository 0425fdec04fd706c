/**
 * The resumable training run in IndexedDB (database `ohif-landmarks-training`, store `state`, one record
 * under key `current`): the core loop state and the model + Adam weights (core/selfTraining/
 * trainingState.ts), the request it continues (names, images with labels, preset; never the auth header)
 * and a summary the panel shows ("Resume (selftrain, epoch 2)"). Written at the end of every epoch and on
 * cancel, deleted when the run completes. Used inside the worker only.
 */
import type { SavedTrainingState } from '../../core/selfTraining/trainingState.ts';
import type { TrainRequest, TrainingStateSummary } from './protocol.ts';

const DB = 'ohif-landmarks-training';
const STORE = 'state';
const KEY = 'current';

/** What is stored: the saved state, the request without its PACS roots, and the summary. */
export interface StoredTraining {
  state: SavedTrainingState;
  request: Omit<TrainRequest, 'wadoRoot' | 'headers'>;
  summary: TrainingStateSummary;
  /** The backend in use when saved, and the run's time so far (s). */
  backend: string;
  seconds: number;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function open(): Promise<IDBDatabase> {
  const request = indexedDB.open(DB, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return done(request);
}

async function withStore<T>(
  mode: IDBTransactionMode,
  action: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode);
    const result = await done(action(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    return result;
  } finally {
    db.close();
  }
}

/** Replaces the stored run. */
export async function writeTraining(record: StoredTraining): Promise<void> {
  await withStore('readwrite', (s) => s.put(record, KEY));
}

/** The stored run, or undefined. */
export async function readTraining(): Promise<StoredTraining | undefined> {
  return (await withStore('readonly', (s) => s.get(KEY))) as StoredTraining | undefined;
}

/** Deletes the stored run (none is not an error). */
export async function removeTraining(): Promise<void> {
  await withStore('readwrite', (s) => s.delete(KEY));
}
