/**
 * The extension and mode in the real published OHIF viewer (issue 5): study list -> our mode in the
 * study's workflows -> 2D viewer with our panel; a CT volume opens in three MPR views. Fails on any
 * console error. Screenshots go to artifacts/e2e/ (gitignored, kept by CI).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
