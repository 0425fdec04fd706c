/**
 * The Model section and training resume in the real viewer (issue 5), against a fresh Orthanc:
 * train tiny → export the model file → forget the browser's model → bad imports are refused in the
 * panel → import the exported file (and the same file by same-origin URL) → pseudo-label a new study
 * with the imported model, skipping the one this model already labelled → its SR is in Orthanc;
 * training cancelled mid-run → reload → Resume → completes; the heatmap overlay shows non-empty pixels
 * inside the image and follows a resize. Fails on any console error. Screenshots 3x-model-*.png in
 * artifacts/e2e/.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEPHALOGRAM } from '../../extension/src/ohif/templates.ts';
import { MODEL_NAME } from '../../extension/src/ohif/trainingController.ts';
import { dxStudy, stow, type TestStudy } from '../../scripts/serveDemoStudies.ts';
import { openSession, type Session } from './support/browser.ts';
import { imageToScreen } from './support/geometry.ts';
import { manualLabelSr } from './support/manualLabels.ts';
import { landmarkSrsInPacs } from './support/pacs.ts';
import { startStack, type Stack } from './support/stack.ts';

const ARTIFACTS = path.resolve('artifacts/e2e');
const PLUGINS = path.resolve('dist/plugins/landmarks');
const NAMES = CEPHALOGRAM.landmarks;
const DX_SIZE = { width: 320, height: 256 };

/** Deletes tfjs' IndexedDB model store of the page's origin (the browser forgets its model). */
async function forgetBrowserModel(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const r = indexedDB.deleteDatabase('tensorflowjs');
        r.onsuccess = () => resolve();
        // Blocked by the worker's open connection: the deletion completes when the page reloads.
        r.onblocked = () => resolve();
        r.onerror = () => reject(r.error);
      }),
  );
}

