/**
 * SR saves survive a PACS outage (issue 5), in the real viewer against a real Orthanc: Orthanc is
 * stopped -> "Save SR" -> the panel shows "1 result waiting for the PACS" -> Orthanc is started again
 * on the same storage -> the queued SR arrives by itself (back-off retry), once. Then STOW-RS is made
 * to fail (503 at the browser) -> save -> page reload -> still waiting (IndexedDB) -> STOW works again
 * -> the revision arrives once. Console errors other than the failed requests of the outage fail the
 * test. Screenshots: artifacts/e2e/43-*.png, 44-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Response, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startOrthanc,
  type OrthancHandle,
} from '../../extension/src/node/orthanc/orthancProcess.ts';
import { fetchViewer } from '../../scripts/fetchViewer.ts';
import { startServer, type RunningServer } from '../../scripts/serve.ts';
import { dxStudy, stow, type TestStudy } from '../../scripts/serveDemoStudies.ts';
import { CEPHALOGRAM } from '../../extension/src/ohif/templates.ts';
import { openSession, type Session } from './support/browser.ts';
import { imageToScreen } from './support/geometry.ts';
import { landmarkSrsInPacs } from './support/pacs.ts';
import { reviewPosition } from './support/pseudoLabels.ts';
import { buildPlugins } from './support/stack.ts';

const ARTIFACTS = path.resolve('artifacts/e2e');
/** expect.poll waits up to 30 s: the CI machine and this one are busy (the default is 1 s). */
const POLL = { timeout: 30_000 };
const DX_SIZE = { width: 320, height: 256 };
/** What the browser logs for the requests that fail while the PACS is down (and nothing else). */
const OUTAGE_ERROR = /Failed to load resource: the server responded with a status of 50[23]/;
const isStow = (url: URL) => url.pathname.endsWith('/dicom-web/studies');
/** Page loads: Playwright's 30 s default was exceeded once on a machine with load average 17. */
const NAVIGATION = { timeout: 120_000, waitUntil: 'domcontentloaded' as const };

