/**
 * The extension and mode in the real published OHIF viewer (issue 5): study list -> our mode in the
 * study's workflows -> 2D viewer with our panel; a CT volume opens in three MPR views. Fails on any
 * console error. Screenshots go to artifacts/e2e/ (gitignored, kept by CI).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEPHALOGRAM } from '../../extension/src/ohif/templates.ts';
import { landmarkSrsInPacs } from './support/pacs.ts';
import { openSession, type Session } from './support/browser.ts';
import { startStack, type Stack } from './support/stack.ts';
import { ctStudy, dxStudy, stow, type TestStudy } from '../../scripts/serveDemoStudies.ts';

const ARTIFACTS = path.resolve('artifacts/e2e');

describe('OHIF viewer with the landmarks extension and mode', () => {
  let stack: Stack;
  let session: Session;
  let dx: TestStudy;
  let ct: TestStudy;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack();
    const a = dxStudy('e2e-dx');
    const b = ctStudy('e2e-ct');
    await stow(stack.pacs.dicomWebUrl, [...a.files, ...b.files]);
    dx = a.study;
    ct = b.study;
    session = await openSession();
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  const shot = (name: string) =>
    session.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

  it('lists our mode for a DX study and opens it with the image and our panel', async () => {
    const { page } = session;
    const t0 = Date.now();
    await page.goto(`${stack.server.url}/`);
    const row = page.getByText('E2E, e2e-dx', { exact: true });
    await row.waitFor({ timeout: 60_000 });
    await shot('01-study-list');
    await row.click();
    const launch = page.getByRole('button', { name: 'Landmarks', exact: true });
    await launch.waitFor({ timeout: 30_000 });
    await shot('02-workflows');
    const t1 = Date.now();
    await launch.click();
    await page.getByTestId('landmarks-study-uid').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('landmarks-study-uid').textContent())
      .toBe(dx.studyUid);
    await page.locator('canvas').first().waitFor({ timeout: 60_000 });
    const loadMs = Date.now() - t1;
    console.log(`viewer: study list ${t1 - t0} ms, mode+image+panel ${loadMs} ms`);
    await expect
      .poll(() => page.getByTestId('landmarks-sr-status').textContent())
      .toContain('none');
    await shot('03-dx-viewer');
    expect(page.url()).toContain('/landmarks?');
    expect(session.errors).toEqual([]);
  });

  it('places the 19 cephalogram landmarks with the landmark tool and saves them as SR in the PACS', async () => {
    const { page } = session;
    await page.getByTestId('landmarks-annotate').click();
    const box = await page.locator('[data-viewportid="landmarks-2d"]').first().boundingBox();
    if (!box) throw new Error('no 2D viewport on the page');
    for (let i = 0; i < 19; i++) {
      const x = box.x + box.width * (0.3 + (0.4 * i) / 18);
      const y = box.y + box.height * (0.45 + 0.1 * (i % 2));
      await page.mouse.click(x, y);
    }
    await expect
      .poll(() => page.getByTestId('landmarks-progress').textContent())
      .toContain('19/19');
    await shot('05-dx-annotated');
    const t0 = Date.now();
    await page.getByTestId('landmarks-save').click();
    await expect
      .poll(() => page.getByTestId('landmarks-sr-status').textContent(), { timeout: 30_000 })
      .toContain('19 landmarks (19 manual)');
    console.log(`save SR + re-read from PACS: ${Date.now() - t0} ms`);
    await shot('06-dx-saved');

    const srs = await landmarkSrsInPacs(stack.pacs.dicomWebUrl, dx.studyUid);
    expect(srs).toHaveLength(1);
    const { set } = srs[0];
    expect(set.dimension).toBe(2);
    expect(set.landmarks.map((l) => l.name)).toEqual(CEPHALOGRAM.landmarks);
    expect(set.landmarks.every((l) => l.status === 'manual')).toBe(true);
    // Clicked left to right: columns strictly increase; alternate rows differ; all inside the image.
    const cols = set.landmarks.map((l) => l.position[0]);
    cols.slice(1).forEach((c, i) => expect(c).toBeGreaterThan(cols[i]));
    for (const l of set.landmarks) {
      expect(l.position[0]).toBeGreaterThan(0);
      expect(l.position[0]).toBeLessThan(320);
      expect(l.position[1]).toBeGreaterThan(0);
      expect(l.position[1]).toBeLessThan(256);
    }
    expect(set.landmarks[1].position[1]).toBeGreaterThan(set.landmarks[0].position[1]);
    expect(session.errors).toEqual([]);
  });

  it('opens a CT volume in axial, sagittal and coronal MPR views', async () => {
    const { page } = session;
    await page.goto(`${stack.server.url}/landmarks?StudyInstanceUIDs=${ct.studyUid}`);
    await expect
      .poll(() => page.getByTestId('landmarks-study-uid').textContent(), { timeout: 60_000 })
      .toBe(ct.studyUid);
    for (const id of ['mpr-axial', 'mpr-sagittal', 'mpr-coronal']) {
      await page.locator(`[data-viewportid="${id}"]`).first().waitFor({ timeout: 60_000 });
    }
    await shot('04-ct-mpr');
    expect(session.errors).toEqual([]);
  });
});
