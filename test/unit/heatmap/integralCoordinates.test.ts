import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../../../extension/src/core/heatmap/integralCoordinates.ts';
import { refCoordinates } from '../losses/reference.ts';

describe('integralCoordinates (Eq. 2)', () => {
  it('hand-computed 2x3 map: mass on pixel (row 1, col 2) and (row 0, col 0)', async () => {
    await tf.setBackend('cpu');
    // Landmark 0: all mass on row 1, col 2 → x = 2.5/3, y = 1.5/2.
    // Landmark 1: mass 1 at (0,0) and 3 at (1,2) → x = (0.5/3 + 3·2.5/3)/4 = 2/3, y = (0.25 + 3·0.75)/4 = 0.625.
    const heat = [
      [
        [
          [0, 1],
          [0, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 0],
          [1, 3],
        ],
      ],
    ];
    const out = integralCoordinates(tf.tensor4d(heat)).arraySync();
    expect(out[0]![0]![0]).toBeCloseTo(2.5 / 3, 6);
    expect(out[0]![0]![1]).toBeCloseTo(0.75, 6);
    expect(out[0]![1]![0]).toBeCloseTo(2 / 3, 6);
    expect(out[0]![1]![1]).toBeCloseTo(0.625, 6);
  });

  it('matches the float64 reference on a random non-square batch', async () => {
    await tf.setBackend('cpu');
    const t = tf.randomUniform([2, 5, 7, 3], 0.01, 1, 'float32', 4);
    const ref = refCoordinates(t.arraySync() as number[][][][]);
    const got = integralCoordinates(t).arraySync();
    got.forEach((img, b) =>
      img.forEach((xy, i) => {
        expect(xy[0]).toBeCloseTo(ref[b]![i]![0]!, 5);
        expect(xy[1]).toBeCloseTo(ref[b]![i]![1]!, 5);
      }),
    );
    t.dispose();
  });

  it('3D: a single voxel gives its centre as (x, y, z)', async () => {
    await tf.setBackend('cpu');
    const heat = tf.buffer([1, 2, 3, 4, 1]);
    heat.set(1, 0, 1, 2, 3, 0); // z = 1 of 2, y = 2 of 3, x = 3 of 4
    const out = integralCoordinates(heat.toTensor()).arraySync();
    expect(out[0]![0]![0]).toBeCloseTo(3.5 / 4, 6);
    expect(out[0]![0]![1]).toBeCloseTo(2.5 / 3, 6);
    expect(out[0]![0]![2]).toBeCloseTo(1.5 / 2, 6);
  });

  it('an all-zero heatmap gives 0, not NaN', async () => {
    await tf.setBackend('cpu');
    const out = integralCoordinates(tf.zeros([1, 3, 4, 1])).dataSync();
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
  });
});
