// The 2D synthetic cephalogram generator: determinism, geometry, visible landmark structures, devices.
import { describe, expect, it } from 'vitest';
import {
  CEPHALOGRAM_DEVICES,
  CEPHALOGRAM_LANDMARKS,
  generateCephalogram,
  generateStudySet,
} from '../../../extension/src/core/synthetic/index.ts';
import { bestMatch, noiseSd, normalise, patch, toGrey } from './imageStatistics.ts';

const DEVICES = Object.keys(CEPHALOGRAM_DEVICES);

describe('generateCephalogram', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateCephalogram({ seed: 11, device: 'ceph-b' });
    const b = generateCephalogram({ seed: 11, device: 'ceph-b' });
    const c = generateCephalogram({ seed: 12, device: 'ceph-b' });
    expect(Buffer.from(a.pixels.buffer).equals(Buffer.from(b.pixels.buffer))).toBe(true);
    expect(a.landmarksPx).toEqual(b.landmarksPx);
    expect(Buffer.from(a.pixels.buffer).equals(Buffer.from(c.pixels.buffer))).toBe(false);
    expect(a.landmarksPx).not.toEqual(c.landmarksPx);
  });

  it('returns the documented shape of result with defaults', () => {
    const s = generateCephalogram({ seed: 3 });
    expect(s).toMatchObject({ kind: 'cephalogram', width: 256, height: 320, device: 'ceph-a' });
    expect(s.id).toBe('cephalogram-ceph-a-3');
    expect(s.spacingMm).toEqual([0.8, 0.8]);
    expect(s.pixels).toBeInstanceOf(Uint16Array);
    expect(s.pixels.length).toBe(256 * 320);
    expect(s.landmarkNames).toEqual(CEPHALOGRAM_LANDMARKS);
    expect(s.landmarkNames.length).toBe(19);
    expect(s.landmarkNames[0]).toBe('Sella');
    expect(s.landmarkNames[18]).toBe('Articulare');
    const max = Math.max(...s.pixels);
    expect(max).toBeLessThanOrEqual(2 ** s.bitsStored - 1);
    expect(max).toBeGreaterThan(0.5 * (2 ** s.bitsStored - 1));
  });

  it('keeps every landmark inside the image, for every device and 40 seeds', () => {
    for (let seed = 0; seed < 40; seed++) {
      const s = generateCephalogram({ seed, device: DEVICES[seed % 3], width: 128, height: 160, spacingMm: [1.6, 1.6] }); // prettier-ignore
      for (const [x, y] of s.landmarksPx) {
        expect(x).toBeGreaterThan(4);
        expect(y).toBeGreaterThan(4);
        expect(x).toBeLessThan(s.width - 5);
        expect(y).toBeLessThan(s.height - 5);
      }
    }
  });

  it('maps landmarks with anisotropic spacing (same anatomy in mm, different pixels)', () => {
    const square = generateCephalogram({ seed: 5, width: 256, height: 320, spacingMm: [0.8, 0.8] });
    const wide = generateCephalogram({ seed: 5, width: 128, height: 320, spacingMm: [1.6, 0.8] });
    square.landmarksPx.forEach(([x, y], i) => {
      // Field centres: (255 · 0.8)/2 vs (127 · 1.6)/2 mm differ by 0.4 mm in x.
      expect(wide.landmarksPx[i][0] * 1.6).toBeCloseTo(x * 0.8 - 0.4, 6);
      expect(wide.landmarksPx[i][1]).toBeCloseTo(y, 6);
    });
  });

  it('fits the default 204.8 × 256 mm field into a non-default size when no spacing is given', () => {
    expect(generateCephalogram({ width: 128, height: 160 }).spacingMm).toEqual([1.6, 1.6]);
    // 128 × 100: x needs 1.6 mm, y needs 2.56 mm; the larger keeps both axes covered.
    expect(generateCephalogram({ width: 128, height: 100 }).spacingMm).toEqual([2.56, 2.56]);
  });

  it('draws a locally identifiable structure at each landmark (template matching)', () => {
    // Mean NCC template of each landmark from 8 images; in 6 new images, search ±12 px around a
    // guess displaced by up to 8 px. A landmark without its own structure cannot be re-found.
    const R = 7;
    const train = Array.from({ length: 8 }, (_, i) => generateCephalogram({ seed: 100 + i }));
    const templates = CEPHALOGRAM_LANDMARKS.map((_, l) => {
      const sum = new Float32Array((2 * R + 1) ** 2);
      for (const s of train) {
        const p = normalise(patch(toGrey(s), s.landmarksPx[l][0], s.landmarksPx[l][1], R)!);
        p.forEach((v, k) => (sum[k] += v));
      }
      return normalise(sum);
    });
    const errors = CEPHALOGRAM_LANDMARKS.map(() => [] as number[]);
    for (let t = 0; t < 6; t++) {
      const s = generateCephalogram({ seed: 500 + t });
      const g = toGrey(s);
      s.landmarksPx.forEach(([x, y], l) => {
        const guess = [x + ((t * 7 + l * 3) % 17) - 8, y + ((t * 5 + l * 11) % 17) - 8];
        const [mx, my] = bestMatch(g, templates[l], R, guess[0], guess[1], 12);
        errors[l].push(Math.hypot(mx - x, my - y) * s.spacingMm[0]);
      });
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const perLandmark = errors.map(mean);
    // The incisal tips overlap as real incisors do (≈2 mm apart), so they get a looser bound.
    perLandmark.forEach((e, l) =>
      expect(e, CEPHALOGRAM_LANDMARKS[l]).toBeLessThan(l === 10 || l === 11 ? 4 : 1.5),
    );
    expect(mean(perLandmark)).toBeLessThan(1);
  });

  it('devices differ measurably in bit depth, brightness and noise', () => {
    const stats = DEVICES.map((device) => {
      const s = generateCephalogram({ seed: 9, device });
      const g = toGrey(s);
      const max = 2 ** s.bitsStored - 1;
      const mean = g.data.reduce((a, b) => a + b, 0) / g.data.length / max;
      return { bits: s.bitsStored, mean, noise: noiseSd(g) / max };
    });
    const [a, b, c] = stats;
    expect(new Set(stats.map((s) => s.bits)).size).toBe(3);
    // ceph-b adds a 0.15 offset, ceph-c a 1.3 gamma: brighter and darker than ceph-a.
    expect(b.mean).toBeGreaterThan(a.mean + 0.05);
    expect(c.mean).toBeLessThan(a.mean - 0.02);
    // Noise SD presets 0.015 < 0.03 < 0.06 (before blur); the estimates keep that order.
    expect(b.noise).toBeGreaterThan(1.5 * a.noise);
    expect(c.noise).toBeGreaterThan(1.1 * b.noise);
  });

  it('rejects bad options with clear messages', () => {
    expect(() => generateCephalogram({ device: 'nope' })).toThrow(
      /unknown 2D device preset 'nope'.*ceph-a/,
    );
    expect(() => generateCephalogram({ spacingMm: [0.8, 0] })).toThrow(/spacingMm/);
    expect(() => generateCephalogram({ width: 3 })).toThrow(/width/);
    expect(() => generateCephalogram({ seed: -1 })).toThrow(/seed/);
  });
});

describe('generateStudySet', () => {
  it('cycles devices, numbers ids and extends deterministically', () => {
    const small = { width: 64, height: 80, spacingMm: [3.2, 3.2] as [number, number] };
    const set = generateStudySet({
      count: 4,
      seed: 2,
      devices: ['ceph-a', 'ceph-c'],
      study: small,
    });
    expect(set.map((s) => s.id)).toEqual(['cephalogram-001', 'cephalogram-002', 'cephalogram-003', 'cephalogram-004']); // prettier-ignore
    expect(set.map((s) => s.device)).toEqual(['ceph-a', 'ceph-c', 'ceph-a', 'ceph-c']);
    const more = generateStudySet({
      count: 5,
      seed: 2,
      devices: ['ceph-a', 'ceph-c'],
      study: small,
    });
    expect(more[3].landmarksPx).toEqual(set[3].landmarksPx);
    expect(new Set(set.map((s) => s.seed)).size).toBe(4);
    expect(() => generateStudySet({ count: -1 })).toThrow(/count/);
  });
});
