import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import localIntegralCoordinates from '../../../extension/src/core/heatmap/localIntegralCoordinates.ts';
import integralCoordinates from '../../../extension/src/core/heatmap/integralCoordinates.ts';

describe('local integral coordinates (mean of H/γ near the map maximum)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('two peaks: follows the stronger one, where the plain integral lands between them', () => {
    // 1 × 10 row, W = 10: mass 0.6 at cell 1, 0.4 at cell 8 (sigmoid maps, fromLogits false).
    const row = new Float32Array(10);
    row[1] = 0.6;
    row[8] = 0.4;
    const heat = tf.tensor(row, [1, 1, 10, 1]);
    const [x] = localIntegralCoordinates(heat, { radius: 2 }).dataSync();
    const [plain] = integralCoordinates(heat).dataSync();
    expect(x).toBeCloseTo(1.5 / 10, 6);
    expect(plain).toBeCloseTo((0.6 * 1.5 + 0.4 * 8.5) / 10, 6);
  });

  it('keeps sub-cell precision inside the window: hand-computed mean of three cells', () => {
    // 5 × 7 map, peak at (x 3, y 2) with neighbours (x 4, y 2) = 0.5 and (x 3, y 1) = 0.25; far cell
    // (x 0, y 4) = 0.2 lies outside radius 1.5.
    const heat = tf.buffer([1, 5, 7, 1]);
    heat.set(1, 0, 2, 3, 0);
    heat.set(0.5, 0, 2, 4, 0);
    heat.set(0.25, 0, 1, 3, 0);
    heat.set(0.2, 0, 4, 0, 0);
    const [x, y] = localIntegralCoordinates(heat.toTensor(), { radius: 1.5 }).dataSync();
    const total = 1.75;
    expect(x).toBeCloseTo((1 * 3.5 + 0.5 * 4.5 + 0.25 * 3.5) / total / 7, 6);
    expect(y).toBeCloseTo((1 * 2.5 + 0.5 * 2.5 + 0.25 * 1.5) / total / 5, 6);
  });

  it('3D and several maps: each map uses its own maximum; logits give the same result as sigmoids', () => {
    const [d, h, w, n] = [3, 4, 5, 2];
    const logits = tf.randomNormal([2, d, h, w, n], -6, 0.5, 'float32', 7);
    const peaked = tf.tidy(() => {
      const b = logits.bufferSync();
      b.set(6, 0, 1, 2, 3, 0); // map 0 of item 0 peaks at (x 3, y 2, z 1)
      b.set(6, 1, 2, 0, 1, 1); // map 1 of item 1 peaks at (x 1, y 0, z 2)
      return b.toTensor();
    });
    const fromLogits = localIntegralCoordinates(peaked, { radius: 1, fromLogits: true });
    const fromSigmoid = localIntegralCoordinates(peaked.sigmoid(), { radius: 1 });
    const a = fromLogits.arraySync();
    const b = fromSigmoid.arraySync();
    a.flat(2).forEach((v, i) => expect(v).toBeCloseTo(b.flat(2)[i]!, 5));
    // The peak dominates its 7-cell window: the point lies within 0.1 cell of the peak's centre.
    expect(Math.abs(a[0]![0]![0]! * w - 3.5)).toBeLessThan(0.1);
    expect(Math.abs(a[0]![0]![1]! * h - 2.5)).toBeLessThan(0.1);
    expect(Math.abs(a[0]![0]![2]! * d - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(a[1]![1]![0]! * w - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(a[1]![1]![2]! * d - 2.5)).toBeLessThan(0.1);
  });

  it('refuses a non-positive radius', () => {
    expect(() => localIntegralCoordinates(tf.ones([1, 2, 2, 1]), { radius: 0 })).toThrow(/radius/);
  });
});
