/**
 * Runs a local Orthanc (with its DICOMweb plugin) as a child process, on loopback only, with one
 * config file of ours so that `/etc/orthanc/*.json` is never merged in. Node-only adapter.
 *
 * Behaviour measured on this platform is in `../shared/notes/orthanc.md`: ready in well under 1 s,
 * clean shutdown on SIGTERM in about 4 s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { logLinesFrom, OrthancStartError, startFailure } from './startFailure.ts';
import { findStorageUser } from './storageUser.ts';

export { OrthancStartError, type OrthancStartFailure } from './startFailure.ts';

/** Path of the Orthanc binary installed by the Debian package `orthanc`. */
export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
/** Path of the DICOMweb plugin installed by the Debian package `orthanc-dicomweb`. */
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** Basic-auth credentials Orthanc will require (RegisteredUsers). */
export interface BasicAuth {
  user: string;
  password: string;
}

/** Options of {@link startOrthanc}. */
export interface OrthancOptions {
  /** HTTP port on 127.0.0.1; default: a free port picked by the OS. */
  port?: number;
  /** Storage + index folder; default: a fresh temporary folder removed by `stop()`. */
  storageDir?: string;
  /** When set, Orthanc requires HTTP basic auth with these credentials. */
  auth?: BasicAuth;
  /** Keep the process running after this Node process exits (used by `landmarks pacs start`). */
  detached?: boolean;
  /** Readiness timeout in ms (default 20 000). */
  readyTimeoutMs?: number;
  /** Install the Debian packages when missing and running as root (default true). */
  install?: boolean;
}

/** How an Orthanc process ended: its exit code, or the signal that killed it. */
export interface OrthancExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running Orthanc. */
export interface OrthancHandle {
  /** Base URL of the REST API, e.g. `http://127.0.0.1:8042`. */
  url: string;
  /** Base URL of the DICOMweb root, e.g. `http://127.0.0.1:8042/dicom-web`. */
  dicomWebUrl: string;
  port: number;
  pid: number;
  storageDir: string;
  /** Headers to send with every request (basic auth), empty without auth. */
  headers: Record<string, string>;
  /** Orthanc's log file (`<storageDir>/orthanc.log`, appended to by every start). */
  logPath: string;
  /** Resolves when the process ends, for whatever reason (never for a detached one whose owner exits). */
  exited: Promise<OrthancExit>;
  /** The last `count` lines this process wrote to the log. */
  logTail(count?: number): string[];
  /** Stops the process by PID (SIGTERM, SIGKILL after 10 s) and removes a temporary storage folder. */
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** True when nothing listens on `port` of `host` (default all interfaces, as Orthanc binds). */
export async function isPortFree(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen(port, host, () => server.close(() => resolveFree(true)));
  });
}

