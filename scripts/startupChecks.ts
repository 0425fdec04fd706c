/**
 * The checks `npm start` runs before it builds anything, each failing with a message that names the
 * cause and the fix: the viewer's port is free, the `--pacs` URL answers as a DICOMweb root (one
 * QIDO-RS request), and no running Orthanc already uses the local PACS storage.
 */
import path from 'node:path';
import { isPortFree } from '../extension/src/node/orthanc/orthancProcess.ts';
import { findStorageUser, type StorageUser } from '../extension/src/node/orthanc/storageUser.ts';

/** A start-up problem; its message says what is wrong and what to do (no stack trace needed). */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** The first free port after `port` (up to 20 tried), for the message's suggestion. */
async function nextFreePort(port: number, host: string): Promise<number | undefined> {
  for (let p = port + 1; p <= Math.min(port + 20, 65535); p++) {
    if (await isPortFree(p, host)) return p;
  }
  return undefined;
}

/** The message for a viewer port something else already listens on. */
export async function portTakenMessage(port: number, host = '127.0.0.1'): Promise<string> {
  const free = await nextFreePort(port, host);
  const other = free ?? port + 1;
  return (
    `port ${port} on ${host} is already in use (another npm start, or another server). ` +
    `Stop that, or choose another port: PORT=${other} npm start  (or npm start -- --port ${other})` +
    (free ? `; ${free} is free now` : '')
  );
}

/** Throws a {@link StartupError} when the viewer cannot listen on `port` of `host`. */
export async function checkPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartupError(
      'PORT / --port is not a TCP port number (0-65535); give e.g. PORT=3000 npm start',
    );
  }
  if (port !== 0 && !(await isPortFree(port, host))) {
    throw new StartupError(await portTakenMessage(port, host));
  }
}

/** The network error's own words, e.g. `ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)`. */
function networkCause(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'no answer within 10 s';
  const cause = err.cause;
  if (cause?.code) return `${cause.code} (${cause.message ?? ''})`.replace(' ()', '');
  return cause?.message ?? err.message;
}

/** True for a DICOM JSON dataset, e.g. `{"0020000D": {"vr": "UI", "Value": [...]}}`. */
function isDicomJson(item: unknown): boolean {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  const keys = Object.keys(item);
  return keys.length > 0 && keys.every((k) => /^[0-9A-Fa-f]{8}$/.test(k));
}

const EXPECTED =
  'Expected a DICOMweb root that answers QIDO-RS GET <root>/studies with 200 and a DICOM JSON ' +
  'array (application/dicom+json), or 204; for Orthanc the root is http://<host>:<port>/dicom-web.';

/**
 * Checks that `root` is a DICOMweb root, with one QIDO-RS request (`GET <root>/studies?limit=1`).
 * Throws a {@link StartupError} naming the URL, the HTTP status or network error, and what was
 * expected. Orthanc's own REST API (`/studies` answers a JSON array of Orthanc ids) is refused.
 */
export async function checkDicomWebRoot(
  root: string,
  headers: Record<string, string> = {},
): Promise<void> {
  let base: URL;
  try {
    base = new URL(root);
  } catch {
    throw new StartupError(`--pacs "${root}" is not a URL. ${EXPECTED}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new StartupError(`--pacs ${root}: only http and https are supported. ${EXPECTED}`);
  }
  const query = `${root.replace(/\/+$/, '')}/studies?limit=1`;
  let response: Response;
  try {
    response = await fetch(query, {
      headers: { Accept: 'application/dicom+json', ...headers },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new StartupError(
      `PACS ${root} is unreachable: GET ${query} failed: ${networkCause(error)}. ` +
        `Is the server running, and is the URL right? ${EXPECTED}`,
    );
  }
  const type = response.headers.get('content-type') ?? 'no content type';
  const body = await response.text();
  const answered = `GET ${query} answered HTTP ${response.status} ${response.statusText} (${type.split(';')[0]})`;
  if (response.status === 401 || response.status === 403) {
    throw new StartupError(
      `PACS ${root} refused the request: ${answered}. It needs credentials: set ` +
        'LANDMARKS_PACS_AUTHORIZATION (e.g. "Basic <base64 of user:password>").',
    );
  }
  if (response.status === 204) return;
  if (response.status !== 200) {
    throw new StartupError(`PACS ${root} is not a DICOMweb root: ${answered}. ${EXPECTED}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const isArray = Array.isArray(parsed);
  const dicom = type.includes('application/dicom+json');
  if (isArray && (parsed as unknown[]).every(isDicomJson) && (dicom || body.trim() !== '[]'))
    return;
  const what = isArray ? 'a JSON array that is not DICOM JSON' : 'no JSON array';
  throw new StartupError(
    `PACS ${root} is not a DICOMweb root: ${answered} with ${what}. ${EXPECTED}`,
  );
}

/** `dir` relative to the working directory when it lies inside it (`.orthanc/demo`), else absolute. */
export function shownPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
}

/** The message for a local storage a running Orthanc already uses, with the two ways out. */
export function storageBusyMessage(storageDir: string, user: StorageUser): string {
  const shown = shownPath(storageDir);
  const at = user.url ? ` at ${user.url}/dicom-web` : '';
  return (
    `the PACS storage ${shown} is already used by a running ${user.command} (PID ${user.pid})${at}, ` +
    'probably another npm start. Stop that one (Ctrl-C in its terminal, or ' +
    `kill ${user.pid}), or use it from here: npm start -- --reuse-pacs` +
    (user.url ? `  (or npm start -- --pacs ${user.url}/dicom-web)` : '')
  );
}

/** What the local PACS storage check found. */
export type StorageCheck = { busy: false } | { busy: true; user: StorageUser; reuse: boolean };

/**
 * Checks the local PACS storage: free, or used by a running Orthanc. With `reuse`, an Orthanc that
 * answers as DICOMweb is accepted (npm start then uses it); otherwise a busy storage throws a
 * {@link StartupError} that names the process, its URL and how to reuse it.
 */
export async function checkStorage(storageDir: string, reuse: boolean): Promise<StorageCheck> {
  const user = findStorageUser(storageDir);
  if (!user) return { busy: false };
  if (!reuse) throw new StartupError(storageBusyMessage(storageDir, user));
  if (!user.url) {
    throw new StartupError(
      `--reuse-pacs: the PACS storage ${storageDir} is used by ${user.command} (PID ${user.pid}), ` +
        `but its port is not recorded (${storageDir}/orthanc.json); stop it (kill ${user.pid}).`,
    );
  }
  await checkDicomWebRoot(`${user.url}/dicom-web`);
  return { busy: true, user, reuse: true };
}

/**
 * Runs every check that applies and throws one {@link StartupError} listing all the problems found,
 * so a user fixes them in one go.
 */
export async function runChecks(checks: Array<() => Promise<unknown>>): Promise<unknown[]> {
  const settled = await Promise.allSettled(checks.map((check) => check()));
  const problems = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  if (problems.length === 1) throw new StartupError(problems[0].message);
  if (problems.length > 1) {
    throw new StartupError(
      `${problems.length} problems:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
    );
  }
  return settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
}
