// The refiner's gate (issue 3, session 3): per landmark, refinement is kept only where it lowered the
// mean radial error on images the refiner was not trained on; elsewhere the coarse estimate is kept.
// Hand-computed error tables, a patch network whose refined error cannot beat an exact coarse estimate,
// the held-out split and the coarse-like offsets (moments of the mixture).
import { beforeAll, describe, expect, it } from 'vitest';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import {
  createRefinerModel,
  prepareRefinerImage,
  refineLandmarks,
  validateRefinerConfig,
} from '../../../extension/src/core/refinement/index.ts';
import decideRefinerGate from '../../../extension/src/core/refinement/decideRefinerGate.ts';
import measureRefinerGate from '../../../extension/src/core/refinement/measureRefinerGate.ts';
import splitHeldOut from '../../../extension/src/core/refinement/splitHeldOut.ts';
import coarseLikeEstimates from '../../../extension/src/core/refinement/coarseLikeEstimates.ts';
import { drawOffsetMm } from '../../../extension/src/core/refinement/drawPatchBatch.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

describe('decideRefinerGate', () => {
  it('keeps refinement only where the held-out refined MRE is lower (hand-computed)', () => {
    const coarse = [
      [2, 4, Number.NaN, 3],
      [4, 4, 1, 3],
    ];
    const refined = [
      [1, 5, 3, 3],
      [3, 5, 2, 3],
    ];
    const gate = decideRefinerGate(coarse, refined);
    // Landmark 1: coarse (2 + 4)/2 = 3, refined (1 + 3)/2 = 2 → refined.
    // Landmark 2: coarse 4, refined 5 → coarse kept (refinement made it worse).
    // Landmark 3: the first case has no coarse error (missing label) → coarse 1, refined 2 → coarse kept.
    // Landmark 4: equal (3 vs 3) → no gain → coarse kept.
    expect(gate.useRefined).toEqual([true, false, false, false]);
    expect(gate.coarseMreMm).toEqual([3, 4, 1, 3]);
    expect(gate.refinedMreMm).toEqual([2, 5, 2, 3]);
    expect(gate.cases).toEqual([2, 2, 1, 2]);
  });

  it('asks for more than the margin, refines landmarks without evidence, and checks shapes', () => {
    // Gain 0.1 mm: kept without a margin, not with a 0.2 mm one.
    expect(decideRefinerGate([[3]], [[2.9]]).useRefined).toEqual([true]);
    expect(decideRefinerGate([[3]], [[2.9]], 0.2).useRefined).toEqual([false]);
    const none = decideRefinerGate([[Number.NaN]], [[1]]);
    expect(none.useRefined).toEqual([true]);
    expect(none.cases).toEqual([0]);
    expect(() => decideRefinerGate([[1]], [])).toThrow(/1 coarse cases but 0 refined/);
    expect(() => decideRefinerGate([[1, 2]], [[1]])).toThrow(/case 1 has 2\/1 landmarks/);
  });
});