describe('SR saves while the PACS is down', () => {
  const storageDir = mkdtempSync(path.join(tmpdir(), 'outage-e2e-'));
  let port: number;
  let orthanc: OrthancHandle | undefined;
  let server: RunningServer | undefined;
  let session: Session;
  let dx: TestStudy;
  /** Successful STOW-RS POSTs seen by the browser (one per SR that reached the PACS). */
  const stored: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const [viewerDist] = await Promise.all([fetchViewer({ log: () => undefined }), buildPlugins()]);
    port = await freePort();
    orthanc = await startOrthanc({ port, storageDir });
    server = await startServer({ dicomWebUrl: orthanc.dicomWebUrl, port: 0, viewerDist });
    const study = dxStudy('outage-dx');
    await stow(orthanc.dicomWebUrl, study.files);
    dx = study.study;
    session = await openSession();
    session.page.on('response', (r: Response) => {
      if (r.request().method() === 'POST' && isStow(new URL(r.url())) && r.ok()) {
        stored.push(r.url());
      }
    });
  }, 600_000); // the webpack build alone took over 5 min on a loaded 2-core machine

  afterAll(async () => {
    await session?.close();
    await server?.close();
    await orthanc?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const shot = (name: string) =>
    session.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const unexpectedErrors = () => session.errors.filter((e) => !OUTAGE_ERROR.test(e));
  const waiting = () =>
    session.page
      .getByTestId('landmarks-queue-status')
      .getAttribute('data-waiting', { timeout: 1000 })
      .catch(() => '0');

  it('keeps a save while Orthanc is stopped and stores it once when Orthanc is back', async () => {
    const { page } = session;
    await page.goto(`${server!.url}/landmarks?StudyInstanceUIDs=${dx.studyUid}`, NAVIGATION);
    await expect
      .poll(() => page.getByTestId('landmarks-sr-status').textContent(), { timeout: 90_000 })
      .toContain('none');
    await page.locator('[data-viewportid="landmarks-2d"] canvas').first().waitFor();
    await page.getByTestId('landmarks-annotate').click();
    for (let i = 0; i < 3; i++) {
      const p = await imageToScreen(page, 'landmarks-2d', reviewPosition(i), DX_SIZE);
      await page.mouse.click(p.x, p.y);
    }
    await expect
      .poll(() => page.getByTestId('landmarks-progress').textContent(), POLL)
      .toContain('3/19');

    await orthanc!.stop();
    orthanc = undefined;
    const t0 = Date.now();
    await page.getByTestId('landmarks-save').click();
    await expect.poll(waiting, { timeout: 30_000 }).toBe('1');
    expect(await page.getByTestId('landmarks-queue-status').textContent()).toContain(
      '1 result waiting for the PACS',
    );
    console.log(`outage: save -> "1 result waiting" shown after ${Date.now() - t0} ms`);
    await shot('43-outage-waiting');
    expect(stored).toEqual([]);

    const t1 = Date.now();
    orthanc = await startOrthanc({ port, storageDir });
    const up = Date.now();
    await expect
      .poll(async () => (await landmarkSrsInPacs(orthanc!.dicomWebUrl, dx.studyUid)).length, {
        timeout: 90_000,
        interval: 250,
      })
      .toBe(1);
    console.log(
      `outage: Orthanc restart ${up - t1} ms; SR in the PACS ${Date.now() - up} ms after it was up`,
    );
    await expect.poll(waiting, { timeout: 30_000 }).toBe('0');
    const [info] = await landmarkSrsInPacs(orthanc.dicomWebUrl, dx.studyUid);
    expect(info.set.landmarks.map((l) => [l.name, l.status])).toEqual(
      CEPHALOGRAM.landmarks.slice(0, 3).map((n) => [n, 'manual']),
    );
    expect(stored).toHaveLength(1);
    expect(unexpectedErrors()).toEqual([]);
  });

  it('keeps a save in IndexedDB across a reload and sends it once when STOW-RS works again', async () => {
    const { page } = session;
    await expect
      .poll(() => page.getByTestId('landmarks-sr-status').textContent(), { timeout: 30_000 })
      .toContain('3 landmarks (3 manual)');
    const [first] = await landmarkSrsInPacs(orthanc!.dicomWebUrl, dx.studyUid);
    const failStow = (route: Route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 503, body: 'PACS down (test)' })
        : route.continue();
    await page.route(isStow, failStow);
    await page.getByTestId('landmarks-save').click();
    await expect.poll(waiting, { timeout: 30_000 }).toBe('1');

    await page.reload(NAVIGATION);
    await expect
      .poll(() => page.getByTestId('landmarks-study-uid').textContent(), { timeout: 90_000 })
      .toBe(dx.studyUid);
    // The SR kept before the reload is still waiting (its retry after the reload failed again).
    await expect.poll(waiting, { timeout: 30_000 }).toBe('1');
    await shot('44-outage-after-reload');
    expect(stored).toHaveLength(1);

    await page.unroute(isStow, failStow);
    const t0 = Date.now();
    await expect
      .poll(async () => (await landmarkSrsInPacs(orthanc!.dicomWebUrl, dx.studyUid)).length, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(2);
    console.log(`outage: revision kept over a reload reached the PACS ${Date.now() - t0} ms later`);
    await expect.poll(waiting, { timeout: 30_000 }).toBe('0');
    const revision = (await landmarkSrsInPacs(orthanc!.dicomWebUrl, dx.studyUid)).find(
      (i) => i.sr.sopUid !== first.sr.sopUid,
    );
    expect(revision?.predecessors.map((p) => p.sopUid)).toEqual([first.sr.sopUid]);
    expect(stored).toHaveLength(2);
    expect(unexpectedErrors()).toEqual([]);
  });
});
