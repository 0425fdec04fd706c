import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import heatmapLoss, { gaussianTargets } from '../../../extension/src/core/losses/heatmapLoss.ts';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import { sigmoid } from './reference.ts';

/**
 * Float64 reference of the heatmap L1 written with loops over flat channel-last arrays, independent of
 * the tf code: T(ρ) ∝ exp(−|ρ − μ|²/2σ²) for |ρ − μ| ≤ 3σ, cell centres at i + 0.5, μ = label × size.
 */
function refHeatmapLoss(
  logits: Float64Array,
  spatial: number[],
  n: number,
  labels: number[][][],
  mask: number[][],
  sigma: number,
): number {
  const cells = spatial.reduce((p, v) => p * v, 1);
  const dims = spatial.slice().reverse(); // x, y[, z] sizes
  let sum = 0;
  let counted = 0;
  labels.forEach((shape, b) => {
    shape.forEach((label, l) => {
      if (!mask[b]![l] || !label.every(Number.isFinite)) return;
      const p = new Float64Array(cells);
      const t = new Float64Array(cells);
      for (let c = 0; c < cells; c++) {
        p[c] = sigmoid(logits[(b * cells + c) * n + l]!);
        let d2 = 0;
        let rest = c;
        dims.forEach((size, a) => {
          const centre = (rest % size) + 0.5;
          rest = Math.floor(rest / size);
          d2 += (centre - label[a]! * size) ** 2;
        });
        t[c] = d2 <= 9 * sigma * sigma ? Math.exp(-d2 / (2 * sigma * sigma)) : 0;
      }
      const gp = p.reduce((s, v) => s + v, 0);
      const gt = t.reduce((s, v) => s + v, 0);
      if (!(gt > 0)) return;
      for (let c = 0; c < cells; c++) sum += Math.abs(p[c]! / gp - t[c]! / gt);
      counted += 1;
    });
  });
  return sum / Math.max(counted, 1);
}

const rng = createRandom(5);
const randomLogits = (size: number) => Float64Array.from({ length: size }, () => 2 * rng.normal());

