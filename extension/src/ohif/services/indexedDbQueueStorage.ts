/**
 * IndexedDB-backed {@link QueueStorage} for the browser: keeps the SR results the viewer produced while
 * the PACS is down (or unreachable), so that they survive a page reload, a closed tab or a browser
 * restart and are stored by {@link ResultQueue} once the PACS is back. The browser counterpart of
 * `node/resultQueue/diskQueueStorage.ts`, with the same semantics: `put` overwrites by item id (the SOP
 * Instance UID), `remove` deletes (a missing id is not an error), `list` returns every item (sorted by
 * id). The Part 10 bytes are stored as an ArrayBuffer by structured clone. Every method resolves only
 * when its transaction has completed (with `durability: 'strict'` where the browser supports it).
 * Nothing touches IndexedDB before the first method call.
 */
import type { QueueItem, QueueStorage } from '../../pacs/resultQueue.ts';

const STORE = 'items';
const VERSION = 1;

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Queue storage in the IndexedDB database `dbName` (object store `items`, keyed by item id). */
export class IndexedDbQueueStorage implements QueueStorage {
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly dbName = 'ohif-landmarks-results',
    private readonly factory: IDBFactory = indexedDB,
  ) {}

  async put(item: QueueItem): Promise<void> {
    await this.write((store) => store.put({ ...item }));
  }

  async remove(id: string): Promise<void> {
    await this.write((store) => store.delete(id));
  }

  async list(): Promise<QueueItem[]> {
    const tx = (await this.open()).transaction(STORE, 'readonly');
    const items = await requestResult(tx.objectStore(STORE).getAll() as IDBRequest<QueueItem[]>);
    return items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private async write(action: (store: IDBObjectStore) => IDBRequest): Promise<void> {
    const tx = (await this.open()).transaction(STORE, 'readwrite', { durability: 'strict' });
    const done = transactionDone(tx);
    action(tx.objectStore(STORE));
    await done;
  }

  private open(): Promise<IDBDatabase> {
    if (this.db) return this.db;
    const request = this.factory.open(this.dbName, VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) {
        request.result.createObjectStore(STORE, { keyPath: 'id' });
      }
    };
    const opened = requestResult(request);
    const forget = () => {
      if (this.db === opened) this.db = undefined;
    };
    opened.then((db) => {
      // Another tab upgrading or deleting the database: let it, and reopen on the next call.
      db.onversionchange = () => {
        db.close();
        forget();
      };
      db.onclose = forget;
    }, forget);
    this.db = opened;
    return opened;
  }
}
