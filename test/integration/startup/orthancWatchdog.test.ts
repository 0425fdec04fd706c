// Issue 15: when npm start's Orthanc dies, npm start says so with the last log lines and starts it
// again on the same port and storage, so the same-origin proxy answers again. Real Orthanc, killed
// with SIGKILL as a crash would; loopback only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../scripts/serve.ts';
import { watchOrthanc, type WatchedOrthanc } from '../../../scripts/orthancWatchdog.ts';

const root = mkdtempSync(join(tmpdir(), 'orthanc-watchdog-'));
let pacs: WatchedOrthanc | undefined;
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.close();
  await pacs?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Polls `check` every 100 ms until it is true; fails after `attempts` (no timing asserted). */
async function eventually(check: () => Promise<boolean> | boolean, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition never became true');
}

async function proxiedStatus(base: string): Promise<number> {
  try {
    const res = await fetch(`${base}/dicom-web/studies?limit=1`);
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

describe('Orthanc killed while npm start runs', () => {
  it('is reported with its last log lines and restarted on the same port; the proxy answers again', async () => {
    const lines: string[] = [];
    pacs = await watchOrthanc({ storageDir: join(root, 'pacs'), log: (l) => lines.push(l) });
    const viewerDist = join(root, 'viewer');
    const pluginDir = join(root, 'plugins');
    mkdirSync(viewerDist, { recursive: true });
    mkdirSync(pluginDir, { recursive: true });
    writeFileSync(join(viewerDist, 'index.html'), '<!doctype html>');
    writeFileSync(join(pluginDir, 'extension.js'), '');
    server = await startServer({ dicomWebUrl: pacs.dicomWebUrl, port: 0, viewerDist, pluginDir });
    expect(await proxiedStatus(server.url)).toBe(200);

    const firstPid = pacs.pid;
    const port = pacs.port;
    process.kill(firstPid, 'SIGKILL');
    await eventually(() => pacs?.restarts === 1);

    expect(lines[0]).toBe(
      `PACS: Orthanc (PID ${firstPid}) was killed (SIGKILL); last lines of ${join(root, 'pacs', 'orthanc.log')}:`,
    );
    // The log lines Orthanc wrote before it died, indented under that line.
    expect(lines.slice(1).some((l) => /^ {4}[EWI]\d{4} /.test(l))).toBe(true);
    expect(lines).toContain(`PACS: restarting Orthanc on port ${port} (same storage)`);
    expect(pacs.pid).not.toBe(firstPid);
    expect(lines.at(-1)).toBe(
      `PACS: Orthanc restarted (PID ${pacs.pid}) at http://127.0.0.1:${port}; the proxy uses it again`,
    );
    await eventually(async () => (await proxiedStatus(server!.url)) === 200);
  });
});
