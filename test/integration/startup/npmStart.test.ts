// Issue 15: what a user of `npm start` sees when the start cannot work: the process prints the cause
// and the fix and exits 1 before the viewer is fetched or the plugins are built, and writes nothing to
// the storage. Runs scripts/start.mjs itself (what `npm start` runs), with a real Orthanc holding the
// storage; loopback only.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startOrthanc,
  type OrthancHandle,
} from '../../../extension/src/node/orthanc/orthancProcess.ts';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '../../..');
const root = mkdtempSync(join(tmpdir(), 'npm-start-'));
let running: OrthancHandle;
let held: Server;
let heldPort: number;
beforeAll(async () => {
  running = await startOrthanc({ storageDir: join(root, 'busy') });
  held = createServer();
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  const address = held.address();
  heldPort = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  await new Promise<void>((resolve) => held.close(() => resolve()));
  await running.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Runs `node scripts/start.mjs ...args` with no stdin, as CI would; returns its exit and output. */
async function npmStart(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, ['scripts/start.mjs', ...args], {
      cwd: repoRoot,
      env: { ...process.env, CI: 'true', PORT: '', LANDMARKS_DICOMWEB_URL: '' },
      timeout: 120_000,
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe('npm start refuses to start, before building anything', () => {
  it('on a taken port and a storage used by a running Orthanc, naming both', async () => {
    const config = readFileSync(join(running.storageDir, 'orthanc.json'), 'utf8');
    const r = await npmStart('--port', String(heldPort), '--storage', running.storageDir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('npm start: 2 problems:\n');
    expect(r.err).toContain(`  - port ${heldPort} on 127.0.0.1 is already in use`);
    expect(r.err).toContain(
      `is already used by a running Orthanc (PID ${running.pid}) at ${running.dicomWebUrl}`,
    );
    expect(r.out).not.toMatch(/viewer:|webpack|PACS:/);
    expect(readFileSync(join(running.storageDir, 'orthanc.json'), 'utf8')).toBe(config);
  });

  it('on a dead --pacs, naming the URL and the network error', async () => {
    const url = `http://127.0.0.1:${await freePort()}/dicom-web`;
    const r = await npmStart('--port', String(await freePort()), '--pacs', url);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `npm start: PACS ${url} is unreachable: GET ${url}/studies?limit=1 failed: ECONNREFUSED`,
    );
    expect(r.out).not.toMatch(/viewer:|webpack|PACS:/);
  });
});
