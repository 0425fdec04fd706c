// The optional 2D hand radiograph generator: determinism, geometry, visible landmark structures.
import { describe, expect, it } from 'vitest';
import {
  HAND_LANDMARKS,
  HAND_SHAPE_MODEL,
  generateHandRadiograph,
} from '../../../extension/src/core/synthetic/index.ts';
import { bestMatch, normalise, patch, toGrey } from './imageStatistics.ts';

describe('generateHandRadiograph', () => {
  it('is deterministic, seed-dependent and keeps the 37 landmarks inside', () => {
    const a = generateHandRadiograph({ seed: 8 });
    const b = generateHandRadiograph({ seed: 8 });
    const c = generateHandRadiograph({ seed: 9 });
    expect(Buffer.from(a.pixels.buffer).equals(Buffer.from(b.pixels.buffer))).toBe(true);
    expect(a.landmarksPx).not.toEqual(c.landmarksPx);
    expect(a.kind).toBe('hand');
    expect(a.landmarkNames).toEqual(HAND_LANDMARKS);
    expect(HAND_LANDMARKS.length).toBe(37);
    expect(HAND_LANDMARKS[0]).toBe('Hand 01');
    expect(HAND_LANDMARKS[36]).toBe('Hand 37');
    expect(HAND_SHAPE_MODEL.mean.length).toBe(37);
    for (let seed = 0; seed < 30; seed++) {
      const s = generateHandRadiograph({ seed, width: 64, height: 80 });
      s.landmarksPx.forEach(([x, y]) => {
        expect(x).toBeGreaterThan(1);
        expect(y).toBeGreaterThan(1);
        expect(x).toBeLessThan(62);
        expect(y).toBeLessThan(78);
      });
    }
  });

  it('puts the finger tips above the wrist (fingers up)', () => {
    const s = generateHandRadiograph({ seed: 1 });
    const tip = s.landmarksPx[28]; // Hand 29: middle finger tip
    const wrist = s.landmarksPx[0];
    expect(tip[1]).toBeLessThan(wrist[1] - 100);
  });

  it('draws a locally identifiable structure at each landmark (template matching)', () => {
    const R = 6;
    const train = Array.from({ length: 6 }, (_, i) => generateHandRadiograph({ seed: 100 + i }));
    const templates = HAND_LANDMARKS.map((_, l) => {
      const sum = new Float32Array((2 * R + 1) ** 2);
      for (const s of train) {
        normalise(patch(toGrey(s), s.landmarksPx[l][0], s.landmarksPx[l][1], R)!).forEach(
          (v, k) => (sum[k] += v),
        );
      }
      return normalise(sum);
    });
    const errors: number[] = [];
    for (let t = 0; t < 3; t++) {
      const s = generateHandRadiograph({ seed: 600 + t });
      const g = toGrey(s);
      s.landmarksPx.forEach(([x, y], l) => {
        const guess = [x + ((t * 7 + l * 3) % 9) - 4, y + ((t * 5 + l * 11) % 9) - 4];
        const [mx, my] = bestMatch(g, templates[l], R, guess[0], guess[1], 6);
        errors.push(Math.hypot(mx - x, my - y) * s.spacingMm[0]);
      });
    }
    errors.sort((a, b) => a - b);
    // Median within a pixel; nine in ten within 3 mm (joints of one finger look alike up close).
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(1.2);
    expect(errors[Math.floor(0.9 * errors.length)]).toBeLessThan(3);
  });
});
