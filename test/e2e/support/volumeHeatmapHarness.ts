/**
 * Synthetic CBCT studies for the volume heatmap e2e (the core's CBCT generator written as CT slices,
 * with a manual SCOORD3D landmark SR for annotated ones), and page probes of the MPR views: the host's
 * Cornerstone debugging globals (window.cornerstone*), which only tests touch, give each view's camera
 * and worldToCanvas independently of the product's overlay code.
 *
 * The study builders are the ones of volumeTraining.test.ts (same sizes and geometry), kept here
 * because that file's owner keeps its helpers local.
 */
import type { Page } from 'playwright-core';
import { generateCbctVolume } from '../../../extension/src/core/synthetic/index.ts';
import { ctSliceUid, writeCtSeries } from '../../../extension/src/dicom/imageWriter.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import { CBCT } from '../../../extension/src/ohif/templates.ts';

/** 48 × 48 × 42 voxels at 4 mm: the generator's 192 × 192 × 168 mm field. */
export const SIZE = {
  width: 48,
  height: 48,
  depth: 42,
  spacingMm: [4, 4, 4] as [number, number, number],
};
export const ORIGIN: [number, number, number] = [-96, -96, -40];

export interface CbctStudy {
  studyUid: string;
  seriesUid: string;
  frameOfReferenceUid: string;
  sopUids: string[];
  /** Landmarks in patient mm (LPS). */
  landmarksMm: number[][];
  files: ArrayBuffer[];
}

/** How the test files name their studies (ids, patient names and dates stay apart between files). */
export interface StudyNaming {
  prefix: string;
  patientName: string;
  studyDate: string;
}
const HEATMAP_NAMING: StudyNaming = {
  prefix: 'volume-heatmap',
  patientName: 'E2E^HEAT',
  studyDate: '20260104',
};

/** A synthetic CBCT study: the generator's volume written as CT slices; landmarks in patient mm. */
export function cbctStudy(seed: number, naming: StudyNaming = HEATMAP_NAMING): CbctStudy {
  const id = `${naming.prefix}-${seed}`;
  const v = generateCbctVolume({ seed, ...SIZE });
  const studyUid = uidFromSeed(`${id}/study`);
  const seriesUid = uidFromSeed(`${id}/series`);
  const frameOfReferenceUid = uidFromSeed(`${id}/for`);
  const files = writeCtSeries(
    {
      patientId: id,
      patientName: `${naming.patientName}${seed}`,
      studyUid,
      studyDate: naming.studyDate,
      studyDescription: `CBCT ${id}`,
    },
    { seriesUid, seriesNumber: 1, seriesDescription: 'CBCT volume' },
    {
      ...SIZE,
      voxelsHu: Array.from(v.pixels, (p) => p - 1024),
      origin: ORIGIN,
      frameOfReferenceUid,
      uidSeed: id,
    },
  );
  // The generator's voxel centres are at integers: patient = origin + index · spacing (identity axes).
  const landmarksMm = v.landmarksPx.map((p) =>
    p.map((c, a) => ORIGIN[a]! + c * SIZE.spacingMm[a]!),
  );
  const sopUids = Array.from({ length: SIZE.depth }, (_, k) => ctSliceUid(id, k));
  return { studyUid, seriesUid, frameOfReferenceUid, sopUids, landmarksMm, files };
}

/** A manual 3D landmark SR (the CBCT template's names) for a study. */
export function manualSr(
  s: CbctStudy,
  seed: number,
  naming: StudyNaming & { patientIdPrefix: string } = {
    ...HEATMAP_NAMING,
    patientIdPrefix: 'heatmap-e2e',
  },
): ArrayBuffer {
  return writeLandmarkSr(
    {
      studyUid: s.studyUid,
      seriesUid: s.seriesUid,
      sopUids: s.sopUids,
      sopClassUid: SOP_CLASS.CT,
      dimension: 3,
      frameOfReferenceUid: s.frameOfReferenceUid,
      landmarks: CBCT.landmarks.map((name, i) => ({
        name,
        position: s.landmarksMm[i]!,
        status: 'manual',
      })),
    },
    {
      study: {
        patientId: `${naming.patientIdPrefix}-${seed}`,
        patientName: `${naming.patientName}${seed}`,
        studyUid: s.studyUid,
        studyDate: naming.studyDate,
      },
      seriesUid: uidFromSeed(`${s.studyUid}/manual-series`),
      sopUid: uidFromSeed(`${s.studyUid}/manual-sr`),
      observerName: 'Annotator^E2E',
    },
  );
}

/** What a view shows of a world point: its canvas position (CSS px) and whether it is on the plane. */
export interface PointInView {
  canvas: [number, number];
  /** Distance of the point from the view's plane, mm. */
  offPlaneMm: number;
}

/**
 * Moves an MPR view's plane (camera focal point and position along the view normal, no pan) so that
 * it passes through `world` (when `jump`), renders, and says where the point is on its canvas.
 */
export function pointInView(
  page: Page,
  viewportId: string,
  world: number[],
  jump: boolean,
): Promise<PointInView> {
  return page.evaluate(
    ({ viewportId, world, jump }) => {
      /* eslint-disable @typescript-eslint/no-explicit-any */
      const w = window as any;
      const vp = w.cornerstone
        .getRenderingEngines()
        .map((e: any) => e.getViewport(viewportId))
        .find(Boolean);
      if (!vp) throw new Error(`no Cornerstone viewport ${viewportId}`);
      const cam = vp.getCamera();
      const n: number[] = cam.viewPlaneNormal;
      const off = (p: number[]) => n.reduce((s, v, k) => s + v * (world[k]! - p[k]!), 0);
      if (jump) {
        const d = off(cam.focalPoint);
        vp.setCamera({
          focalPoint: cam.focalPoint.map((v: number, k: number) => v + d * n[k]!),
          position: cam.position.map((v: number, k: number) => v + d * n[k]!),
        });
        vp.render();
      }
      const [x, y] = vp.worldToCanvas(world) as number[];
      return { canvas: [x!, y!] as [number, number], offPlaneMm: off(vp.getCamera().focalPoint) };
      /* eslint-enable @typescript-eslint/no-explicit-any */
    },
    { viewportId, world, jump },
  );
}