describe('the gate on a patch network', () => {
  const CONFIG = validateRefinerConfig({
    landmarkCount: 2,
    patchShape: [16, 24],
    mmPerPixel: 0.5,
    passes: 1,
    depth: 2,
    baseFilters: 4,
    seed: 3,
  });
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('keeps the coarse estimate of a landmark whose refined error is larger on held-out images', async () => {
    const { model } = createRefinerModel(CONFIG);
    const pixels = new Float32Array(80 * 60).map((_, k) => Math.sin(k / 7) + (k % 80) / 40);
    const image = prepareRefinerImage({ width: 80, height: 60, pixels }, [0.25, 0.25], 0.5);
    const truth = [
      [30, 20],
      [50, 40],
    ];
    // Landmark 1: the coarse estimate IS the truth (error 0): no refiner can do better, so it must
    // keep the coarse estimate. Landmark 2: 40 px (10 mm) off; its decision must follow its measured
    // errors.
    const coarse = [
      [30, 20],
      [50, 0],
    ];
    const gate = await measureRefinerGate(model, CONFIG, [{ id: 'h1', image, truth, coarse }]);
    expect(gate.coarseMreMm[0]).toBe(0);
    expect(gate.refinedMreMm[0]).toBeGreaterThan(0);
    expect(gate.useRefined[0]).toBe(false);
    expect(gate.coarseMreMm[1]).toBeCloseTo(10, 9); // 40 px · 0.25 mm
    expect(gate.useRefined[1]).toBe(gate.refinedMreMm[1]! < gate.coarseMreMm[1]!);
    // Applied: the gated landmark comes back exactly as it went in, the other as refined.
    const plain = await refineLandmarks(model, image, coarse, CONFIG);
    const gated = await refineLandmarks(model, image, coarse, {
      ...CONFIG,
      useRefined: [false, true],
    });
    expect(gated[0]).toEqual(coarse[0]);
    expect(plain[0]).not.toEqual(coarse[0]);
    expect(gated[1]).toEqual(plain[1]);
    await expect(
      refineLandmarks(model, image, coarse, { ...CONFIG, useRefined: [true], name: 'x.png' }),
    ).rejects.toThrow(/x.png: the refiner's gate has 1 entries for 2 landmarks/);
    model.dispose();
  });

  it('is part of the validated config', () => {
    expect(validateRefinerConfig({ ...CONFIG, useRefined: [true, false] }).useRefined).toEqual([
      true,
      false,
    ]);
    expect(() => validateRefinerConfig({ ...CONFIG, useRefined: [true] })).toThrow(
      /useRefined must hold 2 true\/false entries/,
    );
  });
});

describe('held-out images and coarse-like estimates', () => {
  it('holds out a seeded 20 %, at least 2, none under 5 images', () => {
    const ids = Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(3, '0'));
    const a = splitHeldOut(ids, 1);
    expect(a.heldOut).toHaveLength(4);
    expect(a.train).toHaveLength(16);
    expect(new Set([...a.train, ...a.heldOut])).toEqual(new Set(ids));
    expect(a.train).toEqual(ids.filter((id) => !a.heldOut.includes(id))); // input order kept
    expect(splitHeldOut(ids, 1)).toEqual(a);
    expect(splitHeldOut(ids, 2).heldOut).not.toEqual(a.heldOut);
    expect(splitHeldOut(ids.slice(0, 5), 1).heldOut).toHaveLength(2); // round(1) → at least 2
    expect(splitHeldOut(ids.slice(0, 4), 1)).toEqual({ train: ids.slice(0, 4), heldOut: [] });
  });

  it('draws offsets from the mixture (moments) and the plain normal without extra draws', () => {
    const rng = createRandom(5);
    const xs: number[] = [];
    for (let k = 0; k < 20000; k++)
      xs.push(...drawOffsetMm(rng, { offsetSdMm: 1, offsetTailSdMm: 10, offsetTailFraction: 0.5 }));
    const variance = xs.reduce((s, x) => s + x * x, 0) / xs.length;
    // 0.5 · 1² + 0.5 · 10² = 50.5
    expect(variance).toBeGreaterThan(50.5 * 0.95);
    expect(variance).toBeLessThan(50.5 * 1.05);
    const plain = createRandom(9);
    const expected = [2 * plain.normal(), 2 * plain.normal()];
    expect(drawOffsetMm(createRandom(9), { offsetSdMm: 2 })).toEqual(expected);
  });

  it('puts coarse-like estimates at truth + offset in original pixels, finite for missing labels', () => {
    const image = prepareRefinerImage(
      { width: 40, height: 20, pixels: new Float32Array(800) },
      [0.1, 0.2],
      0.4,
    ); // factor [4, 2]: level spacing [0.4, 0.4] mm
    const truth = [
      [10, 5],
      [Number.NaN, Number.NaN],
    ];
    expect(coarseLikeEstimates(truth, image, createRandom(1), { offsetSdMm: 0 })).toEqual([
      [10, 5],
      [20, 10], // the image centre in original pixels
    ]);
    const rng = createRandom(2);
    const dx: number[] = [];
    const dy: number[] = [];
    for (let k = 0; k < 5000; k++) {
      const [p] = coarseLikeEstimates([[10, 5]], image, rng, { offsetSdMm: 3 });
      dx.push((p![0]! - 10) * 0.1);
      dy.push((p![1]! - 5) * 0.2);
    }
    const sd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
    // 3 mm per axis, whatever the pixel spacing of the axis.
    expect(sd(dx)).toBeGreaterThan(2.85);
    expect(sd(dx)).toBeLessThan(3.15);
    expect(sd(dy)).toBeGreaterThan(2.85);
    expect(sd(dy)).toBeLessThan(3.15);
  });
});
