/**
 * Labels a radiologist can read (issue 14 item 3), in the real published viewer against a fresh
 * Orthanc. A synthetic lateral cephalogram (the core's generator: 19 ISBI landmarks drawn from the
 * ISBI shape model, so the incisal incisions lie ~2 mm apart and menton, gnathion and soft-tissue
 * pogonion crowd the chin) is stored with a manual SR of its 19 landmarks. Measured in the page (each
 * label's SVG text box, relative to the viewport's canvas; see support/labelBoxes.ts): no two names
 * overlap, every name lies inside the viewport, each sits beside its point or is joined to it by a
 * leader line, over a dark halo — at the fitted view, zoomed in and panned to the edge, and zoomed
 * out. Numbers only shows 1..19 (the panel's numbering); a hidden landmark's label goes; both survive a
 * reload. X_β's label stays inside the viewport when X_β is at its edge. On a CBCT the names in the
 * three MPR views have the same halo and placement. The panel fits OHIF's right panel (no field or
 * error text wider than it). Fails on any console error. Screenshots artifacts/e2e/labels-*.png
 * (copied to docs/images/).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import generateCephalogram from '../../extension/src/core/synthetic/generateCephalogram.ts';
import { writeDxImage } from '../../extension/src/dicom/imageWriter.ts';
import { SOP_CLASS } from '../../extension/src/dicom/sopClasses.ts';
import { writeLandmarkSr } from '../../extension/src/dicom/srWriter.ts';
import type { Landmark } from '../../extension/src/dicom/types.ts';
import { uidFromSeed } from '../../extension/src/dicom/uids.ts';
import { CBCT, CEPHALOGRAM } from '../../extension/src/ohif/templates.ts';
import { stow } from '../../scripts/serveDemoStudies.ts';
import {
  labelProblems,
  landmarkPoints,
  viewLabels,
  type ViewLabels,
} from './support/labelBoxes.ts';
import { ARTIFACTS, browserHarness } from './support/volumeHarness.ts';
import { cbctStudy, manualSr } from './support/volumeHeatmapHarness.ts';

const POLL = { timeout: 60_000, interval: 250 };
const NAVIGATION = { timeout: 120_000, waitUntil: 'domcontentloaded' as const };
const NAMES = CEPHALOGRAM.landmarks;
const VIEW_2D = 'landmarks-2d';
const MPR = ['mpr-axial', 'mpr-sagittal', 'mpr-coronal'] as const;
const NAMING = { prefix: 'labels', patientName: 'E2E^LABELS', studyDate: '20260107' };

interface CephStudy {
  studyUid: string;
  files: ArrayBuffer[];
  /** SCOORD image pixels of the 19 landmarks. */
  positions: [number, number][];
  width: number;
}

/** A synthetic cephalogram as a DX study with an SR of its 19 landmarks (`landmark(i, position)`). */
function cephStudy(
  seed: number,
  landmark: (i: number, p: [number, number]) => Landmark,
): CephStudy {
  const image = generateCephalogram({ seed });
  const id = `labels-ceph-${seed}`;
  const studyUid = uidFromSeed(`${id}/study`);
  const seriesUid = uidFromSeed(`${id}/series`);
  const sopUid = uidFromSeed(`${id}/sop`);
  const study = {
    patientId: id,
    patientName: `E2E^LABELS${seed}`,
    studyUid,
    studyDate: '20260107',
    studyDescription: `DX ${id}`,
  };
  const dx = writeDxImage(
    study,
    { seriesUid, seriesNumber: 1, seriesDescription: 'Lateral ceph' },
    {
      width: image.width,
      height: image.height,
      pixels: image.pixels,
      bitsStored: image.bitsStored as 12,
      spacingMm: image.spacingMm,
      sopUid,
    },
  );
  // The generator's pixel centres are at integers; SCOORD puts (0, 0) at the first pixel's corner.
  const positions = image.landmarksPx.map((p) => [p[0]! + 0.5, p[1]! + 0.5] as [number, number]);
  const sr = writeLandmarkSr(
    {
      studyUid,
      seriesUid,
      sopUids: [sopUid],
      sopClassUid: SOP_CLASS.DX_PRESENTATION,
      dimension: 2,
      templateId: CEPHALOGRAM.id,
      landmarks: positions.map((p, i) => landmark(i, p)),
    },
    {
      study,
      seriesUid: uidFromSeed(`${id}/sr-series`),
      sopUid: uidFromSeed(`${id}/sr`),
      observerName: 'Annotator^E2E',
    },
  );
  return { studyUid, files: [dx, sr], positions, width: image.width };
}

const manual = (i: number, position: [number, number]): Landmark => ({
  name: NAMES[i]!,
  position,
  status: 'manual',
});

