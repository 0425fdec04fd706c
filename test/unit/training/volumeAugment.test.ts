// 3D augmentation (core/data/augmentVolumeBatch): the voxels and the landmarks get the same rotation
// (axial plane) and translation (x, y, z), so a landmark stays on its structure: a bright block at the
// landmark must be found at the landmark's transformed position.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import augmentVolumeBatch from '../../../extension/src/core/data/augmentVolumeBatch.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const [D, H, W] = [12, 16, 20];

/** Dark [D, H, W] volume with a bright 3×3×3 block centred on voxel (x, y, z). */
function block(x: number, y: number, z: number): Float32Array {
  const v = new Float32Array(D * H * W);
  for (let k = z - 1; k <= z + 1; k++)
    for (let j = y - 1; j <= y + 1; j++)
      for (let i = x - 1; i <= x + 1; i++) v[(k * H + j) * W + i] = 1;
  return v;
}

/** Intensity-weighted centre (x, y, z) of the voxels above half the maximum (continuous coordinates). */
function brightCentre(values: Float32Array): number[] {
  const max = Math.max(...values);
  const sum = [0, 0, 0];
  let weight = 0;
  values.forEach((v, i) => {
    if (v < max / 2) return;
    sum[0] += v * ((i % W) + 0.5);
    sum[1] += v * ((Math.floor(i / W) % H) + 0.5);
    sum[2] += v * (Math.floor(i / (W * H)) + 0.5);
    weight += v;
  });
  return sum.map((s) => s / weight);
}

describe('3D augmentation', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('moves landmarks with the volume (axial rotation + x/y/z translation), non-cubic', () => {
    const points = [
      [6, 9, 5],
      [13, 4, 7],
    ];
    const volumes = tf.stack(
      points.map(([x, y, z]) => tf.tensor4d(block(x!, y!, z!), [D, H, W, 1])),
    ) as tf.Tensor5D;
    const landmarks = points.map((p) => [p.map((v) => v + 0.5)]);
    let moved = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const out = augmentVolumeBatch(volumes, landmarks, createRandom(seed), {
        rotationDeg: 20,
        translation: 0.1,
        noiseSd: 0,
        intensityJitter: 0,
      });
      const data = out.images.dataSync() as Float32Array;
      out.landmarks.forEach((shape, b) => {
        const centre = brightCentre(data.slice(b * D * H * W, (b + 1) * D * H * W));
        const expected = shape[0]!;
        expect(Math.hypot(...centre.map((v, a) => v - expected[a]!))).toBeLessThan(0.6);
        moved += Math.hypot(...expected.map((v, a) => v - landmarks[b]![0]![a]!));
      });
      out.images.dispose();
    }
    expect(moved / 12).toBeGreaterThan(1); // the augmentation really moved things
    volumes.dispose();
  });

  it('is reproducible from the seed, keeps NaN landmarks missing, applies noise and jitter', () => {
    const volumes = tf.randomUniform([2, 4, 6, 5, 1], 0, 1, 'float32', 3) as tf.Tensor5D;
    const marks = [[[1, 2, 3]], [[Number.NaN, Number.NaN, Number.NaN]]];
    const opts = { rotationDeg: 10, translation: 0.1, noiseSd: 0.05, intensityJitter: 0.1 };
    const a = augmentVolumeBatch(volumes, marks, createRandom(9), opts);
    const b = augmentVolumeBatch(volumes, marks, createRandom(9), opts);
    expect(a.images.shape).toEqual([2, 4, 6, 5, 1]);
    expect(a.images.arraySync()).toEqual(b.images.arraySync());
    expect(a.landmarks).toEqual(b.landmarks);
    expect(a.landmarks[1]![0]!.every(Number.isNaN)).toBe(true);
    const none = augmentVolumeBatch(volumes, marks, createRandom(9), {
      rotationDeg: 0,
      translation: 0,
      noiseSd: 0,
      intensityJitter: 0,
    });
    // Without augmentation the volumes and landmarks come back unchanged.
    expect(none.landmarks[0]).toEqual([[1, 2, 3]]);
    const diff = tf.tidy(() => none.images.sub(volumes).abs().max().dataSync()[0]!);
    expect(diff).toBeLessThan(1e-6);
    const changed = tf.tidy(() => a.images.sub(volumes).abs().mean().dataSync()[0]!);
    expect(changed).toBeGreaterThan(0.01);
    [volumes, a.images, b.images, none.images].forEach((t) => t.dispose());
  });
});
