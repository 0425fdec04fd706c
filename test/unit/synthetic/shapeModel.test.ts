// The built-in shape models are valid, and generated landmarks follow the model's modes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CBCT_LANDMARKS,
  CBCT_SHAPE_MODEL,
  CEPHALOGRAM_LANDMARKS,
  HAND_LANDMARKS,
  CEPH_SHAPE_MODEL,
  CEPHALOGRAM_DEVICES,
  generateCephalogram,
  type DeviceProfile,
  type ShapeModelParameters,
} from '../../../extension/src/core/synthetic/index.ts';
import { CBCT, CEPHALOGRAM, HAND } from '../../../extension/src/ohif/templates.ts';

const dot = (a: number[][], b: number[][]) =>
  a.reduce((s, row, i) => s + row.reduce((t, v, k) => t + v * b[i][k], 0), 0);

function checkModel(model: ShapeModelParameters, n: number) {
  expect(model.mean.length).toBe(n);
  model.mean.forEach((row) => expect(row.length).toBe(model.dimension));
  for (let a = 0; a < model.dimension; a++) {
    expect(Math.abs(model.mean.reduce((s, row) => s + row[a], 0) / n)).toBeLessThan(1e-3);
  }
  // Modes orthonormal (stored with 6 decimals).
  model.modes.forEach((mi, i) =>
    model.modes.forEach((mj, j) => expect(dot(mi, mj)).toBeCloseTo(i === j ? 1 : 0, 4)),
  );
  // SDs positive and sorted, as PCA returns them.
  model.sdMm.forEach((s, k) => {
    expect(s).toBeGreaterThan(0);
    if (k > 0) expect(s).toBeLessThanOrEqual(model.sdMm[k - 1]);
  });
}

describe('shape models', () => {
  it('cephalogram model: 19 landmarks, orthonormal modes, plausible size', () => {
    checkModel(CEPH_SHAPE_MODEL, 19);
    // Sella–nasion distance of adults is about 65–75 mm.
    const [s, n] = CEPH_SHAPE_MODEL.mean;
    expect(Math.hypot(n[0] - s[0], n[1] - s[1])).toBeGreaterThan(55);
    expect(Math.hypot(n[0] - s[0], n[1] - s[1])).toBeLessThan(80);
    // Face to the right (nasion anterior of sella), menton below nasion.
    expect(n[0]).toBeGreaterThan(s[0]);
    expect(CEPH_SHAPE_MODEL.mean[7][1]).toBeGreaterThan(n[1]);
  });

  it('CBCT model: 18 landmarks, bilateral pairs mirror each other', () => {
    checkModel(CBCT_SHAPE_MODEL, 18);
    expect(CBCT_LANDMARKS.length).toBe(18);
    for (const [r, l] of [
      [9, 10],
      [11, 12],
      [13, 14],
      [15, 16],
    ]) {
      expect(CBCT_LANDMARKS[r]).toMatch(/ R$/);
      expect(CBCT_LANDMARKS[l]).toBe(CBCT_LANDMARKS[r].replace(/ R$/, ' L'));
      const [pr, pl] = [CBCT_SHAPE_MODEL.mean[r], CBCT_SHAPE_MODEL.mean[l]];
      expect(pr[0]).toBeLessThan(0); // patient right at low x
      expect(pl[0] + pr[0]).toBeCloseTo(0, 2);
      expect(pl[1]).toBeCloseTo(pr[1], 3);
      expect(pl[2]).toBeCloseTo(pr[2], 3);
    }
  });
});

describe('generated cephalogram shapes', () => {
  const still: DeviceProfile = {
    ...CEPHALOGRAM_DEVICES['ceph-a'],
    magnification: 1,
    fovOffsetMm: [0, 0],
  };
  const studies = Array.from({ length: 150 }, (_, seed) =>
    generateCephalogram({
      seed,
      device: still,
      width: 64,
      height: 80,
      spacingMm: [3.2, 3.2],
      distractors: 0,
      pose: { scaleSd: 0, rotationSdDeg: 0, translationSdMm: 0 },
    }),
  );
  // Project each shape (mm, centred on its centroid) onto the model's modes: b_k / σ_k.
  const projections = studies.map((s) => {
    const mm = s.landmarksPx.map(([x, y]) => [x * s.spacingMm[0], y * s.spacingMm[1]]);
    const c = [0, 1].map((a) => mm.reduce((t, p) => t + p[a], 0) / mm.length);
    const centred = mm.map((p, i) => p.map((v, a) => v - c[a] - CEPH_SHAPE_MODEL.mean[i][a]));
    return CEPH_SHAPE_MODEL.modes.map((m, k) => dot(centred, m) / CEPH_SHAPE_MODEL.sdMm[k]);
  });

  it('recovers the reported shape parameters from the landmarks', () => {
    // Only the 0.5 mm per-landmark residual separates them: ≤ 0.5 / σ_5 ≈ 0.17 SD per mode.
    projections.forEach((b, i) =>
      b.forEach((v, k) => expect(Math.abs(v - studies[i].shapeParams[k])).toBeLessThan(0.8)),
    );
  });

  it('has unit variance and uncorrelated coefficients along the model modes', () => {
    const K = CEPH_SHAPE_MODEL.sdMm.length;
    const n = projections.length;
    const mean = Array.from({ length: K }, (_, k) => projections.reduce((s, b) => s + b[k], 0) / n);
    const cov = (j: number, k: number) =>
      projections.reduce((s, b) => s + (b[j] - mean[j]) * (b[k] - mean[k]), 0) / (n - 1);
    for (let k = 0; k < K; k++) {
      // Expected ≈ 0.97 (clamped at ±3) + residual share; SE of a variance at n = 150 ≈ 0.12.
      expect(Math.abs(cov(k, k) - 1)).toBeLessThan(0.35);
      expect(Math.abs(mean[k])).toBeLessThan(0.3);
      for (let j = 0; j < k; j++) {
        expect(Math.abs(cov(j, k) / Math.sqrt(cov(j, j) * cov(k, k)))).toBeLessThan(0.3);
      }
    }
  });
});

const dataReadme = path.resolve(import.meta.dirname, '../../../../shared/data/README.md');

describe('landmark names', () => {
  it.skipIf(!existsSync(dataReadme))(
    'follow the ISBI 2015 order given in the data set README (independent source)',
    () => {
      const line = /Landmarks, in order:([^]*?)\.\s*\n/.exec(readFileSync(dataReadme, 'utf8'))![1]!;
      const listed = line
        .replace(/\s+/g, ' ')
        .split(/,? \d+ /)
        .map((s) => s.replace(/[-.]/g, ' ').trim().toLowerCase())
        .filter(Boolean);
      const ours = CEPHALOGRAM_LANDMARKS.map((s) => s.replace(/-/g, ' ').toLowerCase());
      expect(ours).toEqual(listed);
    },
  );

  it('are the names the viewer templates place, so synthetic SRs fit the annotation tool', () => {
    expect(CEPHALOGRAM.landmarks).toHaveLength(CEPHALOGRAM_LANDMARKS.length);
    expect(CBCT.landmarks).toHaveLength(CBCT_SHAPE_MODEL.mean.length);
    expect(HAND.landmarks).toHaveLength(HAND_LANDMARKS.length);
    expect(CBCT_LANDMARKS).toEqual(CBCT.landmarks);
  });
});
