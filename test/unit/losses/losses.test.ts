import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import integralCoordinates from '../../../extension/src/core/heatmap/integralCoordinates.ts';
import l1CoordinateLoss from '../../../extension/src/core/losses/l1CoordinateLoss.ts';
import regionAttentionLoss from '../../../extension/src/core/losses/regionAttentionLoss.ts';
import sampleLatentOffsets from '../../../extension/src/core/losses/sampleLatentOffsets.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import { mapNested, refCoordinates, refL1, refRegionAttention, sigmoid } from './reference.ts';

// Heatmaps are sigmoid(logits) as in the networks; gradients are taken with respect to the logits.
const B = 2;
const H = 3;
const W = 5;
const N = 2;
const rng = createRandom(11);
const logits = Array.from({ length: B }, () =>
  Array.from({ length: H }, () =>
    Array.from({ length: W }, () => Array.from({ length: N }, () => 2 * rng.normal())),
  ),
);
const target = [
  [
    [0.3, 0.6],
    [0.8, 0.2],
  ],
  [
    [0.5, 0.5],
    [Number.NaN, Number.NaN], // excluded by the mask: must not poison the loss
  ],
];
const delta = [
  [0.01, 0.02],
  [0.015, 0.005],
];
const mask = [
  [1, 1],
  [1, 0],
];

function refL1Loss(z: number[][][][]): number {
  return refL1(refCoordinates(mapNested(z, sigmoid)), target, mask);
}
function refRaLoss(z: number[][][][]): number {
  return refRegionAttention(mapNested(z, sigmoid), target, delta, mask);
}

/** Central finite differences in float64 for every logit. */
function finiteDifferences(f: (z: number[][][][]) => number): number[] {
  const out: number[] = [];
  const h = 1e-6;
  const z = structuredClone(logits);
  for (let b = 0; b < B; b++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let i = 0; i < N; i++) {
          const v = z[b]![y]![x]![i]!;
          z[b]![y]![x]![i] = v + h;
          const up = f(z);
          z[b]![y]![x]![i] = v - h;
          const down = f(z);
          z[b]![y]![x]![i] = v;
          out.push((up - down) / (2 * h));
        }
  return out;
}

function tfLosses() {
  return {
    l1: (z: tf.Tensor) =>
      l1CoordinateLoss(integralCoordinates(z.sigmoid()), tf.tensor3d(target), tf.tensor2d(mask)),
    ra: (z: tf.Tensor) =>
      regionAttentionLoss(z.sigmoid(), tf.tensor3d(target), tf.tensor2d(delta), tf.tensor2d(mask)),
  };
}