describe('model export/import, pseudo-label with an imported model, resume, heatmap overlay', () => {
  let stack: Stack;
  let session: Session;
  let unlabelled: TestStudy[];
  let url: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack();
    const files: ArrayBuffer[] = [];
    for (let k = 0; k < 4; k++) {
      const s = dxStudy(`model-labelled-${k}`);
      files.push(...s.files, manualLabelSr(s.study, k, NAMES));
    }
    const u = dxStudy('model-unlabelled-0');
    files.push(...u.files);
    unlabelled = [u.study];
    await stow(stack.pacs.dicomWebUrl, files);
    session = await openSession();
    url = `${stack.server.url}/landmarks?StudyInstanceUIDs=${u.study.studyUid}`;
    // The webpack build inside startStack took over 5 min on the shared 2-core machine.
  }, 900_000);

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  const shot = (name: string) =>
    session.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const phase = () => session.page.getByTestId('landmarks-train-phase').getAttribute('data-phase');
  const waitPhase = (re: RegExp, timeout = 240_000) =>
    expect.poll(phase, { timeout, interval: 500 }).toMatch(re);

  async function openViewer(): Promise<void> {
    const { page } = session;
    await page.goto(url, { timeout: 120_000 });
    await page.getByTestId('landmarks-model-section').waitFor({ timeout: 120_000 });
    await page
      .locator('[data-viewportid="landmarks-2d"] canvas')
      .first()
      .waitFor({ timeout: 120_000 });
    // wasm for every job (webgpu/webgl on SwiftShader are slow and only correctness-checked).
    await page.getByTestId('landmarks-backend').selectOption('wasm');
  }

  it('exports the trained model, imports it into a browser without one, pseudo-labels a new study with it', async () => {
    const { page } = session;
    await openViewer();
    await expect.poll(() => page.getByTestId('landmarks-model-none').count()).toBe(1);
    await page.getByTestId('landmarks-train').click();
    await waitPhase(/done|error/);
    expect(await page.getByTestId('landmarks-train-error').count()).toBe(0);
    const summary = page.getByTestId('landmarks-model-summary');
    const id = await summary.getAttribute('data-model-id');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(await summary.textContent()).toContain('1 unlabelled');
    await shot('30-model-trained');

    // Export: one JSON file, downloaded.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('landmarks-model-export').click(),
    ]);
    const file = path.join(ARTIFACTS, 'model-export.json');
    await download.saveAs(file);
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundle.format).toBe('ohif-landmarks-model-bundle');
    expect(bundle.id).toBe(id);
    expect(bundle.metadata.landmarkNames).toEqual(NAMES);
    const exported = page.getByTestId('landmarks-model-exported');
    await exported.waitFor();
    console.log(
      `export: ${statSync(file).size} bytes, ${await exported.getAttribute('data-ms')} ms in the worker`,
    );
    await shot('31-model-exported');

    // A browser without the model: bad inputs give a message in the panel, the viewer stays.
    await forgetBrowserModel(page);
    await openViewer();
    await expect.poll(() => page.getByTestId('landmarks-model-none').count()).toBe(1);
    await page.getByTestId('landmarks-model-url').fill('https://example.com/model.json');
    await page.getByTestId('landmarks-model-import-url').click();
    await expect
      .poll(() => page.getByTestId('landmarks-model-error').textContent())
      .toContain('origin https://example.com is not allowed');
    const damaged = path.join(ARTIFACTS, 'model-damaged.json');
    writeFileSync(damaged, readFileSync(file, 'utf8').slice(0, 5000));
    await page.getByTestId('landmarks-model-file').setInputFiles(damaged);
    await expect
      .poll(() => page.getByTestId('landmarks-model-error').textContent())
      .toContain('file "model-damaged.json": not JSON');
    await shot('32-model-import-refused');
    expect(await page.getByTestId('landmarks-model-none').count()).toBe(1);
    await page.locator('[data-viewportid="landmarks-2d"] canvas').first().waitFor();

    // The exported file imports; the same file by same-origin URL too.
    await page.getByTestId('landmarks-model-file').setInputFiles(file);
    await expect.poll(() => summary.getAttribute('data-model-id'), { timeout: 60_000 }).toBe(id);
    expect(await page.getByTestId('landmarks-model-error').count()).toBe(0);
    const imported = page.getByTestId('landmarks-model-imported');
    console.log(`import (file): ${await imported.getAttribute('data-ms')} ms in the worker`);
    copyFileSync(file, path.join(PLUGINS, 'e2e-model.json'));
    await page.getByTestId('landmarks-model-url').fill('/plugins/landmarks/e2e-model.json');
    await page.getByTestId('landmarks-model-import-url').click();
    await expect
      .poll(() => summary.locator('[data-field="Stored"]').textContent(), { timeout: 60_000 })
      .toContain('url');
    expect(await summary.getAttribute('data-model-id')).toBe(id);
    await shot('33-model-imported');

    // Pseudo-label without training: the new study is labelled, the one this model did is skipped.
    const fresh = dxStudy('model-unlabelled-new');
    await stow(stack.pacs.dicomWebUrl, fresh.files);
    await page.getByTestId('landmarks-pseudo-label').click();
    await waitPhase(/done|error/);
    expect(await page.getByTestId('landmarks-train-error').count()).toBe(0);
    const progress = await page.getByTestId('landmarks-pseudo-progress').textContent();
    expect(progress).toContain('pseudo-labelled 1/1');
    expect(progress).toContain('skipped 1 already labelled by this model');
    await shot('34-model-pseudo-labelled');
    const srs = await landmarkSrsInPacs(stack.pacs.dicomWebUrl, fresh.study.studyUid);
    expect(srs).toHaveLength(1);
    const { set } = srs[0];
    expect(set.model).toEqual({
      name: MODEL_NAME,
      version: id,
      method: 'shape-regulated self-training',
    });
    expect(set.landmarks.map((l) => l.name)).toEqual(NAMES);
    for (const l of set.landmarks) {
      expect(['pseudo-label', 'flagged-abnormal']).toContain(l.status);
      expect(l.position.every(Number.isFinite)).toBe(true);
      // The worker's heatmap confidence reached the SR (mass within R of the prediction).
      expect(l.confidence).toBeGreaterThanOrEqual(0);
      expect(l.confidence).toBeLessThanOrEqual(1);
    }
    console.log(
      `pseudo-label confidence (imported model): ${set.landmarks.map((l) => l.confidence?.toFixed(2)).join(' ')}`,
    );
    // The study pseudo-labelled during training still has exactly its one SR (not labelled again).
    expect(await landmarkSrsInPacs(stack.pacs.dicomWebUrl, unlabelled[0].studyUid)).toHaveLength(1);
    expect(session.errors).toEqual([]);
  });

  it('resumes a cancelled training after a reload and completes it', async () => {
    const { page } = session;
    await openViewer();
    await page.getByTestId('landmarks-train').click();
    const t0 = Date.now();
    await page.waitForSelector('[data-testid="landmarks-train-progress"]', { timeout: 120_000 });
    const trainStartMs = Date.now() - t0;
    await page.getByTestId('landmarks-cancel').click();
    await waitPhase(/cancelled|done|error/, 60_000);
    expect(await phase()).toBe('cancelled');
    const saved = page.getByTestId('landmarks-saved');
    await saved.waitFor();
    const before = await saved.textContent();
    await shot('35-model-cancelled');

    await openViewer();
    const resume = page.getByTestId('landmarks-resume');
    await resume.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('landmarks-saved').textContent()).toBe(before);
    console.log(
      `saved state after reload: ${before}; resume button: ${await resume.textContent()}`,
    );
    const t1 = Date.now();
    await resume.click();
    await page.waitForSelector('[data-testid="landmarks-train-progress"]', { timeout: 120_000 });
    const resumeStartMs = Date.now() - t1;
    await waitPhase(/done|error/);
    expect(await page.getByTestId('landmarks-train-error').count()).toBe(0);
    expect(await page.getByTestId('landmarks-resume').count()).toBe(0);
    const checkpoint = page.getByTestId('landmarks-checkpoint');
    console.log(
      `click → first step: train ${trainStartMs} ms, resume ${resumeStartMs} ms; ` +
        `per-epoch state save: ${await checkpoint.textContent()}`,
    );
    expect(Number(await checkpoint.getAttribute('data-ms'))).toBeGreaterThan(0);
    await shot('36-model-resumed');
    expect(session.errors).toEqual([]);
  });

  it('draws the heatmap of the displayed image inside the image, and follows a resize', async () => {
    const { page } = session;
    await page.getByTestId('landmarks-heatmap').click();
    await expect
      .poll(() => page.getByTestId('landmarks-heatmap').getAttribute('data-on'), {
        timeout: 60_000,
      })
      .toBe('true');
    const info = page.getByTestId('landmarks-heatmap-info');
    console.log(
      `heatmap request: ${await info.getAttribute('data-ms')} ms (${await info.textContent()})`,
    );
    const overlay = page.getByTestId('landmarks-heatmap-overlay');
    const read = () =>
      overlay.evaluate((c: HTMLCanvasElement) => {
        const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        let count = 0;
        let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
        for (let i = 0; i < width * height; i++) {
          if (data[4 * i + 3] === 0) continue;
          count += 1;
          const [x, y] = [i % width, Math.floor(i / width)];
          [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
        }
        const r = c.getBoundingClientRect();
        const s = c.width / r.width;
        return { count, box: [r.x + x0 / s, r.y + y0 / s, r.x + (x1 + 1) / s, r.y + (y1 + 1) / s] };
      });
    const check = async () => {
      const { count, box } = await read();
      expect(count).toBeGreaterThan(0);
      // Independent placement check: the drawn pixels lie on the image (fit + centred, geometry.ts).
      const a = await imageToScreen(page, 'landmarks-2d', [0, 0], DX_SIZE);
      const b = await imageToScreen(page, 'landmarks-2d', [DX_SIZE.width, DX_SIZE.height], DX_SIZE);
      expect(box[0]).toBeGreaterThanOrEqual(a.x - 2);
      expect(box[1]).toBeGreaterThanOrEqual(a.y - 2);
      expect(box[2]).toBeLessThanOrEqual(b.x + 2);
      expect(box[3]).toBeLessThanOrEqual(b.y + 2);
      return count;
    };
    await check();
    await shot('37-model-heatmap');
    await page.setViewportSize({ width: 1100, height: 800 });
    await expect.poll(async () => (await read()).count, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    await check();
    await shot('38-model-heatmap-resized');
    // Shift+H (an OHIF hotkey bound by the mode to landmarksToggleHeatmap) hides it.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+H');
    await expect.poll(() => overlay.count(), { timeout: 30_000 }).toBe(0);
    expect(await page.getByTestId('landmarks-heatmap').getAttribute('data-on')).toBe('false');
    expect(session.errors).toEqual([]);
  });
});
