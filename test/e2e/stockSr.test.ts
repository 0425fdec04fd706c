/**
 * Stock OHIF reads our landmark SRs (issue 14 item 4), in the real published viewer against a fresh
 * Orthanc: a study with a 19-landmark pseudo-label SR (statuses, a flagged landmark with its
 * deviation and shape-adjusted position, confidences) opens in OHIF's own Basic Viewer mode (route
 * /viewer, not the Landmarks mode); the SR thumbnail is loaded into the viewport; OHIF hydrates it
 * (its badge offers to restore the measurements instead of calling the SR "not compatible"), and the
 * Measurements panel lists each landmark by name, as a point (Probe) measurement on the image where
 * the SR put it. A 3D SR (SCOORD3D) on a CT series loads the same way. Fails on any console error.
 * Screenshots: artifacts/e2e/stock-sr-*.png (copied to docs/images/).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOP_CLASS } from '../../extension/src/dicom/sopClasses.ts';
import { writeLandmarkSr } from '../../extension/src/dicom/srWriter.ts';
import type { Landmark } from '../../extension/src/dicom/types.ts';
import { uidFromSeed } from '../../extension/src/dicom/uids.ts';
import { CEPHALOGRAM } from '../../extension/src/ohif/templates.ts';
import { ctStudy, dxStudy, stow, type TestStudy } from '../../scripts/serveDemoStudies.ts';
import { openSession, type Session } from './support/browser.ts';
import { reviewPosition } from './support/pseudoLabels.ts';
import { startStack, type Stack } from './support/stack.ts';

const ARTIFACTS = path.resolve('artifacts/e2e');
/** expect.poll waits up to 60 s: the CI machine and this one are busy (the default is 1 s). */
const POLL = { timeout: 60_000 };
/** Page loads: Playwright's 30 s default was exceeded on a machine with load average 17. */
const NAVIGATION = { timeout: 120_000, waitUntil: 'domcontentloaded' as const };
const NAMES = CEPHALOGRAM.landmarks;
const FLAGGED = 'Pogonion';
/** CBCT landmarks of the 3D SR, at patient mm inside the e2e CT volume (48 x 48 x 40 voxels of 1 mm). */
const VOLUME_NAMES = ['Sella', 'Nasion', 'Menton', 'Gonion R'];
const volumePosition = (i: number): number[] => [12 + 6 * i, 20 + 2 * i, 10 + 5 * i];

/** Pseudo labels at reviewPosition(i), one flagged with X_β, and a confidence on every landmark. */
function landmarks(): Landmark[] {
  return NAMES.map((name, i) => {
    const position = reviewPosition(i);
    const confidence = 0.5 + 0.025 * i;
    return name === FLAGGED
      ? {
          name,
          position,
          status: 'flagged-abnormal',
          deviationMm: 5,
          adjustedPosition: [position[0] + 6, position[1] + 8],
          confidence,
        }
      : { name, position, status: i % 4 === 0 ? 'accepted' : 'pseudo-label', confidence };
  });
}

function landmarkSr(study: TestStudy): ArrayBuffer {
  return writeLandmarkSr(
    {
      studyUid: study.studyUid,
      seriesUid: study.seriesUid,
      sopUids: study.sopUids,
      sopClassUid: SOP_CLASS.DX_PRESENTATION,
      dimension: 2,
      templateId: CEPHALOGRAM.id,
      landmarks: landmarks(),
      model: { name: 'e2e-model', version: '0', method: 'shape-regulated self-training' },
      mahalanobis: 3.5,
    },
    {
      study: {
        patientId: study.patientId,
        patientName: study.patientName,
        studyUid: study.studyUid,
        studyDate: '20260101',
        studyDescription: `DX ${study.patientId}`,
      },
      seriesUid: uidFromSeed(`${study.studyUid}/stock-sr-series`),
      sopUid: uidFromSeed(`${study.studyUid}/stock-sr`),
      seriesDescription: 'Landmarks',
    },
  );
}

/** A manual 3D SR (SCOORD3D in the volume's frame of reference) of the e2e CT study. */
function volumeSr(study: TestStudy, seed: string): ArrayBuffer {
  return writeLandmarkSr(
    {
      studyUid: study.studyUid,
      seriesUid: study.seriesUid,
      sopUids: study.sopUids,
      sopClassUid: SOP_CLASS.CT,
      dimension: 3,
      frameOfReferenceUid: uidFromSeed(`${seed}/for`),
      landmarks: VOLUME_NAMES.map((name, i) => ({
        name,
        position: volumePosition(i),
        status: 'manual',
      })),
    },
    {
      study: {
        patientId: study.patientId,
        patientName: study.patientName,
        studyUid: study.studyUid,
        studyDate: '20260102',
        studyDescription: `CBCT ${study.patientId}`,
      },
      seriesUid: uidFromSeed(`${study.studyUid}/stock-sr-series`),
      sopUid: uidFromSeed(`${study.studyUid}/stock-sr`),
      observerName: 'Annotator^E2E',
    },
  );
}

/**
 * Hydrated Probe annotations (OHIF's tool for a point), from host globals: label, world point (patient
 * mm) and, for 2D ones, the image point.
 */
