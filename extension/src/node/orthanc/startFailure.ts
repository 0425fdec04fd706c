/**
 * Why an Orthanc start failed, read from what that process wrote to its log: Orthanc states a locked
 * index ("SQLite: database is locked") and a taken port in its own words, and the start's error
 * should say them instead of only an exit code.
 */
import { readFileSync } from 'node:fs';
import type { StorageUser } from './storageUser.ts';

/** What made a start fail, for callers that react to it (npm start offers reuse or another port). */
export type OrthancStartFailure = 'storage-busy' | 'port-taken' | 'exited' | 'not-ready';

/** A start that failed; the message names the cause and what Orthanc logged. */
export class OrthancStartError extends Error {
  constructor(
    message: string,
    readonly reason: OrthancStartFailure,
    /** The process already using the storage (reason `storage-busy`, when it could be found). */
    readonly storageUser?: StorageUser,
  ) {
    super(message);
    this.name = 'OrthancStartError';
  }
}

/** The lines of `logPath` after byte `offset` (what one process wrote), without blank ones. */
export function logLinesFrom(logPath: string, offset: number): string[] {
  try {
    return readFileSync(logPath)
      .subarray(offset)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}

/** Orthanc's log prefix, e.g. `E1207 21:09:00.898230 main.cpp:2074] `. */
const LOG_PREFIX = /^[EWIT]\d{4} [\d:.]+ [^\]]+\] /;

/**
 * The error of a start that did not become ready.
 * @param message what the readiness wait said (exit code, or not ready in time)
 * @param exitedEarly whether the process ended before it was ready
 * @param lines what the process wrote to its log
 */
export function startFailure(
  message: string,
  exitedEarly: boolean,
  lines: string[],
  logPath: string,
  port: number,
): OrthancStartError {
  const text = lines.join('\n');
  const tail = lines.slice(-8).map((l) => `    ${l}`);
  const log = `\n  last lines of ${logPath}:\n${tail.join('\n') || '    (none)'}`;
  if (/database is locked/i.test(text)) {
    return new OrthancStartError(
      `Orthanc could not open its storage, another process uses it (SQLite: database is locked)${log}`,
      'storage-busy',
    );
  }
  if (/TCP port of the HTTP server is privileged or already in use/i.test(text)) {
    return new OrthancStartError(
      `Orthanc could not listen on port ${port}: it is already in use${log}`,
      'port-taken',
    );
  }
  const fatal = [...lines].reverse().find((l) => /Uncaught exception|^E\d/.test(l));
  const why = fatal ? `: ${fatal.replace(LOG_PREFIX, '')}` : '';
  return new OrthancStartError(`${message}${why}${log}`, exitedEarly ? 'exited' : 'not-ready');
}
