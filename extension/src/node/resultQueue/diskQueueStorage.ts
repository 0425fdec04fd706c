/**
 * Disk-backed {@link QueueStorage} for Node: one `<uid>.dcm` (the Part 10 file) and one `<uid>.json`
 * (attempt bookkeeping) per item in a folder. Writes go to a temporary file first and are renamed into
 * place, so a crash never leaves a half-written item; the JSON is written last and marks completeness.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueItem, QueueStorage } from '../../pacs/resultQueue.ts';

function atomicWrite(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** A queue storage in `folder` (created when missing). */
export function diskQueueStorage(folder: string): QueueStorage {
  mkdirSync(folder, { recursive: true });
  const safe = (id: string): string => {
    if (!/^[0-9.]+$/.test(id)) throw new Error(`queue item id "${id}" is not a DICOM UID`);
    return id;
  };
  return {
    async put(item) {
      const { data, ...meta } = item;
      atomicWrite(join(folder, `${safe(item.id)}.dcm`), new Uint8Array(data));
      atomicWrite(join(folder, `${item.id}.json`), JSON.stringify(meta));
    },
    async remove(id) {
      rmSync(join(folder, `${safe(id)}.json`), { force: true });
      rmSync(join(folder, `${id}.dcm`), { force: true });
    },
    async list() {
      const out: QueueItem[] = [];
      for (const name of readdirSync(folder)
        .filter((n) => n.endsWith('.json'))
        .sort()) {
        const meta = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Omit<
          QueueItem,
          'data'
        >;
        const bytes = readFileSync(join(folder, `${meta.id}.dcm`));
        out.push({
          ...meta,
          data: bytes.buffer.slice(
            bytes.byteOffset,
            bytes.byteOffset + bytes.byteLength,
          ) as ArrayBuffer,
        });
      }
      return out;
    },
  };
}
