// The 3D synthetic CBCT generator: determinism, geometry, visible landmark structures, devices, modes.
import { describe, expect, it } from 'vitest';
import {
  CBCT_DEVICES,
  CBCT_LANDMARKS,
  CBCT_SHAPE_MODEL,
  generateCbctVolume,
  generateStudySet,
  type DeviceProfile,
} from '../../../extension/src/core/synthetic/index.ts';
import { bestMatch3, noiseSd, normalise, patch3, toVolume } from './imageStatistics.ts';

const same = (a: Uint16Array, b: Uint16Array) =>
  Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('generateCbctVolume', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const small = {
      width: 32,
      height: 32,
      depth: 28,
      spacingMm: [6, 6, 6] as [number, number, number],
    };
    const a = generateCbctVolume({ seed: 4, device: 'cbct-b', ...small });
    const b = generateCbctVolume({ seed: 4, device: 'cbct-b', ...small });
    const c = generateCbctVolume({ seed: 5, device: 'cbct-b', ...small });
    expect(same(a.pixels, b.pixels)).toBe(true);
    expect(a.landmarksPx).toEqual(b.landmarksPx);
    expect(same(a.pixels, c.pixels)).toBe(false);
    expect(a.landmarksPx).not.toEqual(c.landmarksPx);
  });

  it('returns the documented result with defaults, in LPS orientation', () => {
    const v = generateCbctVolume({ seed: 2 });
    expect(v).toMatchObject({ kind: 'cbct', width: 64, height: 64, depth: 56, device: 'cbct-a' });
    expect(v.id).toBe('cbct-cbct-a-2');
    expect(v.spacingMm).toEqual([3, 3, 3]);
    expect(v.pixels.length).toBe(64 * 64 * 56);
    expect(v.landmarkNames).toEqual(CBCT_LANDMARKS);
    const p = (name: string) => v.landmarksPx[CBCT_LANDMARKS.indexOf(name)];
    expect(p('Porion L')[0]).toBeGreaterThan(p('Porion R')[0] + 30); // x: right → left
    expect(p('Nasion')[1]).toBeLessThan(p('Sella')[1]); // y: anterior → posterior
    expect(p('Menton')[2]).toBeLessThan(p('Nasion')[2]); // z: inferior → superior
    // Soft tissue ≈ 1/4 of full scale (≈ 0 HU as value − 1024), air near 0.
    expect(v.pixels[0]).toBeLessThan(200);
    const centre = v.pixels[(28 * 64 + 40) * 64 + 32];
    expect(centre).toBeGreaterThan(700);
  });

  it('keeps every landmark inside the volume for 40 seeds and both devices', () => {
    for (let seed = 0; seed < 40; seed++) {
      const v = generateCbctVolume({ seed, device: seed % 2 ? 'cbct-b' : 'cbct-a', width: 16, height: 16, depth: 14, spacingMm: [12, 12, 12] }); // prettier-ignore
      const dims = [v.width, v.height, v.depth];
      for (const p of v.landmarksPx) {
        p.forEach((x, a) => {
          expect(x).toBeGreaterThan(0.3);
          expect(x).toBeLessThan(dims[a] - 1.3);
        });
      }
    }
  });

  it('draws a locally identifiable structure at each landmark (3D template matching)', () => {
    // Mean NCC templates (7³ voxels) from 4 volumes; in 3 new volumes, search ±4 voxels around a
    // guess displaced by up to 3 voxels. Rounding to 3 mm voxels alone costs up to 2.6 mm.
    const R = 3;
    const train = Array.from({ length: 4 }, (_, i) => generateCbctVolume({ seed: 100 + i }));
    const templates = CBCT_LANDMARKS.map((_, l) => {
      const sum = new Float32Array((2 * R + 1) ** 3);
      for (const s of train) {
        normalise(patch3(toVolume(s), s.landmarksPx[l], R)!).forEach((v, k) => (sum[k] += v));
      }
      return normalise(sum);
    });
    const errors = CBCT_LANDMARKS.map(() => [] as number[]);
    for (let t = 0; t < 3; t++) {
      const s = generateCbctVolume({ seed: 500 + t });
      const vol = toVolume(s);
      s.landmarksPx.forEach((p, l) => {
        const guess = p.map((x, a) => x + ((t * 7 + l * 3 + a * 5) % 7) - 3);
        const m = bestMatch3(vol, templates[l], R, guess, 4);
        errors[l].push(Math.hypot(...m.map((x, a) => (x - p[a]) * s.spacingMm[a])));
      });
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    errors.forEach((e, l) => expect(mean(e), CBCT_LANDMARKS[l]).toBeLessThan(4.5));
    expect(mean(errors.map(mean))).toBeLessThan(3);
  });

  it('devices differ measurably in contrast and noise (both 12-bit, value − 1024 ≈ HU)', () => {
    const stats = Object.keys(CBCT_DEVICES).map((device) => {
      const v = generateCbctVolume({ seed: 9, device });
      const max = 2 ** v.bitsStored - 1;
      // Noise on the middle axial slice (2D estimator), normalised to full scale.
      const k = Math.floor(v.depth / 2);
      const slice = Float32Array.from(v.pixels.subarray(k * v.width * v.height, (k + 1) * v.width * v.height)); // prettier-ignore
      const noise = noiseSd({ data: slice, width: v.width, height: v.height }) / max;
      const data = Float32Array.from(v.pixels, (x) => x / max);
      const mean = data.reduce((a, b) => a + b, 0) / data.length;
      return { bits: v.bitsStored, noise, mean };
    });
    expect(stats.map((s) => s.bits)).toEqual([12, 12]);
    expect(stats[1].noise).toBeGreaterThan(1.3 * stats[0].noise);
    expect(Math.abs(stats[1].mean - stats[0].mean)).toBeGreaterThan(0.01);
  });

  it('fits the default field into a non-default grid when no spacing is given', () => {
    // Default field 192 × 192 × 168 mm; 24 × 20 × 10 voxels need max(8, 9.6, 16.8) = 16.8 mm.
    const v = generateCbctVolume({ seed: 3, width: 24, height: 20, depth: 10 });
    expect(v.spacingMm).toEqual([16.8, 16.8, 16.8]);
    const dims = [24, 20, 10];
    v.landmarksPx.forEach((p) => p.forEach((x, a) => expect(x).toBeLessThan(dims[a] - 0.5)));
    v.landmarksPx.forEach((p) => p.forEach((x) => expect(x).toBeGreaterThan(0)));
  });

  it('rejects bad options with clear messages', () => {
    expect(() => generateCbctVolume({ device: 'ceph-a' })).toThrow(
      /unknown 3D device preset 'ceph-a'/,
    );
    expect(() => generateCbctVolume({ spacingMm: [1, 1] as unknown as [number, number, number] })).toThrow(/spacingMm must be 3/); // prettier-ignore
    expect(() => generateCbctVolume({ depth: 2 })).toThrow(/depth/);
  });
});