describe('losses: values and gradients against a float64 reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('L1 on a hand-computed case: |0.5−0.3|+|0.75−0.6| for the single valid landmark', () => {
    const heat = tf.buffer([1, 2, 1, 2]); // H = 2, W = 1: landmark 0 all on row 1, landmark 1 masked
    heat.set(1, 0, 1, 0, 0);
    heat.set(1, 0, 0, 0, 1);
    const coords = integralCoordinates(heat.toTensor());
    const loss = l1CoordinateLoss(
      coords,
      tf.tensor3d([
        [
          [0.3, 0.6],
          [0, 0],
        ],
      ]),
      tf.tensor2d([[1, 0]]),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(0.2 + 0.15, 6);
  });

  it('Region Attention on a hand-computed case: two pixels at distance 1/4 and 3/4 from the label', () => {
    // H = 1, W = 2: centres at x = 0.25 and 0.75, y = 0.5. Label at (0, 0.5), equal mass on both pixels:
    // expected distance = (0.25 + 0.75) / 2 = 0.5; |δ| = 0.1 → loss 0.4.
    const heat = tf.ones([1, 1, 2, 1]);
    const loss = regionAttentionLoss(
      heat,
      tf.tensor3d([[[0, 0.5]]]),
      tf.tensor2d([[0.1]]),
      tf.tensor2d([[1]]),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(0.4, 6);
  });

  it('loss values match the reference', () => {
    const z = tf.tensor4d(logits);
    const { l1, ra } = tfLosses();
    expect(l1(z).dataSync()[0]).toBeCloseTo(refL1Loss(logits), 5);
    expect(ra(z).dataSync()[0]).toBeCloseTo(refRaLoss(logits), 5);
  });

  it.each(['l1', 'ra'] as const)('%s gradient matches float64 finite differences', (name) => {
    const f = tfLosses()[name];
    const grad = tf
      .grad((z: tf.Tensor) => f(z))(tf.tensor4d(logits))
      .dataSync();
    const fd = finiteDifferences(name === 'l1' ? refL1Loss : refRaLoss);
    const scale = Math.max(...fd.map(Math.abs));
    fd.forEach((g, k) => expect(Math.abs(grad[k]! - g) / scale).toBeLessThan(1e-3));
    // Masked landmark (b = 1, i = 1) gets exactly zero gradient.
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) expect(grad[((1 * H + y) * W + x) * N + 1]).toBe(0);
  });

  it('all landmarks masked gives loss 0', () => {
    const z = tf.tensor4d(logits);
    const zeros = tf.zeros([B, N]) as tf.Tensor2D;
    expect(l1CoordinateLoss(integralCoordinates(z), tf.tensor3d(target), zeros).dataSync()[0]).toBe(
      0,
    );
    expect(
      regionAttentionLoss(
        z.sigmoid(),
        tf.tensor3d(target),
        tf.tensor2d(delta),
        zeros,
      ).dataSync()[0],
    ).toBe(0);
  });

  it('latent offsets |δ| follow N(0.01, 0.005²) folded at 0', () => {
    const d = sampleLatentOffsets(createRandom(5), 200, 19).flat();
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
    expect(mean).toBeGreaterThan(0.0095);
    expect(mean).toBeLessThan(0.0105);
    expect(sd).toBeGreaterThan(0.0045);
    expect(sd).toBeLessThan(0.0053);
  });

  // Regression (ISBI self-training collapse): with γ + ε in the denominator, shrinking every heatmap
  // towards 0 drove expected distances to 0 and the RA loss to |δ|. Eq. 2 and Eq. 10 are invariant to
  // scaling a heatmap, and must stay so for tiny maps.
  it('coordinates and Region Attention loss are invariant to scaling the heatmaps, even by 1e-20', () => {
    const heat = tf.tensor4d(logits).sigmoid();
    const tiny = heat.mul(1e-20);
    const close = (a: tf.Tensor, b: tf.Tensor) => Math.max(...a.sub(b).abs().dataSync());
    expect(close(integralCoordinates(tiny), integralCoordinates(heat))).toBeLessThan(1e-6);
    const ra = (h: tf.Tensor) =>
      regionAttentionLoss(h, tf.tensor3d(target), tf.tensor2d(delta), tf.tensor2d(mask));
    expect(close(ra(tiny), ra(heat))).toBeLessThan(1e-6);
  });

  // Regression (ISBI self-training NaN at epoch 15): once every logit of a map is below about −44 its
  // peak is < 1e-19 and the exact derivative through the max-normalisation (−H/peak²) overflows float32.
  it.each(['l1', 'ra'] as const)(
    '%s gradient stays finite and correct for heatmaps whose sigmoid peak is ~1e-24',
    (name) => {
      const shift = -60;
      const shifted = mapNested(logits, (v) => v + shift);
      const f = tfLosses()[name];
      const grad = tf
        .grad((z: tf.Tensor) => f(z))(tf.tensor4d(shifted))
        .dataSync();
      expect(grad.every(Number.isFinite)).toBe(true);
      const reference = name === 'l1' ? refL1Loss : refRaLoss;
      const fd = finiteDifferences((z) => reference(mapNested(z, (v) => v + shift)));
      const scale = Math.max(...fd.map(Math.abs));
      fd.forEach((g, k) => expect(Math.abs(grad[k]! - g) / scale).toBeLessThan(1e-3));
    },
  );

  // The networks' training path: Eq. 2 from the logits (softmax of log σ). Same reference (σ in float64),
  // and it must stay right where σ itself underflows float32 (every logit near −200: the sigmoid path
  // has no mass left there), the state that collapsed Region Attention self-training on ISBI.
  function logitLosses() {
    const from = { fromLogits: true };
    return {
      l1: (z: tf.Tensor) =>
        l1CoordinateLoss(integralCoordinates(z, from), tf.tensor3d(target), tf.tensor2d(mask)),
      ra: (z: tf.Tensor) =>
        regionAttentionLoss(z, tf.tensor3d(target), tf.tensor2d(delta), tf.tensor2d(mask), from),
    };
  }

  it.each([0, -200])(
    'from logits shifted by %d: values and gradients match the reference',
    (shift) => {
      const shifted = mapNested(logits, (v) => v + shift);
      for (const name of ['l1', 'ra'] as const) {
        const f = logitLosses()[name];
        const reference = name === 'l1' ? refL1Loss : refRaLoss;
        expect(f(tf.tensor4d(shifted)).dataSync()[0]).toBeCloseTo(reference(shifted), 5);
        const grad = tf
          .grad((z: tf.Tensor) => f(z))(tf.tensor4d(shifted))
          .dataSync();
        const fd = finiteDifferences((z) => reference(mapNested(z, (v) => v + shift)));
        const scale = Math.max(...fd.map(Math.abs));
        fd.forEach((g, k) => expect(Math.abs(grad[k]! - g) / scale).toBeLessThan(1e-3));
      }
    },
  );

  it('the sigmoid path has no mass left at logits near −200 (why training reads the logits)', () => {
    const shifted = tf.tensor4d(mapNested(logits, (v) => v - 200));
    expect(Math.max(...shifted.sigmoid().dataSync())).toBe(0);
  });
});
