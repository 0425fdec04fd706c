// Issue 15: each start-up failure is stated with its cause and its fix, before anything is built,
// and a start that fails leaves the storage's orthanc.json as it was. Real Orthanc from Debian;
// every server listens on loopback.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DICOMWEB_PLUGIN,
  freePort,
  ORTHANC_BINARY,
  orthancConfig,
  OrthancStartError,
  startOrthanc,
  type OrthancHandle,
} from '../../../extension/src/node/orthanc/orthancProcess.ts';
import { startFailure } from '../../../extension/src/node/orthanc/startFailure.ts';
import { checkStart, startOptions } from '../../../scripts/serveStack.ts';
import { startServer } from '../../../scripts/serve.ts';
import { checkDicomWebRoot } from '../../../scripts/startupChecks.ts';

const root = mkdtempSync(join(tmpdir(), 'startup-checks-'));
const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(root, { recursive: true, force: true });
});

/** A TCP listener on 127.0.0.1 holding a port, as another program would. */
async function holdPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** A loopback HTTP server answering every request with `status`, `type` and `body`. */
async function answering(status: number, type: string, body: string): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'Content-Type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** npm start's options for this test: a free viewer port and a storage of its own. */
async function options(over: Partial<ReturnType<typeof startOptions>> = {}) {
  return { ...startOptions(['node', 'start.mjs'], {}), port: await freePort(), ...over };
}

