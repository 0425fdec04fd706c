import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import computeLetterbox, {
  toInputPixels,
  toOriginalPixels,
} from '../../../extension/src/core/data/computeLetterbox.ts';
import letterboxImage from '../../../extension/src/core/data/letterboxImage.ts';
import augmentBatch from '../../../extension/src/core/data/augmentBatch.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import prepareSample from '../../../extension/src/core/data/prepareSample.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

/** Brightest pixel (x, y) of a row-major map, as a pixel-centre continuous coordinate. */
function argmax(values: ArrayLike<number>, width: number): [number, number] {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return [(best % width) + 0.5, Math.floor(best / width) + 0.5];
}

/** A W×H image, dark except a 3×3 bright block centred on pixel (cx, cy). */
function dot(width: number, height: number, cx: number, cy: number): Float32Array {
  const p = new Float32Array(width * height);
  for (let y = cy - 1; y <= cy + 1; y++)
    for (let x = cx - 1; x <= cx + 1; x++) p[y * width + x] = 1;
  return p;
}

describe('data pipeline', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('letterbox keeps the aspect and maps coordinates both ways', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 3000 }),
        fc.double({ min: 0.4, max: 2.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, ratio, f) => {
          const h = Math.round(w * ratio);
          const box = computeLetterbox(w, h, [64, 48]);
          // One scale for both axes, up to rounding the resized size to whole pixels.
          expect(Math.abs(box.scaleX / box.scaleY - 1)).toBeLessThan(0.05);
          const p = [[f * w, (1 - f) * h]];
          const back = toOriginalPixels(toInputPixels(p, box), box);
          expect(back[0]![0]).toBeCloseTo(p[0]![0]!, 6);
          expect(back[0]![1]).toBeCloseTo(p[0]![1]!, 6);
          const input = toInputPixels(p, box)[0]!;
          expect(input[0]).toBeGreaterThanOrEqual(-1e-9);
          expect(input[1]).toBeLessThanOrEqual(64 + 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a bright structure lands where its coordinate maps (ISBI-like 1935×2400 into 64×48)', () => {
    const [w, h] = [1935, 2400];
    const [cx, cy] = [1400, 700];
    const big = new Float32Array(w * h);
    for (let y = cy - 30; y <= cy + 30; y++)
      for (let x = cx - 30; x <= cx + 30; x++) big[y * w + x] = 200;
    const { input, letterbox } = letterboxImage({ width: w, height: h, pixels: big }, [64, 48]);
    const [mx, my] = argmax(input, 48);
    const [ex, ey] = toInputPixels([[cx + 0.5, cy + 0.5]], letterbox)[0]!;
    expect(Math.abs(mx - ex!)).toBeLessThanOrEqual(1);
    expect(Math.abs(my - ey!)).toBeLessThanOrEqual(1);
    expect(Math.max(...input)).toBeLessThanOrEqual(1);
  });

  it('rejects bad images with the image named', () => {
    expect(() =>
      prepareSample('007', { width: 4, height: 4, pixels: new Float32Array(15) }, [8, 8], [0.1]),
    ).toThrow(/image "007": 15 pixels for a 4×4 image/);
    expect(() =>
      prepareSample(
        '008',
        { width: 2, height: 2, pixels: Float32Array.of(0, 1, Number.NaN, 2) },
        [8, 8],
        [0.1],
      ),
    ).toThrow(/image "008": pixel value NaN/);
    expect(() =>
      prepareSample('009', { width: 2, height: 2, pixels: new Float32Array(4) }, [8, 8], [0]),
    ).toThrow(/image "009": pixel spacing must be positive/);
  });

  it('augmentation moves landmarks with the image (rotation + translation), non-square', () => {
    const [W, H] = [40, 56];
    const points = [
      [12, 20],
      [30, 41],
    ];
    const images = tf.stack(
      points.map(([x, y]) => tf.tensor3d(dot(W, H, x!, y!), [H, W, 1])),
    ) as tf.Tensor4D;
    const landmarks = points.map(([x, y]) => [[x! + 0.5, y! + 0.5]]);
    for (let seed = 1; seed <= 5; seed++) {
      const out = augmentBatch(images, landmarks, createRandom(seed), {
        rotationDeg: 20,
        translation: 0.1,
        noiseSd: 0,
        intensityJitter: 0,
      });
      const data = out.images.arraySync() as number[][][][];
      out.landmarks.forEach((shape, b) => {
        const [mx, my] = argmax(
          data[b]!.flat().map((v) => v[0]!),
          W,
        );
        expect(Math.hypot(mx - shape[0]![0]!, my - shape[0]![1]!)).toBeLessThanOrEqual(1.5);
      });
      out.images.dispose();
    }
    images.dispose();
  });

  it('augmentation is reproducible from the seed and keeps NaN landmarks missing', () => {
    const images = tf.randomUniform([2, 16, 12, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const marks = [[[3, 4]], [[Number.NaN, Number.NaN]]];
    const opts = { rotationDeg: 10, translation: 0.1, noiseSd: 0.05, intensityJitter: 0.1 };
    const a = augmentBatch(images, marks, createRandom(9), opts);
    const b = augmentBatch(images, marks, createRandom(9), opts);
    expect(a.images.arraySync()).toEqual(b.images.arraySync());
    expect(a.landmarks).toEqual(b.landmarks);
    expect(a.landmarks[1]![0]!.every(Number.isNaN)).toBe(true);
    [images, a.images, b.images].forEach((t) => t.dispose());
  });

  it('the seeded generator resumes from its saved state', () => {
    const r = createRandom(42);
    r.next();
    const saved = r.state;
    const expected = [r.next(), r.normal(), r.int(10)];
    const resumed = createRandom(0);
    resumed.state = saved;
    expect([resumed.next(), resumed.normal(), resumed.int(10)]).toEqual(expected);
  });
});
