import { describe, expect, it } from 'vitest';
import decodeNear from '../../../extension/src/core/inference/decodeNear.ts';
import reviewLandmarks from '../../../extension/src/core/inference/reviewLandmarks.ts';
import { fitShapeModel } from '../../../extension/src/core/shape/index.ts';
import { makeShapePopulation } from '../../../extension/src/core/shape/randomShapes.ts';

describe('decodeNear: a heatmap read again near a given place', () => {
  // One 4 × 6 map (H = 4, W = 6), channel 1 of 2: a strong peak at (x 0, y 0) and a weak one at (x 4, y 2)
  // with a neighbour (x 5, y 2); channel 0 is noise that must not be read.
  const shape = [4, 6, 2];
  const heat = new Float32Array(4 * 6 * 2).fill(0);
  const set = (x: number, y: number, l: number, v: number) => (heat[(y * 6 + x) * 2 + l] = v);
  set(0, 0, 1, 1);
  set(4, 2, 1, 0.3);
  set(5, 2, 1, 0.1);
  set(3, 3, 0, 5);

  it('finds the weak peak near the given centre and averages its window (hand-computed)', () => {
    const r = decodeNear(heat, shape, 1, [4, 2], 2, 1)!;
    // Window radius 1 around (4.5, 2.5): cells (4,2) 0.3 and (5,2) 0.1 → x = (0.3·4.5 + 0.1·5.5)/0.4.
    expect(r.point[0]).toBeCloseTo((0.3 * 4.5 + 0.1 * 5.5) / 0.4, 6);
    expect(r.point[1]).toBeCloseTo(2.5, 6);
    expect(r.mass).toBeCloseTo(0.4 / 1.4, 6);
  });

  it('with a wide search it takes the strongest peak; off the grid it gives nothing', () => {
    expect(decodeNear(heat, shape, 1, [4, 2], 10, 0.5)!.point).toEqual([0.5, 0.5]);
    expect(decodeNear(heat, shape, 1, [40, 40], 2, 1)).toBeUndefined();
  });
});

describe('reviewLandmarks', () => {
  const population = makeShapePopulation({
    landmarks: 12,
    dimension: 2,
    count: 101,
    modes: 5,
    noiseMm: 0.3,
    seed: 9,
  });
  const model = fitShapeModel(population.slice(0, 100));
  const truth = population[100]!;
  const confident = truth.map(() => 0.8);

  it('a clean prediction is left as it is and nothing is flagged', () => {
    const { pointsMm, reviews } = reviewLandmarks(model, truth, confident);
    expect(pointsMm).toEqual(truth);
    expect(reviews.every((r) => !r.flagged && !r.reEstimated)).toBe(true);
  });

  it('a gross error is re-read from its map near the fit of the others and flagged "shape"', () => {
    const predicted = truth.map((p) => [...p]);
    predicted[3] = [truth[3]![0]! + 30, truth[3]![1]! + 10];
    const asked: number[][] = [];
    const { pointsMm, reviews } = reviewLandmarks(model, predicted, confident, {
      reread: (l, near) => {
        asked.push([l, ...near]);
        return { pointMm: [...truth[l]!], confidence: 0.5 };
      },
    });
    expect(asked.map((a) => a[0])).toEqual([3]);
    expect(pointsMm[3]).toEqual(truth[3]);
    expect(reviews[3]).toMatchObject({ reEstimated: true, flagged: true, reason: 'shape' });
    expect(reviews[3]!.robustDeviationMm).toBeGreaterThan(25);
    expect(reviews.filter((r) => r.flagged)).toHaveLength(1);
  });

  it('where the map has nothing near the fit, the fit is used and the flag says both reasons', () => {
    const predicted = truth.map((p) => [...p]);
    predicted[7] = [truth[7]![0]! - 40, truth[7]![1]!];
    const { pointsMm, reviews } = reviewLandmarks(model, predicted, confident, {
      reread: () => undefined,
    });
    expect(
      Math.hypot(pointsMm[7]![0]! - truth[7]![0]!, pointsMm[7]![1]! - truth[7]![1]!),
    ).toBeLessThan(3);
    expect(reviews[7]).toMatchObject({ reason: 'shape+confidence', confidence: 0 });
  });

  it('a pile of points (an untrained network) is no shape: nothing moves, every landmark is flagged', () => {
    const pile = truth.map((_, l) => [50 + 0.01 * l, 60]);
    const { pointsMm, reviews } = reviewLandmarks(model, pile, confident, {
      reread: () => {
        throw new Error('must not re-read a landmark of an implausible shape');
      },
    });
    expect(pointsMm).toEqual(pile);
    expect(reviews.every((r) => r.flagged && r.reasons[0] === 'shape' && !r.reEstimated)).toBe(
      true,
    );
  });

  it('low heatmap confidence alone flags "confidence"; the paper’s Z = 2 mm rule is reported beside it', () => {
    const low = confident.map((c, l) => (l === 5 ? 0.02 : c));
    const { reviews } = reviewLandmarks(model, truth, low, { thresholds: { minConfidence: 0.1 } });
    expect(reviews[5]).toMatchObject({ flagged: true, reason: 'confidence', reEstimated: false });
    reviews.forEach((r) => expect(r.abnormal).toBe(r.deviationMm > 2));
  });

  it('a landmark the paper’s regulator moves more than Z is flagged "shape-model", its own reason', () => {
    const predicted = truth.map((p) => [...p]);
    predicted[2] = [truth[2]![0]! + 1.5, truth[2]![1]!];
    const z = 0.05;
    const { reviews } = reviewLandmarks(model, predicted, confident, {
      thresholds: { abnormalThresholdMm: z },
    });
    const moved = reviews.filter((r) => r.deviationMm > z);
    expect(moved.length).toBeGreaterThan(0);
    for (const r of reviews) {
      expect(r.flagged).toBe(r.deviationMm > z);
      expect(r.reasons).toEqual(r.deviationMm > z ? ['shape-model'] : []);
    }
    expect(moved[0]).toMatchObject({ reason: 'shape-model', abnormal: true, reEstimated: false });
  });
});