/** Runs the Orthanc binary itself on `config` and returns what it logged before it exited. */
async function orthancLog(config: Record<string, unknown>): Promise<string[]> {
  const dir = mkdtempSync(join(root, 'raw-'));
  writeFileSync(join(dir, 'orthanc.json'), JSON.stringify(config));
  const child = spawn(ORTHANC_BINARY, [join(dir, 'orthanc.json')], { stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // It exits at once on these failures; the kill only keeps a surprise from hanging the file.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(guard);
  return out.split('\n').filter((l) => l.trim());
}

describe('storage already used by a running Orthanc', () => {
  let running: OrthancHandle;
  let storageDir: string;
  let configBefore: string;
  beforeAll(async () => {
    storageDir = join(root, 'busy');
    running = await startOrthanc({ storageDir });
    closers.push(() => running.stop());
    configBefore = readFileSync(join(storageDir, 'orthanc.json'), 'utf8');
  });

  it('names the running Orthanc, its URL and how to reuse it, and writes nothing', async () => {
    const check = checkStart(await options({ storageDir }));
    await expect(check).rejects.toThrow(
      `is already used by a running Orthanc (PID ${running.pid}) at ${running.dicomWebUrl}`,
    );
    await expect(check).rejects.toThrow('npm start -- --reuse-pacs');
    expect(readFileSync(join(storageDir, 'orthanc.json'), 'utf8')).toBe(configBefore);
  });

  it('is refused by startOrthanc itself, and the running one keeps serving', async () => {
    const second = startOrthanc({ storageDir });
    await expect(second).rejects.toThrow(OrthancStartError);
    await expect(second).rejects.toThrow(`(PID ${running.pid}) at ${running.url}`);
    expect(readFileSync(join(storageDir, 'orthanc.json'), 'utf8')).toBe(configBefore);
    expect((await fetch(`${running.dicomWebUrl}/studies`)).status).toBe(200);
  });

  it('is reused with --reuse-pacs', async () => {
    const found = await checkStart(await options({ storageDir, reusePacs: true }));
    expect(found).toMatchObject({ busy: true, user: { pid: running.pid, url: running.url } });
  });

  it("explains Orthanc's own failure on a locked index (a start racing the check)", async () => {
    const config = orthancConfig(await freePort(), storageDir);
    const lines = await orthancLog({ ...config, Plugins: [DICOMWEB_PLUGIN] });
    const error = startFailure('Orthanc exited with code 255', true, lines, 'orthanc.log', 1);
    expect(error.reason).toBe('storage-busy');
    expect(error.message).toContain('another process uses it (SQLite: database is locked)');
  });
});

describe('port already taken', () => {
  it('names the port and PORT=, before anything is written', async () => {
    const port = await holdPort();
    const storageDir = join(root, 'port-fresh');
    const check = checkStart(await options({ port, storageDir }));
    await expect(check).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    await expect(check).rejects.toThrow(/choose another port: PORT=\d+ npm start/);
    expect(existsSync(join(storageDir, 'orthanc.json'))).toBe(false);
  });

  it('says the same when the viewer server finds it taken', async () => {
    const port = await holdPort();
    const viewerDist = join(root, 'viewer');
    const pluginDir = join(root, 'plugins');
    mkdirSync(viewerDist, { recursive: true });
    mkdirSync(pluginDir, { recursive: true });
    writeFileSync(join(viewerDist, 'index.html'), '<!doctype html>');
    writeFileSync(join(pluginDir, 'extension.js'), '');
    const server = startServer({
      dicomWebUrl: 'http://127.0.0.1:9/dicom-web',
      port,
      viewerDist,
      pluginDir,
    });
    await expect(server).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    await expect(server).rejects.toThrow('PORT=');
  });

  it("refuses Orthanc's port and keeps the storage's orthanc.json", async () => {
    const storageDir = join(root, 'port-storage');
    const first = await startOrthanc({ storageDir });
    await first.stop();
    const before = readFileSync(join(storageDir, 'orthanc.json'), 'utf8');
    const port = await holdPort();
    const start = startOrthanc({ storageDir, port });
    await expect(start).rejects.toThrow(`port ${port} is already in use`);
    expect(readFileSync(join(storageDir, 'orthanc.json'), 'utf8')).toBe(before);
  });

  it("explains Orthanc's own failure on a taken port", async () => {
    const port = await holdPort();
    const lines = await orthancLog(orthancConfig(port, join(root, 'raw-port')));
    const error = startFailure('Orthanc exited with code 255', true, lines, 'orthanc.log', port);
    expect(error.reason).toBe('port-taken');
    expect(error.message).toContain(`Orthanc could not listen on port ${port}`);
  });
});

describe('--pacs URL', () => {
  let pacs: OrthancHandle;
  beforeAll(async () => {
    pacs = await startOrthanc();
    closers.push(() => pacs.stop());
  });

  it('accepts a DICOMweb root', async () => {
    await expect(checkDicomWebRoot(pacs.dicomWebUrl)).resolves.toBeUndefined();
  });

  it('names the URL and the network error of a dead PACS', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/dicom-web`;
    const check = checkStart(await options({ pacsUrl: url }));
    await expect(check).rejects.toThrow(
      `PACS ${url} is unreachable: GET ${url}/studies?limit=1 failed: ECONNREFUSED`,
    );
    await expect(check).rejects.toThrow('Expected a DICOMweb root that answers QIDO-RS');
  });

  it('names the HTTP status of a server that is not DICOMweb', async () => {
    const url = `${await answering(404, 'text/html', '<h1>Not Found</h1>')}/dicom-web`;
    await expect(checkDicomWebRoot(url)).rejects.toThrow(
      `PACS ${url} is not a DICOMweb root: GET ${url}/studies?limit=1 answered HTTP 404 Not Found (text/html)`,
    );
  });

  it('refuses a 200 that is not DICOM JSON', async () => {
    const url = await answering(200, 'text/html', '<html>a web page</html>');
    await expect(checkDicomWebRoot(url)).rejects.toThrow(
      'answered HTTP 200 OK (text/html) with no JSON array',
    );
  });

  it("refuses Orthanc's REST root (a live server on the wrong path)", async () => {
    // Orthanc 1.10's REST /studies refuses `limit` without `since` (400); with both it would answer
    // a JSON array of Orthanc ids, which the check refuses too (not DICOM JSON).
    await expect(checkDicomWebRoot(pacs.url)).rejects.toThrow(
      `PACS ${pacs.url} is not a DICOMweb root: GET ${pacs.url}/studies?limit=1 answered HTTP 400 Bad Request`,
    );
  });

  it('asks for credentials when the PACS wants them', async () => {
    const secured = await startOrthanc({ auth: { user: 'u', password: 'p' } });
    closers.push(() => secured.stop());
    await expect(checkDicomWebRoot(secured.dicomWebUrl)).rejects.toThrow(
      'answered HTTP 401 Unauthorized',
    );
    await expect(checkDicomWebRoot(secured.dicomWebUrl)).rejects.toThrow(
      'LANDMARKS_PACS_AUTHORIZATION',
    );
    await expect(checkDicomWebRoot(secured.dicomWebUrl, secured.headers)).resolves.toBeUndefined();
  });

  it('lists every problem at once', async () => {
    const port = await holdPort();
    const url = `http://127.0.0.1:${await freePort()}/dicom-web`;
    const check = checkStart(await options({ port, pacsUrl: url }));
    await expect(check).rejects.toThrow(
      /^2 problems:\n {2}- port \d+ .*\n {2}- PACS .* is unreachable/,
    );
  });
});