/** The world point (patient mm) of the landmark annotation called `name` (any view's copy); undefined until drawn. */
export function landmarkWorld(page: Page, name: string): Promise<number[] | undefined> {
  return page.evaluate((name) => {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const w = window as any;
    const all = w.cornerstoneTools?.annotation?.state?.getAllAnnotations?.() as any[] | undefined;
    const a = (all ?? []).find(
      (x) => x.metadata?.toolName === 'LandmarkPoint' && x.data?.label === name,
    );
    return a ? [...(a.data.handles.points[0] as number[])] : undefined;
    /* eslint-enable @typescript-eslint/no-explicit-any */
  }, name);
}

/** What an overlay canvas holds now. */
export interface OverlayPixels {
  /** Pixels with alpha > 0. */
  count: number;
  /** Largest alpha. */
  maxAlpha: number;
  /** Centroid of the pixels with the largest alpha, CSS px of the canvas. */
  brightest: [number, number];
  /** [left, top, right, bottom] of the pixels with alpha > 0, CSS px of the canvas. */
  box: [number, number, number, number];
  /** Sum of alpha over the canvas (changes when another plane is drawn). */
  alphaSum: number;
  draws: number;
  drawMs: number;
  meanDrawMs: number;
  peak: number[];
  voxelMm: number[];
}

/** Reads the volume heatmap overlay of one viewport (undefined when it has none). */
export function readOverlay(page: Page, viewportId: string): Promise<OverlayPixels | undefined> {
  return page.evaluate((viewportId) => {
    const c = document.querySelector<HTMLCanvasElement>(
      `canvas[data-testid="landmarks-volume-heatmap-overlay"][data-viewport="${viewportId}"]`,
    );
    if (!c) return undefined;
    const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let [count, maxAlpha, alphaSum] = [0, 0, 0];
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < width * height; i++) {
      const a = data[4 * i + 3]!;
      if (a === 0) continue;
      count += 1;
      alphaSum += a;
      maxAlpha = Math.max(maxAlpha, a);
      const [x, y] = [i % width, Math.floor(i / width)];
      [x0, y0, x1, y1] = [
        Math.min(x0, x),
        Math.min(y0, y),
        Math.max(x1, x + 1),
        Math.max(y1, y + 1),
      ];
    }
    let [sx, sy, k] = [0, 0, 0];
    for (let i = 0; i < width * height; i++) {
      if (data[4 * i + 3] !== maxAlpha || maxAlpha === 0) continue;
      sx += (i % width) + 0.5;
      sy += Math.floor(i / width) + 0.5;
      k += 1;
    }
    const scale = c.width / c.getBoundingClientRect().width;
    const num = (s: string | undefined) => (s === undefined ? Number.NaN : Number(s));
    return {
      count,
      maxAlpha,
      brightest: [sx / k / scale, sy / k / scale] as [number, number],
      box: [x0 / scale, y0 / scale, x1 / scale, y1 / scale] as [number, number, number, number],
      alphaSum,
      draws: Number(c.dataset.draws ?? 0),
      drawMs: num(c.dataset.drawMs),
      meanDrawMs: num(c.dataset.meanDrawMs),
      peak: (c.dataset.peak ?? '').split(',').map(Number),
      voxelMm: (c.dataset.voxelMm ?? '').split(',').map(Number),
    };
  }, viewportId);
}

/** Alpha of the overlay of `viewportId` at a canvas point (CSS px); 0 outside the canvas. */
export function alphaAt(page: Page, viewportId: string, point: [number, number]): Promise<number> {
  return page.evaluate(
    ({ viewportId, point }) => {
      const c = document.querySelector<HTMLCanvasElement>(
        `canvas[data-testid="landmarks-volume-heatmap-overlay"][data-viewport="${viewportId}"]`,
      );
      if (!c) return 0;
      const s = c.width / c.getBoundingClientRect().width;
      const [x, y] = [Math.floor(point[0] * s), Math.floor(point[1] * s)];
      if (x < 0 || y < 0 || x >= c.width || y >= c.height) return 0;
      return c.getContext('2d')!.getImageData(x, y, 1, 1).data[3]!;
    },
    { viewportId, point },
  );
}

/**
 * The volume's footprint on a view's canvas (CSS px, [left, top, right, bottom]): the canvas
 * positions of the eight corners of the volume's box (patient mm, identity axes as written by
 * cbctStudy), which an orthographic view projects onto its plane.
 */
export async function volumeFootprint(
  page: Page,
  viewportId: string,
): Promise<[number, number, number, number]> {
  const lo = ORIGIN.map((o, a) => o - SIZE.spacingMm[a]! / 2);
  const extent = [SIZE.width, SIZE.height, SIZE.depth].map((n, a) => n * SIZE.spacingMm[a]!);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < 8; k++) {
    const corner = lo.map((l, a) => l + ((k >> a) & 1) * extent[a]!);
    const { canvas } = await pointInView(page, viewportId, corner, false);
    xs.push(canvas[0]);
    ys.push(canvas[1]);
  }
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
