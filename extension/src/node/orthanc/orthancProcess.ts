/**
 * Runs a local Orthanc (with its DICOMweb plugin) as a child process, on loopback only, with one
 * config file of ours so that `/etc/orthanc/*.json` is never merged in. Node-only adapter.
 *
 * Behaviour measured on this platform is in `../shared/notes/orthanc.md`: ready in well under 1 s,
 * clean shutdown on SIGTERM in about 4 s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
    if (child && child.exitCode !== null)
      throw new Error(`Orthanc exited with code ${child.exitCode} before it was ready`);
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

/**
 * Starts Orthanc on 127.0.0.1 and resolves once it answers REST and DICOMweb queries.
 * With no `storageDir` a fresh temporary folder is used (and removed on `stop()`).
 */
export async function startOrthanc(options: OrthancOptions = {}): Promise<OrthancHandle> {
  ensureOrthancInstalled(options.install ?? true);
  const temporary = options.storageDir === undefined;
  const storageDir = resolve(options.storageDir ?? mkdtempSync(join(tmpdir(), 'orthanc-')));
  mkdirSync(storageDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const configPath = join(storageDir, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(orthancConfig(port, storageDir, options.auth), null, 2));
  const logPath = join(storageDir, 'orthanc.log');
  const logFd = openSync(logPath, 'a');
  const child = spawn(ORTHANC_BINARY, [configPath], {
    stdio: ['ignore', logFd, logFd],
    detached: options.detached ?? false,
  });
  closeSync(logFd);
  if (options.detached) child.unref();
  // Node keeps a handle on non-detached children; let the test runner exit when the handle is the only one left.
  else child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${ORTHANC_BINARY}`);
  // A test/CLI process that dies without calling stop() must not leave its Orthanc behind.
  const killOnExit = (): void => {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  };
  if (!options.detached) process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const headers = authHeaders(options.auth);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopPid(pid);
    if (temporary) rmSync(storageDir, { recursive: true, force: true });
  };
  try {
    await waitForOrthanc(url, headers, options.readyTimeoutMs ?? 20_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message} (log: ${logPath}, port ${port})`);
  }
  return { url, dicomWebUrl: `${url}/dicom-web`, port, pid, storageDir, headers, stop };
}