function probes(
  page: Session['page'],
): Promise<Array<{ label: string; world: number[]; image?: number[] }>> {
  return page.evaluate(() => {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const w = window as any;
    return (w.cornerstoneTools.annotation.state.getAllAnnotations() as any[])
      .filter((a) => a.metadata?.toolName === 'Probe')
      .map((a) => {
        const world = [...a.data.handles.points[0]] as number[];
        const imageId = a.metadata.referencedImageId;
        return {
          label: String(a.data.label),
          world,
          ...(imageId
            ? { image: [...w.cornerstone.utilities.worldToImageCoords(imageId, world)] }
            : {}),
        };
      });
    /* eslint-enable @typescript-eslint/no-explicit-any */
  });
}

describe('stock OHIF Basic Viewer reads a landmark SR', () => {
  let stack: Stack;
  let session: Session;
  let study: TestStudy;
  let volume: TestStudy;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack();
    const s = dxStudy('stock-sr');
    const v = ctStudy('stock-sr-3d');
    await stow(stack.pacs.dicomWebUrl, [
      ...s.files,
      landmarkSr(s.study),
      ...v.files,
      volumeSr(v.study, 'stock-sr-3d'),
    ]);
    [study, volume] = [s.study, v.study];
    session = await openSession();
  }, 900_000);

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  const shot = (name: string) =>
    session.page.screenshot({ path: path.join(ARTIFACTS, `stock-sr-${name}.png`) });

  /** Opens a study in OHIF's Basic Viewer (route /viewer); returns its SR thumbnail. */
  async function openInBasicViewer(target: TestStudy) {
    const { page } = session;
    await page.goto(`${stack.server.url}/viewer?StudyInstanceUIDs=${target.studyUid}`, NAVIGATION);
    const srThumbnail = page
      .locator('[data-cy^="study-browser-thumbnail"]')
      .filter({ hasText: 'SR' })
      .first();
    await srThumbnail.waitFor({ timeout: 120_000 });
    await page.locator('.cornerstone-canvas, canvas').first().waitFor({ timeout: 120_000 });
    // A fresh profile gets OHIF's onboarding tour once, whose overlay takes the clicks.
    const skipTour = page.getByText('Skip all');
    const tour = await skipTour.waitFor({ timeout: 30_000 }).then(
      () => true,
      () => false,
    );
    if (tour) await skipTour.click();
    return srThumbnail;
  }

  /** Answers Yes to OHIF's tracking prompt and opens the collapsed right panel's Measurements tab. */
  async function loadAndShowMeasurements(): Promise<void> {
    const { page } = session;
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.locator('[data-cy="trackedMeasurements-btn"]').click();
  }

  it('loads the SR in the Basic Viewer and lists every landmark by name in the Measurements panel', async () => {
    const { page } = session;
    const srThumbnail = await openInBasicViewer(study);
    await shot('1-basic-viewer');

    await srThumbnail.dblclick();
    // The SR viewport draws the landmarks with their names, and OHIF's measurement tracking asks
    // whether to load them (the prompt only comes for an SR it can read).
    const yes = page.getByRole('button', { name: 'Yes' });
    await yes.waitFor({ timeout: 120_000 });
    // The SR badge's tooltip: "Click LOAD to restore measurements.", not "This structured report is
    // not compatible with this application." (OHIF's isRehydratable).
    await page.locator('[data-cy^="ModalityLoadBadge-"]').first().hover();
    await page.getByText('to restore measurements').first().waitFor({ timeout: 30_000 });
    expect(await page.getByText('not compatible with this application').count()).toBe(0);
    await shot('2-sr-viewport');
    // The Basic Viewer starts with its right panel collapsed.
    await loadAndShowMeasurements();
    const titles = page.locator('[data-cy="data-row-title"]');
    await expect.poll(() => titles.count(), POLL).toBe(NAMES.length);
    expect((await titles.allTextContents()).map((t) => t.trim()).sort()).toEqual([...NAMES].sort());
    await shot('3-measurements');

    // Each name is a Probe on the image, where the SR put the landmark (SCOORD pixel corners vs
    // Cornerstone's pixel centres: within a pixel).
    const hydrated = await probes(page);
    expect(hydrated.map((p) => p.label).sort()).toEqual([...NAMES].sort());
    for (const [i, name] of NAMES.entries()) {
      const image = hydrated.find((h) => h.label === name)!.image!;
      const [x, y] = reviewPosition(i);
      expect(Math.abs(image[0]! - x)).toBeLessThanOrEqual(1);
      expect(Math.abs(image[1]! - y)).toBeLessThanOrEqual(1);
    }
    expect(session.errors).toEqual([]);
  });

  it('loads a 3D SR (SCOORD3D) on a CT series and lists its landmarks by name', async () => {
    const { page } = session;
    const srThumbnail = await openInBasicViewer(volume);
    await srThumbnail.dblclick();
    await page.getByRole('button', { name: 'Yes' }).waitFor({ timeout: 120_000 });
    await loadAndShowMeasurements();
    const titles = page.locator('[data-cy="data-row-title"]');
    await expect.poll(() => titles.count(), POLL).toBe(VOLUME_NAMES.length);
    expect((await titles.allTextContents()).map((t) => t.trim())).toEqual(VOLUME_NAMES);
    await shot('4-volume-measurements');
    // SCOORD3D points are patient mm: the Probes sit exactly there.
    const hydrated = await probes(page);
    for (const [i, name] of VOLUME_NAMES.entries()) {
      const p = hydrated.find((h) => h.label === name)!;
      p.world.forEach((v, k) => expect(v).toBeCloseTo(volumePosition(i)[k]!, 3));
    }
    expect(session.errors).toEqual([]);
  });
});
