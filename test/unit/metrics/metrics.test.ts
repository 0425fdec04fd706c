// Landmark metrics against hand-computed cases (non-square spacing so a swapped axis fails).
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SDR_THRESHOLDS_MM,
  errorStatistics,
  evaluateLandmarks,
  formatMetricsTable,
  landmarkMetrics,
  radialErrors,
} from '../../../extension/src/core/metrics/index.ts';

describe('radialErrors', () => {
  it('scales each axis by its own spacing in 2D (3-4-5 triangle only with x=0.5, y=2 mm)', () => {
    // (6 px, 2 px) × (0.5, 2) mm = (3, 4) mm → 5 mm; swapped spacing would give sqrt(145).
    expect(radialErrors([[6, 2]], [[0, 0]], [0.5, 2])[0]).toBeCloseTo(5, 12);
    expect(radialErrors([[6, 2]], [[0, 0]], [2, 0.5])[0]).toBeCloseTo(Math.sqrt(145), 12);
  });

  it('works in 3D with anisotropic voxels', () => {
    // diff (2, 1, 4) px × (1, 2, 0.5) = (2, 2, 2) mm → 2√3; diff (2, 0, 2) → (2, 0, 1) → √5.
    const e = radialErrors(
      [
        [3, 0, 4],
        [2, 5, 2],
      ],
      [
        [1, -1, 0],
        [0, 5, 0],
      ],
      [1, 2, 0.5],
    );
    expect(e[0]).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(e[1]).toBeCloseTo(Math.sqrt(5), 12);
  });

  it('marks a landmark missing in prediction or truth as NaN', () => {
    const e = radialErrors(
      [
        [Number.NaN, 1],
        [1, 1],
        [0, 0],
      ],
      [
        [0, 0],
        [1, Number.NaN],
        [0, 0],
      ],
      [1, 1],
    );
    expect(Number.isNaN(e[0])).toBe(true);
    expect(Number.isNaN(e[1])).toBe(true);
    expect(e[2]).toBe(0);
  });

  it('rejects bad input with a message naming the case', () => {
    expect(() => radialErrors([[0, 0]], [[0, 0]], [0, 1], 'study-7')).toThrow(/study-7.*spacing/);
    expect(() => radialErrors([[0, 0]], [[0, 0]], [1], 'x')).toThrow(/2 or 3/);
    expect(() => radialErrors([[0, 0]], [], [1, 1], 'c9')).toThrow(/c9: 1 predicted.*0 true/);
    expect(() => radialErrors([[0, 0, 0]], [[0, 0]], [1, 1], 'c3')).toThrow(/c3: landmark 1/);
  });
});

describe('errorStatistics', () => {
  it('computes MRE, sample SD, median, max and inclusive SDR', () => {
    // errors 1, 2, 3, 6: mean 3; deviations −2, −1, 0, 3 → Σ² = 14; sample SD = sqrt(14/3).
    const s = errorStatistics([1, 2, 3, 6], DEFAULT_SDR_THRESHOLDS_MM);
    expect(s.count).toBe(4);
    expect(s.missing).toBe(0);
    expect(s.mreMm).toBeCloseTo(3, 12);
    expect(s.sdMm).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(s.medianMm).toBeCloseTo(2.5, 12);
    expect(s.maxMm).toBe(6);
    expect(s.sdr.map((r) => r.rate)).toEqual([0.5, 0.5, 0.75, 0.75]);
    expect(s.sdr.map((r) => r.hits)).toEqual([2, 2, 3, 3]);
  });

  it('excludes and counts missing errors, and leaves undefined what cannot be computed', () => {
    const one = errorStatistics([Number.NaN, 1.5, Number.POSITIVE_INFINITY], [2]);
    expect(one).toMatchObject({ count: 1, missing: 2, mreMm: 1.5, sdMm: undefined, maxMm: 1.5 });
    expect(one.sdr[0]).toEqual({ thresholdMm: 2, hits: 1, rate: 1 });
    const none = errorStatistics([Number.NaN], [2]);
    expect(none).toMatchObject({ count: 0, missing: 1, mreMm: undefined, sdMm: undefined });
    expect(none.sdr[0].rate).toBeUndefined();
  });
});