/** Installs orthanc + orthanc-dicomweb when missing; throws a clear message when that is impossible. */
export function ensureOrthancInstalled(install = true): void {
  if (existsSync(ORTHANC_BINARY) && existsSync(DICOMWEB_PLUGIN)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!install || !isRoot) {
    throw new Error(
      `Orthanc is not installed (${ORTHANC_BINARY} or ${DICOMWEB_PLUGIN} missing). ` +
        'Install it with: sudo apt-get install -y --no-install-recommends orthanc orthanc-dicomweb',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', '--no-install-recommends', 'orthanc', 'orthanc-dicomweb'],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
}

/** The one Orthanc configuration we run with (no system config merged). */
export function orthancConfig(
  port: number,
  storageDir: string,
  auth?: BasicAuth,
): Record<string, unknown> {
  return {
    Name: 'landmarks-pacs',
    HttpPort: port,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: auth !== undefined,
    RegisteredUsers: auth ? { [auth.user]: auth.password } : {},
    DicomServerEnabled: false,
    StorageDirectory: join(storageDir, 'db'),
    IndexDirectory: join(storageDir, 'db'),
    SyncStorageArea: false,
    HttpCompressionEnabled: false,
    StableAge: 2,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: true,
      WadoRoot: '/wado',
      Ssl: false,
    },
  };
}

function authHeaders(auth?: BasicAuth): Record<string, string> {
  if (!auth) return {};
  return {
    Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`,
  };
}

async function isReady(url: string, headers: Record<string, string>): Promise<boolean> {
  try {
    for (const path of ['/system', '/dicom-web/studies?limit=1']) {
      const response = await fetch(url + path, { headers, signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status !== 200) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Polls `/system` and a QIDO query until both answer 200, or throws after `timeoutMs`. */
export async function waitForOrthanc(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      const how = child.signalCode
        ? `was killed by ${child.signalCode}`
        : `exited with code ${child.exitCode}`;
      throw new Error(`Orthanc ${how} before it was ready`);
    }
    if (await isReady(url, headers)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Orthanc at ${url} was not ready after ${timeoutMs} ms`);
}

/** True while a process with this PID exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends SIGTERM to `pid`, then SIGKILL after `graceMs`, and waits until it is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  }
}

/** Refuses a storage folder another process already has open, and a port already taken. */
async function checkFree(storageDir: string | undefined, port: number | undefined): Promise<void> {
  const user = storageDir === undefined ? undefined : findStorageUser(storageDir);
  if (user) {
    const at = user.url ? ` at ${user.url}` : '';
    throw new OrthancStartError(
      `storage ${storageDir} is already used by a running ${user.command} (PID ${user.pid})${at}; ` +
        `use that one, or stop it first (kill ${user.pid})`,
      'storage-busy',
      user,
    );
  }
  if (port !== undefined && !(await isPortFree(port))) {
    throw new OrthancStartError(
      `port ${port} is already in use, Orthanc cannot listen on it; choose another port`,
      'port-taken',
    );
  }
}

/** Writes `<storageDir>/orthanc.json` in one step (a rename), so a reader never sees half a file. */
function recordConfig(storageDir: string, text: string): void {
  const partial = join(storageDir, `.orthanc.json.${process.pid}`);
  writeFileSync(partial, text);
  renameSync(partial, join(storageDir, 'orthanc.json'));
}

/**
 * Starts Orthanc on 127.0.0.1 and resolves once it answers REST and DICOMweb queries.
 * With no `storageDir` a fresh temporary folder is used (and removed on `stop()`).
 *
 * Throws an {@link OrthancStartError} before starting anything when another process already uses
 * the storage or the port, and with Orthanc's last log lines when it exits before it is ready. The
 * process runs on a configuration file outside the storage; `<storageDir>/orthanc.json` (the port of
 * the Orthanc now serving it) is written only once it is ready, so a failed start leaves it as it was.
 */
export async function startOrthanc(options: OrthancOptions = {}): Promise<OrthancHandle> {
  ensureOrthancInstalled(options.install ?? true);
  const temporary = options.storageDir === undefined;
  const storageDir = resolve(options.storageDir ?? mkdtempSync(join(tmpdir(), 'orthanc-')));
  mkdirSync(storageDir, { recursive: true });
  await checkFree(temporary ? undefined : storageDir, options.port);
  const port = options.port ?? (await freePort());
  const configText = JSON.stringify(orthancConfig(port, storageDir, options.auth), null, 2);
  const configDir = mkdtempSync(join(tmpdir(), 'orthanc-config-'));
  const configPath = join(configDir, 'orthanc.json');
  writeFileSync(configPath, configText);
  const logPath = join(storageDir, 'orthanc.log');
  const logFd = openSync(logPath, 'a');
  const logStart = statSync(logPath).size;
  const child = spawn(ORTHANC_BINARY, [configPath], {
    stdio: ['ignore', logFd, logFd],
    detached: options.detached ?? false,
  });
  closeSync(logFd);
  // Node keeps a handle on a child; let the owner (CLI, test runner) exit when it is the only one left.
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${ORTHANC_BINARY}`);
  // A test/CLI process that dies without calling stop() must not leave its Orthanc behind.
  const killOnExit = (): void => {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(configDir, { recursive: true, force: true });
  };
  if (!options.detached) process.once('exit', killOnExit);
  const exited = new Promise<OrthancExit>((resolveExit) =>
    child.once('exit', (code, signal) => {
      // Its PID may soon belong to another process: never signal it again.
      process.removeListener('exit', killOnExit);
      if (!options.detached) rmSync(configDir, { recursive: true, force: true });
      resolveExit({ code, signal });
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const headers = authHeaders(options.auth);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (running()) await stopPid(pid);
    // A detached Orthanc outlives us and may re-read its configuration (/tools/reset): keep the file.
    if (!options.detached) rmSync(configDir, { recursive: true, force: true });
    if (temporary) rmSync(storageDir, { recursive: true, force: true });
  };
  try {
    await waitForOrthanc(url, headers, options.readyTimeoutMs ?? 20_000, child);
  } catch (error) {
    const exitedEarly = !running();
    await stop();
    rmSync(configDir, { recursive: true, force: true });
    const lines = logLinesFrom(logPath, logStart);
    throw startFailure((error as Error).message, exitedEarly, lines, logPath, port);
  }
  recordConfig(storageDir, configText);
  const logTail = (count = 10) => logLinesFrom(logPath, logStart).slice(-count);
  return {
    url,
    dicomWebUrl: `${url}/dicom-web`,
    port,
    pid,
    storageDir,
    headers,
    logPath,
    exited,
    logTail,
    stop,
  };
}
