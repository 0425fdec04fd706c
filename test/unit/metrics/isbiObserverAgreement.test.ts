// Real data: senior vs junior doctor on the ISBI 2015 cephalograms, against the NumPy reference in
// __fixtures__/isbiObserverAgreement.json (written by the script beside it). Skips without ../shared.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateLandmarks } from '../../../extension/src/core/metrics/index.ts';
import reference from './__fixtures__/isbiObserverAgreement.json';

const DATA = join(import.meta.dirname, '../../../../shared/data/isbi2015');

/** image id → 19 [x, y] pixel rows. */
function readLandmarks(file: string): Map<string, number[][]> {
  const [, ...rows] = readFileSync(join(DATA, file), 'utf8').trim().split('\n');
  return new Map(
    rows.map((line) => {
      const [id, ...v] = line.split(',');
      return [id, Array.from({ length: 19 }, (_, i) => [Number(v[2 * i]), Number(v[2 * i + 1])])];
    }),
  );
}

describe.skipIf(!existsSync(DATA))('ISBI 2015 inter-observer agreement', () => {
  it('matches the NumPy reference (MRE, sample SD, SDR; overall and per landmark)', () => {
    const senior = readLandmarks('landmarks_senior.csv');
    const junior = readLandmarks('landmarks_junior.csv');
    const ids = [...senior.keys()].filter((id) => junior.has(id)).sort();
    const { metrics } = evaluateLandmarks(
      ids.map((id) => ({
        id,
        predictedPx: junior.get(id)!,
        truthPx: senior.get(id)!,
        spacingMm: [0.1, 0.1],
      })),
    );
    expect(metrics.caseCount).toBe(reference.cases);
    expect(metrics.overall.mreMm).toBeCloseTo(reference.overall.mreMm, 9);
    expect(metrics.overall.sdMm).toBeCloseTo(reference.overall.sdMm, 9);
    metrics.overall.sdr.forEach((s, i) => expect(s.rate).toBeCloseTo(reference.overall.sdr[i], 12));
    metrics.perLandmark.forEach((l, i) => {
      expect(l.mreMm).toBeCloseTo(reference.perLandmarkMreMm[i], 9);
      expect(l.sdMm).toBeCloseTo(reference.perLandmarkSdMm[i], 9);
    });
  });
});
