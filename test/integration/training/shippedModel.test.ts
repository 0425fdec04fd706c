// The cephalogram model shipped in models/isbi2015-cephalogram/ predicts real ISBI 2015 Test1
// cephalograms (never seen in its training) within 4 mm MRE, through the product's whole prediction
// path (network → robust shape review → refiner). Needs ../shared/data/isbi2015; skipped
// with a message without it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLandmarkTable } from '../../../extension/src/core/data/landmarkTable.ts';
import { evaluateLandmarks } from '../../../extension/src/core/metrics/index.ts';
import predictFolder from '../../../extension/src/node/predictFolder.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const MODEL = path.resolve('models/isbi2015-cephalogram');
const DATA = path.resolve('../shared/data/isbi2015');
const IDS = ['151', '175', '200', '250', '300'];
const available = existsSync(path.join(DATA, 'landmarks_mean.csv'));
if (!available) console.warn(`shipped model test skipped: no ISBI data at ${DATA}`);

describe.skipIf(!available)('shipped ISBI 2015 cephalogram model', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('predicts unseen Test1 cephalograms within 4 mm MRE and flags what it re-estimated', async () => {
    const truth = parseLandmarkTable(readFileSync(path.join(DATA, 'landmarks_mean.csv'), 'utf8'), {
      source: 'landmarks_mean.csv',
    });
    const result = await predictFolder(MODEL, path.join(DATA, 'images'), IDS);
    expect(result.failed).toEqual([]);
    expect(result.landmarkNames[0]).toBe('Sella');
    const { metrics } = evaluateLandmarks(
      IDS.map((id) => ({
        id,
        predictedPx: result.landmarks.get(id)!,
        truthPx: truth.rows.get(id)!,
        spacingMm: [0.1, 0.1],
      })),
    );
    console.log(
      `shipped model on Test1 ${IDS.join(', ')}: MRE ${metrics.overall.mreMm!.toFixed(2)} mm, SDR 2 mm ${(100 * metrics.overall.sdr[0]!.rate!).toFixed(1)} %`,
    );
    expect(metrics.overall.mreMm).toBeLessThan(4);
    // Every landmark has a review (the model carries its shape model and the 0.1 mm spacing); a
    // re-estimated landmark is always flagged for review.
    for (const id of IDS) {
      const reviews = result.reviews.get(id)!;
      expect(reviews).toHaveLength(19);
      reviews.forEach((r) => {
        expect(Number.isFinite(r.confidence) && r.confidence >= 0 && r.confidence <= 1).toBe(true);
        if (r.reEstimated) expect(r.flagged).toBe(true);
      });
    }
  });
});
