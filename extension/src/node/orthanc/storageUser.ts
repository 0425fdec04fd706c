/**
 * Finds the process that already uses an Orthanc storage folder, so a second start can say who holds
 * it instead of failing with Orthanc's "SQLite: database is locked" in a log file. Linux only (reads
 * /proc); elsewhere it finds nobody and the start falls back to reading Orthanc's log.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A process holding a storage folder's SQLite index open. */
export interface StorageUser {
  pid: number;
  /** The process's name (`/proc/<pid>/comm`), e.g. `Orthanc`. */
  command: string;
  /** HTTP port from the storage's `orthanc.json` (written once a start succeeded), if any. */
  port?: number;
  /** `http://127.0.0.1:<port>` when the port is known. */
  url?: string;
}

/** The SQLite index Orthanc keeps in `<storageDir>/db` (see orthancConfig's IndexDirectory). */
export function indexFile(storageDir: string): string {
  return join(resolve(storageDir), 'db', 'index');
}

function holds(pid: string, file: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or another user's process
  }
  return fds.some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
    } catch {
      return false;
    }
  });
}

function configuredPort(storageDir: string): number | undefined {
  try {
    const config = JSON.parse(readFileSync(join(storageDir, 'orthanc.json'), 'utf8')) as {
      HttpPort?: unknown;
    };
    return typeof config.HttpPort === 'number' ? config.HttpPort : undefined;
  } catch {
    return undefined;
  }
}

/** The process (other than this one) that has `<storageDir>/db/index` open, or undefined. */
export function findStorageUser(storageDir: string): StorageUser | undefined {
  const file = indexFile(storageDir);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const pid = pids.find((p) => Number(p) !== process.pid && holds(p, file));
  if (pid === undefined) return undefined;
  let command = 'unknown';
  try {
    command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    // It exited meanwhile; still report it.
  }
  const port = configuredPort(resolve(storageDir));
  return {
    pid: Number(pid),
    command,
    port,
    url: port === undefined ? undefined : `http://127.0.0.1:${port}`,
  };
}