describe('heatmap L1 loss (H/γ against a normalised Gaussian)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('hand-computed: flat 3×3 map, label at the centre cell, σ = 1', () => {
    // σ = 1, truncation 3σ: every cell of a 3×3 grid is within 3 of the centre. Weights: centre 1,
    // edge neighbours e^(−1/2), corners e^(−1). A flat map has 1/9 everywhere.
    const g = 1 + 4 * Math.exp(-0.5) + 4 * Math.exp(-1);
    const expected =
      Math.abs(1 / 9 - 1 / g) +
      4 * Math.abs(1 / 9 - Math.exp(-0.5) / g) +
      4 * Math.abs(1 / 9 - Math.exp(-1) / g);
    const loss = heatmapLoss(
      tf.zeros([1, 3, 3, 1]),
      tf.tensor3d([[[0.5, 0.5]]]),
      tf.tensor2d([[1]]),
      { sigma: 1, fromLogits: true },
    );
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);
  });

  it('hand-computed: truncation leaves only the cells within 3σ (σ = 0.4 on a 1×5 row: 3 cells)', () => {
    // Label at x = 2.5 cells (centre of cell 2): cells 1 and 3 are 1 cell away (≤ 1.2), 0 and 4 are 2 away.
    const { targets, present } = gaussianTargets(tf.tensor3d([[[0.5, 0.5]]]), [1, 5], {
      sigma: 0.4,
    });
    const w = Math.exp(-1 / (2 * 0.16));
    const t = targets.dataSync();
    expect(Array.from(t).map((v) => Number(v.toFixed(6)))).toEqual(
      [0, w / (1 + 2 * w), 1 / (1 + 2 * w), w / (1 + 2 * w), 0].map((v) => Number(v.toFixed(6))),
    );
    expect(present.dataSync()[0]).toBe(1);
  });

  it('a map equal to the target has loss 0; a map all on one far cell has loss 2', () => {
    const { targets } = gaussianTargets(tf.tensor3d([[[0.3, 0.6]]]), [8, 10], { sigma: 1 });
    const label = tf.tensor3d([[[0.3, 0.6]]]);
    const mask = tf.tensor2d([[1]]);
    expect(heatmapLoss(targets, label, mask, { sigma: 1 }).dataSync()[0]).toBeCloseTo(0, 6);
    const far = tf.buffer([1, 8, 10, 1]);
    far.set(1, 0, 7, 9, 0);
    expect(heatmapLoss(far.toTensor(), label, mask, { sigma: 1 }).dataSync()[0]).toBeCloseTo(2, 6);
  });

  it('labels that are missing, masked, or off the grid do not count and give no NaN', () => {
    const labels = tf.tensor3d([
      [
        [0.5, 0.5],
        [Number.NaN, Number.NaN],
        [5, 5],
        [0.2, 0.2],
      ],
    ]);
    const { present } = gaussianTargets(labels, [6, 6], { sigma: 1 });
    expect(Array.from(present.dataSync())).toEqual([1, 0, 0, 1]);
    const z = tf.tensor(Float32Array.from(randomLogits(6 * 6 * 4)), [1, 6, 6, 4]);
    const loss = (m: number[]) =>
      heatmapLoss(z, labels, tf.tensor2d([m]), { sigma: 1, fromLogits: true }).dataSync()[0]!;
    const onlyFirst = loss([1, 0, 0, 0]);
    expect(loss([1, 1, 1, 0])).toBeCloseTo(onlyFirst, 6);
    expect(Number.isFinite(loss([1, 1, 1, 1]))).toBe(true);
    expect(loss([0, 0, 0, 0])).toBe(0);
    const grad = tf.grad((x: tf.Tensor) =>
      heatmapLoss(x, labels, tf.tensor2d([[1, 1, 1, 1]]), { sigma: 1, fromLogits: true }),
    )(z);
    expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
  });

  const cases = [
    {
      name: '2D',
      spatial: [4, 5],
      labels: [
        [
          [0.3, 0.6],
          [0.8, 0.2],
        ],
        [
          [0.5, 0.45],
          [Number.NaN, Number.NaN],
        ],
      ],
    },
    {
      name: '3D',
      spatial: [3, 4, 5],
      labels: [
        [
          [0.3, 0.6, 0.5],
          [0.7, 0.2, 0.4],
        ],
        [
          [0.5, 0.5, 0.2],
          [0.1, 0.9, 0.8],
        ],
      ],
    },
  ];
  it.each(cases)(
    '$name: value and gradient match the float64 reference and finite differences',
    (c) => {
      const n = 2;
      const batch = 2;
      const mask = [
        [1, 1],
        [1, 0],
      ];
      const cells = c.spatial.reduce((p, v) => p * v, 1);
      const logits = randomLogits(batch * cells * n);
      const sigma = 0.8;
      const shape = [batch, ...c.spatial, n];
      const f = (z: tf.Tensor) =>
        heatmapLoss(z, tf.tensor3d(c.labels), tf.tensor2d(mask), { sigma, fromLogits: true });
      const z = tf.tensor(Float32Array.from(logits), shape);
      const ref = (v: Float64Array) => refHeatmapLoss(v, c.spatial, n, c.labels, mask, sigma);
      expect(f(z).dataSync()[0]).toBeCloseTo(ref(logits), 5);
      const grad = tf.grad(f)(z).dataSync();
      const h = 1e-6;
      const fd = Array.from(logits, (v, k) => {
        const x = Float64Array.from(logits);
        x[k] = v + h;
        const up = ref(x);
        x[k] = v - h;
        return (up - ref(x)) / (2 * h);
      });
      const scale = Math.max(...fd.map(Math.abs));
      fd.forEach((g, k) => expect(Math.abs(grad[k]! - g) / scale).toBeLessThan(1e-3));
      // The masked landmark (b = 1, l = 1) gets exactly zero gradient.
      for (let c2 = 0; c2 < cells; c2++) expect(grad[(cells + c2) * n + 1]).toBe(0);
    },
  );

  it('the sigmoid path (fromLogits false) gives the same loss as the logits path', () => {
    const logits = randomLogits(2 * 6 * 5 * 3);
    const z = tf.tensor(Float32Array.from(logits), [2, 6, 5, 3]);
    const labels = tf.tensor3d([
      [
        [0.2, 0.3],
        [0.5, 0.5],
        [0.9, 0.1],
      ],
      [
        [0.4, 0.6],
        [0.6, 0.4],
        [0.1, 0.9],
      ],
    ]);
    const mask = tf.ones([2, 3]) as tf.Tensor2D;
    const fromLogits = heatmapLoss(z, labels, mask, { sigma: 1.2, fromLogits: true });
    const fromSigmoid = heatmapLoss(z.sigmoid(), labels, mask, { sigma: 1.2 });
    expect(fromSigmoid.dataSync()[0]).toBeCloseTo(fromLogits.dataSync()[0]!, 5);
  });

  it('refuses a non-positive sigma', () => {
    expect(() => gaussianTargets(tf.tensor3d([[[0.5, 0.5]]]), [3, 3], { sigma: 0 })).toThrow(
      /sigma must be > 0/,
    );
  });
});
