import { describe, expect, it } from 'vitest';
import reviewPrediction from '../../../extension/src/core/inference/reviewPrediction.ts';
import { fitShapeModel } from '../../../extension/src/core/shape/index.ts';
import { makeShapePopulation } from '../../../extension/src/core/shape/randomShapes.ts';

// 10 landmarks of a generated population (mm); the image is 1 mm per pixel and the network grid is
// the image itself (letterbox scale 1), so cells, pixels and mm coincide.
const population = makeShapePopulation({
  landmarks: 10,
  dimension: 2,
  count: 81,
  modes: 3,
  noiseMm: 0.2,
  extentMm: 60,
  place: false,
  seed: 4,
});
const model = fitShapeModel(population.slice(0, 80));
const truth = population[80]!.map(([x, y]) => [x! + 20, y! + 20]);
const [H, W, N] = [100, 100, 10];
const letterbox = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, inputWidth: W, inputHeight: H };

/** Normalised maps with one peak per landmark at `peaks[l]`, plus optional weaker second peaks. */
function maps(peaks: number[][], second: Map<number, { at: number[]; weight: number }>) {
  const heat = new Float32Array(H * W * N);
  const put = (l: number, [x, y]: number[], weight: number) =>
    (heat[(Math.floor(y!) * W + Math.floor(x!)) * N + l] += weight);
  peaks.forEach((p, l) => put(l, p, 1));
  second.forEach((s, l) => put(l, s.at, s.weight));
  return { heat, shape: [H, W, N] };
}

describe('reviewPrediction: the review wired to the heatmaps', () => {
  it('re-reads a landmark on the wrong structure from its map’s second peak near the others’ fit', () => {
    const predicted = truth.map((p) => [...p]);
    predicted[6] = [truth[6]![0]! + 30, truth[6]![1]! - 25]; // the map's main peak: wrong structure
    const heat = maps(predicted, new Map([[6, { at: truth[6]!, weight: 0.4 }]]));
    const { landmarksPx, reviews } = reviewPrediction(heat, predicted, letterbox, [1, 1], model);
    // The second peak's cell is read (cell centre: +0.5 from the truth's floor).
    expect(
      Math.hypot(landmarksPx[6]![0]! - truth[6]![0]!, landmarksPx[6]![1]! - truth[6]![1]!),
    ).toBeLessThan(1);
    expect(reviews[6]).toMatchObject({ reEstimated: true, flagged: true, reason: 'shape' });
    expect(reviews[6]!.confidence).toBeCloseTo(0.4 / 1.4, 5);
    reviews.forEach((r, l) => {
      if (l !== 6) expect(r.flagged).toBe(false);
    });
  });

  it('a sharp map at the point has confidence 1; a map with its mass elsewhere is flagged "confidence"', () => {
    const predicted = truth.map((p) => [Math.floor(p[0]!) + 0.5, Math.floor(p[1]!) + 0.5]);
    const heat = maps(predicted, new Map([[2, { at: [5, 95], weight: 19 }]]));
    const { reviews } = reviewPrediction(heat, predicted, letterbox, [1, 1], model);
    expect(reviews[0]!.confidence).toBeCloseTo(1, 6);
    expect(reviews[2]).toMatchObject({ flagged: true, reason: 'confidence', reEstimated: false });
    expect(reviews[2]!.confidence).toBeCloseTo(0.05, 6);
  });
});