describe('landmark labels: decluttered, haloed, inside the viewport; numbers only and hiding', () => {
  const dense = cephStudy(11, manual);
  // Pseudo labels with Nasion flagged: its X_β lies 3 px from the image's right edge.
  const NASION = NAMES.indexOf('Nasion');
  let adjustedAt: [number, number] = [0, 0];
  const review = cephStudy(12, (i, position) => {
    if (i !== NASION) return { name: NAMES[i]!, position, status: 'pseudo-label' };
    const image = generateCephalogram({ seed: 12 });
    adjustedAt = [image.width - 3, position[1]];
    const mm = Math.hypot(adjustedAt[0] - position[0], adjustedAt[1] - position[1]) * 0.8;
    return {
      name: NAMES[i]!,
      position,
      status: 'flagged-abnormal',
      deviationMm: mm,
      adjustedPosition: adjustedAt,
    };
  });
  const cbct = cbctStudy(21, NAMING);
  const { stack, session, shot } = browserHarness(async (started) => {
    await stow(started.pacs.dicomWebUrl, [
      ...dense.files,
      ...review.files,
      ...cbct.files,
      manualSr(cbct, 21, { ...NAMING, patientIdPrefix: NAMING.prefix }),
    ]);
  });
  const labelShot = (name: string) => shot(`labels-${name}`);
  const viewShot = (id: string, name: string) =>
    session()
      .page.locator(`[data-viewportid="${id}"]`)
      .first()
      .screenshot({ path: path.join(ARTIFACTS, `labels-${name}.png`), timeout: 120_000 });

  async function open(studyUid: string): Promise<void> {
    const { page } = session();
    await page.goto(`${stack().server.url}/landmarks?StudyInstanceUIDs=${studyUid}`, NAVIGATION);
    await expect
      .poll(() => page.getByTestId('landmarks-study-uid').textContent(), POLL)
      .toBe(studyUid);
  }

  /** Polls until the 2D view draws `count` name labels that pass every check; returns them. */
  async function settled(count: number, viewportId = VIEW_2D): Promise<ViewLabels> {
    const { page } = session();
    let last: ViewLabels = { canvas: { width: 0, height: 0 }, labels: [] };
    const check = async () => {
      last = await viewLabels(page, viewportId);
      const names = last.labels.filter((l) => l.kind === 'name').length;
      return [...(names === count ? [] : [`${names} names drawn`]), ...labelProblems(last)];
    };
    await expect.poll(check, POLL).toEqual([]);
    return last;
  }

  /** Middle-button drag (the basic mode's Pan) or right-button drag (Zoom) on the 2D canvas. */
  async function drag(button: 'middle' | 'right', dx: number, dy: number): Promise<void> {
    const { page } = session();
    const box = await page.locator(`[data-viewportid="${VIEW_2D}"] canvas`).first().boundingBox();
    if (!box) throw new Error('no 2D viewport');
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down({ button });
    await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
    await page.mouse.move(x + dx, y + dy, { steps: 4 });
    await page.mouse.up({ button });
  }

  /** Horizontal spread of the drawn names' points, canvas pixels (grows on zoom in). */
  const spread = (v: ViewLabels) => {
    const xs = v.labels.map((l) => l.point[0]);
    return Math.max(...xs) - Math.min(...xs);
  };

  /** Canvas position of the named landmark's point in the 2D view. */
  const pointOf = (view: ViewLabels, name: string) =>
    view.labels.find((l) => l.kind === 'name' && l.name === name)!.point;

  it('draws the 19 names of a dense cephalogram apart, inside the view, over a dark halo', async () => {
    const { page, errors } = session();
    await page.setViewportSize({ width: 1400, height: 900 });
    await open(dense.studyUid);
    const view = await settled(19);
    // The cephalogram is dense: some names had to leave their default spot (with leader lines).
    const moved = view.labels.filter((l) => l.moved);
    expect(moved.length).toBeGreaterThan(0);
    const incisors = ['Upper incisal incision', 'Lower incisal incision'].map((n) =>
      pointOf(view, n),
    );
    console.log(
      `labels: ${moved.length}/19 moved; incisal incisions ${Math.hypot(
        incisors[0]![0] - incisors[1]![0],
        incisors[0]![1] - incisors[1]![1],
      ).toFixed(1)} px apart; halo ${JSON.stringify(view.labels[0]!.halo)}`,
    );
    expect(view.labels[0]!.halo.paintOrder).toMatch(/^stroke/);
    await labelShot('2d-dense');
    await viewShot(VIEW_2D, '2d-dense-viewport');
    // Close-up of the chin with the bone windowed to white: the names read over their dark halo.
    await page.evaluate(() => {
      /* eslint-disable @typescript-eslint/no-explicit-any */
      const vp = (window as any).cornerstone
        .getRenderingEngines()
        .map((e: any) => e.getViewport('landmarks-2d'))
        .find(Boolean);
      vp.setProperties({ voiRange: { lower: 300, upper: 1800 } });
      vp.render();
      /* eslint-enable @typescript-eslint/no-explicit-any */
    });
    const canvasBox = await page
      .locator(`[data-viewportid="${VIEW_2D}"] canvas`)
      .first()
      .boundingBox();
    const chin = pointOf(view, 'Menton');
    await page.screenshot({
      path: path.join(ARTIFACTS, 'labels-halo-closeup.png'),
      clip: {
        x: canvasBox!.x + chin[0] - 200,
        y: canvasBox!.y + chin[1] - 170,
        width: 400,
        height: 230,
      },
      timeout: 120_000,
    });
    expect(errors).toEqual([]);
  });

  it('keeps them apart and inside after zooming in, panning to the edge and zooming out', async () => {
    const { errors } = session();
    const before = await settled(19);
    // Zoom in (right-drag down), then pan soft-tissue pogonion (the most anterior chin point) to
    // 12 px from the viewport's right edge and 20 px from its bottom: its name cannot go right or
    // below, so it must flip; every name in view stays whole.
    await drag('right', 0, 150);
    const EDGE = 'Soft tissue pogonion';
    const canvas = before.canvas;
    const at = async () => (await landmarkPoints(session().page, VIEW_2D))[EDGE]!;
    const fitted = pointOf(before, EDGE);
    await expect.poll(async () => Math.abs((await at())[1] - fitted[1]), POLL).toBeGreaterThan(20);
    const [px, py] = await at();
    await drag('middle', canvas.width - 12 - px, canvas.height - 20 - py);
    // Checked once the render after the camera change has settled (a busy machine lags a frame).
    await expect
      .poll(async () => {
        const v = await viewLabels(session().page, VIEW_2D);
        const edge = v.labels.find((l) => l.name === EDGE);
        const near = edge && v.canvas.width - edge.point[0] < 30;
        return [...(near ? [] : [`${EDGE} not at the edge`]), ...labelProblems(v)];
      }, POLL)
      .toEqual([]);
    const zoomedIn = await viewLabels(session().page, VIEW_2D);
    const edge = zoomedIn.labels.find((l) => l.name === EDGE)!;
    expect(edge.box[0] + edge.box[2]).toBeLessThanOrEqual(edge.point[0]);
    console.log(
      `labels zoomed in: ${zoomedIn.labels.length} in view; ${EDGE} at ${edge.point
        .map((v) => v.toFixed(0))
        .join(', ')} of ${zoomedIn.canvas.width} × ${zoomedIn.canvas.height}, name box ${edge.box
        .map((v) => v.toFixed(0))
        .join(', ')}`,
    );
    await labelShot('2d-zoomed-in');
    // Back, then zoom far out: the 19 points crowd into a small patch.
    await session().page.keyboard.press('Space');
    await drag('right', 0, -220);
    await expect
      .poll(async () => spread(await viewLabels(session().page, VIEW_2D)), POLL)
      .toBeLessThan(0.6 * spread(before));
    const out = await settled(19);
    console.log(`labels zoomed out: ${out.labels.filter((l) => l.moved).length}/19 moved`);
    await labelShot('2d-zoomed-out');
    await session().page.keyboard.press('Space');
    expect(errors).toEqual([]);
  });

  it('shows numbers only (1..19 as in the panel) and hides one landmark; both kept after a reload', async () => {
    const { page, errors } = session();
    await page.getByTestId('landmarks-numbers-only').check();
    const numbers = async () => {
      const v = await viewLabels(page, VIEW_2D);
      return v.labels.map((l) => `${l.name}=${l.text}`).sort();
    };
    const expected = NAMES.map((n, i) => `${n}=${i + 1}`).sort();
    await expect.poll(numbers, POLL).toEqual(expected);
    expect(labelProblems(await settled(19))).toEqual([]);
    await labelShot('numbers-only');
    await viewShot(VIEW_2D, 'numbers-only-viewport');
    // Hide Menton's label from the list: its label goes, its point stays.
    await page.locator('[data-testid="landmarks-label-visible"][data-name="Menton"]').uncheck();
    await expect
      .poll(async () => (await numbers()).some((t) => t.startsWith('Menton=')), POLL)
      .toBe(false);
    await settled(18);
    // Kept for the session: after a reload numbers only is on and Menton still hidden.
    await page.reload(NAVIGATION);
    await expect.poll(numbers, POLL).toEqual(expected.filter((t) => !t.startsWith('Menton=')));
    expect(await page.getByTestId('landmarks-numbers-only').isChecked()).toBe(true);
    expect(
      await page.locator('[data-testid="landmarks-label-visible"][data-name="Menton"]').isChecked(),
    ).toBe(false);
    // Back to names, all shown.
    await page.locator('[data-testid="landmarks-label-visible"][data-name="Menton"]').check();
    await page.getByTestId('landmarks-numbers-only').uncheck();
    await expect.poll(numbers, POLL).toEqual(NAMES.map((n) => `${n}=${n}`).sort());
    expect(errors).toEqual([]);
  });

  it('keeps the X_β label inside the viewport when X_β lies at its edge', async () => {
    const { page, errors } = session();
    await open(review.studyUid);
    const rows = page.getByTestId('landmarks-review-row');
    await expect.poll(() => rows.count(), POLL).toBe(19);
    await page.locator('[data-testid="landmarks-review-row"][data-name="Nasion"]').click();
    const adjusted = async () =>
      (await viewLabels(page, VIEW_2D)).labels.find((l) => l.kind === 'adjusted');
    await expect.poll(async () => (await adjusted())?.text, POLL).toMatch(/^X_β Δ \d+\.\d mm$/);
    // Pan X_β to 15 px from the viewport's right edge: its label flips or clamps inside.
    const first = (await viewLabels(page, VIEW_2D)).canvas;
    const x = (await adjusted())!.point[0];
    await drag('middle', first.width - 15 - x, 0);
    await expect
      .poll(async () => first.width - (await adjusted())!.point[0], POLL)
      .toBeLessThan(30);
    await expect.poll(async () => labelProblems(await viewLabels(page, VIEW_2D)), POLL).toEqual([]);
    const label = (await adjusted())!;
    expect(label.box[0] + label.box[2]).toBeLessThanOrEqual(first.width + 0.5);
    console.log(
      `X_β at x = ${label.point[0].toFixed(1)} of ${first.width}; label box ${label.box
        .map((v) => v.toFixed(1))
        .join(', ')}`,
    );
    await labelShot('adjusted-at-edge');
    await viewShot(VIEW_2D, 'adjusted-at-edge-viewport');
    await page.keyboard.press('Space');
    expect(errors).toEqual([]);
  });

  it('draws MPR names with the same halo and placement in the three views', async () => {
    const { page, errors } = session();
    await open(cbct.studyUid);
    const rows = page.getByTestId('landmarks-review-row');
    await expect.poll(() => rows.count(), POLL).toBe(CBCT.landmarks.length);
    // Selecting Sella makes the three views jump to it.
    await page.locator('[data-testid="landmarks-review-row"][data-name="Sella"]').click();
    for (const id of MPR) {
      await expect
        .poll(async () => {
          const v = await viewLabels(page, id);
          const sella = v.labels.some((l) => l.name === 'Sella');
          return [...(sella ? [] : ['Sella not drawn']), ...labelProblems(v)];
        }, POLL)
        .toEqual([]);
      const v = await viewLabels(page, id);
      console.log(
        `labels ${id}: ${v.labels.length} drawn, ${v.labels.filter((l) => l.moved).length} moved`,
      );
    }
    await labelShot('mpr');
    expect(errors).toEqual([]);
  });

  it('fits the panel into OHIF’s right panel: fields and error text wrap or shrink', async () => {
    const { page, errors } = session();
    await open(dense.studyUid);
    await page.getByTestId('landmarks-model-section').waitFor();
    // An error with a long URL (an origin the configuration does not allow).
    const url = `https://models.example.org/${'very-long-path-segment/'.repeat(6)}landmarks-model.json`;
    await page.getByTestId('landmarks-model-url').fill(url);
    await page.getByTestId('landmarks-model-import-url').click();
    await expect.poll(() => page.getByTestId('landmarks-model-error').count(), POLL).toBe(1);
    const report = await page.evaluate(() => {
      const panel = document.querySelector('.ohif-landmarks-panel') as HTMLElement;
      const edge = panel.getBoundingClientRect();
      const wide = Array.from(panel.querySelectorAll<HTMLElement>('*'))
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && (r.right > edge.right + 0.5 || r.left < edge.left - 0.5);
        })
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}[${e.dataset.testid ?? ''}] ${e.getBoundingClientRect().right.toFixed(0)}`,
        );
      return {
        width: edge.width,
        scroll: panel.scrollWidth - panel.clientWidth,
        wide,
      };
    });
    console.log(
      `panel: ${report.width.toFixed(0)} px wide, ${report.wide.length} elements past its edge`,
    );
    expect(report.wide).toEqual([]);
    expect(report.scroll).toBeLessThanOrEqual(0);
    const error = await page.getByTestId('landmarks-model-error').boundingBox();
    expect(error!.height).toBeGreaterThan(20);
    await page.getByTestId('landmarks-model-error').scrollIntoViewIfNeeded();
    await labelShot('panel');
    await page
      .getByTestId('landmarks-model-section')
      .screenshot({ path: path.join(ARTIFACTS, 'labels-panel-model.png'), timeout: 120_000 });
    expect(errors).toEqual([]);
  });
});