describe('landmarkMetrics', () => {
  const errors = [
    [1, 4, Number.NaN],
    [3, 2, 0.5],
  ];

  it('summarises per landmark and pools all valid errors overall', () => {
    const m = landmarkMetrics(errors, { landmarkNames: ['S', 'N', 'Or'], thresholdsMm: [2, 3] });
    expect(m.caseCount).toBe(2);
    expect(m.thresholdsMm).toEqual([2, 3]);
    expect(m.perLandmark.map((l) => l.name)).toEqual(['S', 'N', 'Or']);
    // S: 1, 3 → mean 2, SD sqrt(2); N: 4, 2 → mean 3, SD sqrt(2); Or: 0.5 only, one missing.
    expect(m.perLandmark[0].mreMm).toBeCloseTo(2, 12);
    expect(m.perLandmark[0].sdMm).toBeCloseTo(Math.SQRT2, 12);
    expect(m.perLandmark[1].sdr.map((r) => r.rate)).toEqual([0.5, 0.5]);
    expect(m.perLandmark[2]).toMatchObject({ count: 1, missing: 1, mreMm: 0.5, sdMm: undefined });
    // Overall: 1, 4, 3, 2, 0.5 → mean 2.1; Σ(e − 2.1)² = 1.21 + 3.61 + 0.81 + 0.01 + 2.56 = 8.2.
    expect(m.overall.count).toBe(5);
    expect(m.overall.missing).toBe(1);
    expect(m.overall.mreMm).toBeCloseTo(2.1, 12);
    expect(m.overall.sdMm).toBeCloseTo(Math.sqrt(8.2 / 4), 12);
    expect(m.overall.sdr.map((r) => r.rate)).toEqual([3 / 5, 4 / 5]);
  });

  it('defaults to L1..Ln and the challenge thresholds, and rejects ragged input', () => {
    const m = landmarkMetrics(errors);
    expect(m.perLandmark.map((l) => l.name)).toEqual(['L1', 'L2', 'L3']);
    expect(m.thresholdsMm).toEqual([2, 2.5, 3, 4]);
    expect(() => landmarkMetrics([[1, 2], [1]])).toThrow(
      /case 2 has 1 landmark errors, expected 2/,
    );
    expect(() => landmarkMetrics(errors, { thresholdsMm: [Number.NaN] })).toThrow(/threshold/);
  });

  it('never returns NaN, whatever is missing', () => {
    const m = landmarkMetrics([[Number.NaN, Number.NaN]]);
    const json = JSON.stringify(m, (_, v) =>
      typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v,
    );
    expect(json).not.toContain('NaN');
    expect(m.overall.count).toBe(0);
    expect(m.overall.missing).toBe(2);
  });
});

describe('evaluateLandmarks', () => {
  it('evaluates pixel coordinates with per-case spacing', () => {
    const { metrics, errorsMm, caseIds } = evaluateLandmarks(
      [
        {
          id: 'a',
          predictedPx: [
            [6, 2],
            [1, 1],
          ],
          truthPx: [
            [0, 0],
            [1, 1],
          ],
          spacingMm: [0.5, 2],
        },
        {
          id: 'b',
          predictedPx: [
            [10, 10],
            [13, 14],
          ],
          truthPx: [
            [10, 10],
            [10, 10],
          ],
          spacingMm: [0.1, 0.1],
        },
      ],
      { thresholdsMm: [0.25] },
    );
    expect(caseIds).toEqual(['a', 'b']);
    expect(errorsMm[0][0]).toBeCloseTo(5, 12);
    expect(errorsMm[1][1]).toBeCloseTo(0.5, 12);
    // L1: 5, 0 → 2.5; L2: 0, 0.5 → 0.25; overall 5.5 / 4.
    expect(metrics.perLandmark[0].mreMm).toBeCloseTo(2.5, 12);
    expect(metrics.perLandmark[1].mreMm).toBeCloseTo(0.25, 12);
    expect(metrics.overall.mreMm).toBeCloseTo(5.5 / 4, 12);
    expect(metrics.overall.sdr[0].rate).toBeCloseTo(0.5, 12); // 0 and 0 of 5, 0, 0, 0.5
  });

  it('names the case whose landmark count is wrong', () => {
    expect(() =>
      evaluateLandmarks([
        { id: 'ok', predictedPx: [[0, 0]], truthPx: [[0, 0]], spacingMm: [1, 1] },
        { id: 'bad-study', predictedPx: [], truthPx: [], spacingMm: [1, 1] },
      ]),
    ).toThrow(/bad-study: 0 true landmarks, expected 1/);
  });
});

describe('formatMetricsTable', () => {
  const m = landmarkMetrics(
    [
      [1, Number.NaN],
      [3, Number.NaN],
    ],
    { landmarkNames: ['Sella', 'Nasion'], thresholdsMm: [2] },
  );

  it('renders a markdown table with n/a for undefined values', () => {
    expect(formatMetricsTable(m)).toBe(
      [
        '| Landmark | N | Missing | MRE (mm) | SD (mm) | SDR 2 mm (%) |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        '| Sella | 2 | 0 | 2.00 | 1.41 | 50.0 |',
        '| Nasion | 0 | 2 | n/a | n/a | n/a |',
        '| Overall | 2 | 2 | 2.00 | 1.41 | 50.0 |',
      ].join('\n'),
    );
  });

  it('renders aligned plain text', () => {
    const lines = formatMetricsTable(m, { format: 'text', digits: 1, missingText: '-' }).split(
      '\n',
    );
    expect(lines[0]).toBe('Landmark  N  Missing  MRE (mm)  SD (mm)  SDR 2 mm (%)');
    expect(lines[2]).toBe('Sella     2        0       2.0      1.4          50.0');
    expect(lines[3]).toBe('Nasion    0        2         -        -             -');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