describe('generated CBCT shapes', () => {
  it('follow the 3D model: parameters recovered, unit variance along the modes', () => {
    const still: DeviceProfile = { ...CBCT_DEVICES['cbct-a'], fovOffsetMm: [0, 0, 0] };
    const n = 120;
    const projections = Array.from({ length: n }, (_, seed) => {
      const v = generateCbctVolume({
        seed,
        device: still,
        width: 12,
        height: 12,
        depth: 11,
        spacingMm: [16, 16, 16],
        distractors: 0,
        pose: { scaleSd: 0, rotationSdDeg: 0, translationSdMm: 0 },
      });
      const mm = v.landmarksPx.map((p) => p.map((x, a) => x * v.spacingMm[a]));
      const c = [0, 1, 2].map((a) => mm.reduce((t, p) => t + p[a], 0) / mm.length);
      const d = mm.map((p, i) => p.map((x, a) => x - c[a] - CBCT_SHAPE_MODEL.mean[i][a]));
      const b = CBCT_SHAPE_MODEL.modes.map(
        (m, k) =>
          d.reduce((t, row, i) => t + row.reduce((u, x, a) => u + x * m[i][a], 0), 0) /
          CBCT_SHAPE_MODEL.sdMm[k],
      );
      b.forEach((x, k) => expect(Math.abs(x - v.shapeParams[k])).toBeLessThan(1));
      return b;
    });
    CBCT_SHAPE_MODEL.sdMm.forEach((_, k) => {
      const mean = projections.reduce((t, b) => t + b[k], 0) / n;
      const variance = projections.reduce((t, b) => t + (b[k] - mean) ** 2, 0) / (n - 1);
      // ≈ 0.97 (±3 clamp) plus the 0.5 mm residual's share (≤ 0.06 for σ₇ ≈ 2 mm); SE ≈ 0.13.
      expect(Math.abs(variance - 1)).toBeLessThan(0.4);
    });
  });
});

describe('generateStudySet (cbct)', () => {
  it('makes volumes cycling through the CBCT presets', () => {
    const set = generateStudySet({ kind: 'cbct', count: 3, seed: 1, study: { width: 16, height: 16, depth: 14, spacingMm: [12, 12, 12] } }); // prettier-ignore
    expect(set.map((v) => v.device)).toEqual(['cbct-a', 'cbct-b', 'cbct-a']);
    expect(set.every((v) => v.kind === 'cbct' && v.depth === 14)).toBe(true);
    expect(set[2].id).toBe('cbct-003');
  });
});
