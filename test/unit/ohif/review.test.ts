import { describe, expect, it } from 'vitest';
import type { LandmarkSrInfo } from '../../../extension/src/dicom/srReader.ts';
import type { Landmark } from '../../../extension/src/dicom/types.ts';
import { pseudoLabelSet } from '../../../extension/src/ohif/services/pseudoLabelSet.ts';
import {
  STATUS_COLOURS,
  buildReviewQueue,
  describeReasons,
  reviewedStatus,
} from '../../../extension/src/ohif/services/reviewQueue.ts';
import { LANDMARK_STATUSES } from '../../../extension/src/dicom/types.ts';
import { spacingOf } from '../../../extension/src/ohif/services/trainingSet.ts';
import type { PseudoLabelResult } from '../../../extension/src/ohif/worker/protocol.ts';

const info = (sop: string, landmarks: Landmark[]): LandmarkSrInfo =>
  ({
    set: {
      studyUid: 's',
      seriesUid: 'se',
      sopUids: ['i'],
      sopClassUid: 'c',
      dimension: 2,
      landmarks,
    },
    sr: { studyUid: 's', seriesUid: 'sr', sopUid: sop, sopClassUid: 'c' },
    predecessors: [],
    contentDateTime: '',
  }) as unknown as LandmarkSrInfo;

const lm = (name: string, status: Landmark['status'], deviationMm?: number): Landmark => ({
  name,
  position: [1, 2],
  status,
  ...(deviationMm !== undefined ? { deviationMm } : {}),
});

const x = (name: string, position: number[], status: Landmark['status']): Landmark => ({
  name,
  position,
  status,
});

describe('status colours', () => {
  it('gives every status its own colour, so the legend tells them apart', () => {
    const colours = LANDMARK_STATUSES.map((s) => STATUS_COLOURS[s]);
    expect(colours.every((c) => /^rgb\(\d+, \d+, \d+\)$/.test(c))).toBe(true);
    expect(new Set(colours).size).toBe(LANDMARK_STATUSES.length);
  });
});

describe('review queue', () => {
  const studies = [
    {
      studyUid: 'A',
      patientName: 'a',
      srs: [info('a1', [lm('S', 'flagged-abnormal', 2), lm('N', 'pseudo-label')])],
    },
    {
      studyUid: 'B',
      patientName: 'b',
      srs: [
        info('b1', [
          lm('S', 'flagged-abnormal', 1),
          { ...lm('N', 'flagged-abnormal', 9), reviewReasons: ['shape', 'confidence'] },
        ]),
      ],
    },
    {
      studyUid: 'C',
      patientName: 'c',
      srs: [info('c1', [lm('S', 'accepted'), lm('N', 'manual')])],
    },
    { studyUid: 'D', patientName: 'd', srs: [] },
  ];

  it('lists studies with flagged landmarks, worst deviation first, flagged sorted inside', () => {
    const q = buildReviewQueue(studies);
    expect(q.map((i) => i.studyUid)).toEqual(['B', 'A']);
    // S has no stored reasons (an SR from before they were written): the paper's rule flagged it.
    expect(q[0].flagged).toEqual([
      { name: 'N', deviationMm: 9, reasons: ['shape', 'confidence'] },
      { name: 'S', deviationMm: 1, reasons: ['shape-model'] },
    ]);
    expect(q[0].worstMm).toBe(9);
  });

  it('filters by landmark and ranks by that landmark', () => {
    expect(buildReviewQueue(studies, 'S').map((i) => [i.studyUid, i.worstMm])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    expect(buildReviewQueue(studies, 'Or')).toEqual([]);
  });

  it('says each reason in words, in the order given', () => {
    expect(describeReasons(['shape', 'confidence'])).toBe('shape outlier, low confidence');
    expect(describeReasons(['shape-model'])).toBe('moved > Z by the shape model');
    expect(describeReasons(undefined)).toBe('');
  });

  it('decides the reviewed status: a moved point is corrected, else the decision, else unchanged', () => {
    expect(reviewedStatus('flagged-abnormal', 'accepted', false)).toBe('accepted');
    expect(reviewedStatus('flagged-abnormal', 'accepted', true)).toBe('corrected');
    expect(reviewedStatus('pseudo-label', 'rejected', false)).toBe('rejected');
    expect(reviewedStatus('pseudo-label', undefined, false)).toBe('pseudo-label');
    expect(reviewedStatus('manual', undefined, true)).toBe('manual');
  });
});

describe('pseudo-label SR content (paper Eq. 7)', () => {
  const item = {
    studyUid: 's',
    seriesUid: 'se',
    sopUid: 'i',
    sopClassUid: 'c',
    spacingMm: [0.1, 0.1] as [number, number],
  };
  const model = { name: 'm', version: '1', method: 'shape-regulated self-training' };
  const result = (abnormal: boolean[]): PseudoLabelResult => ({
    item,
    predicted: [
      [10, 20],
      [30, 40],
    ],
    adjusted: [
      [11, 21],
      [31, 41],
    ],
    abnormal,
    deviationMm: [0.14, 2.5],
    mahalanobis: 1,
  });

  it('stores X_beta when nothing is abnormal', () => {
    const set = pseudoLabelSet(['a', 'b'], result([false, false]), model);
    expect(set.landmarks).toEqual([
      { ...x('a', [11, 21], 'pseudo-label'), adjustedPosition: [11, 21], deviationMm: 0.14 },
      { ...x('b', [31, 41], 'pseudo-label'), adjustedPosition: [31, 41], deviationMm: 2.5 },
    ]);
    expect(set.model).toEqual(model);
    expect(set.mahalanobis).toBe(1);
  });

  it('stores X_alpha and flags the abnormal landmark with its deviation otherwise', () => {
    const set = pseudoLabelSet(['a', 'b'], result([false, true]), model);
    expect(set.landmarks).toEqual([
      { ...x('a', [10, 20], 'pseudo-label'), adjustedPosition: [11, 21], deviationMm: 0.14 },
      {
        ...x('b', [30, 40], 'flagged-abnormal'),
        adjustedPosition: [31, 41],
        deviationMm: 2.5,
        reviewReasons: ['shape-model'],
      },
    ]);
  });

  it("stores why each flagged landmark is flagged: the worker's reasons, else the paper's rule", () => {
    const images = pseudoLabelSet(
      ['a', 'b'],
      { ...result([false, true]), flagReasons: [[], ['shape', 'confidence']] },
      model,
    );
    expect(images.landmarks.map((l) => l.reviewReasons)).toEqual([
      undefined,
      ['shape', 'confidence'],
    ]);
    // Volumes: flagged by the paper's regulator (moved > Z), no reasons from the worker.
    const volumes = pseudoLabelSet(['a', 'b'], result([true, false]), model);
    expect(volumes.landmarks.map((l) => l.reviewReasons)).toEqual([['shape-model'], undefined]);
  });

  it('keeps the optional confidence and leaves out a non-finite X_beta or Mahalanobis distance', () => {
    const r = {
      ...result([false, false]),
      confidence: [{ confidence: 0.9 }, 0.25],
      mahalanobis: Number.NaN,
    };
    r.adjusted = [
      [11, 21],
      [Number.NaN, 41],
    ];
    r.predicted = [
      [10, 20],
      [30, 40],
    ];
    r.abnormal = [false, false];
    // X_beta of b is not finite: no position to store for it when nothing is abnormal.
    expect(() => pseudoLabelSet(['a', 'b'], r, model)).toThrow(/landmark b/);
    r.abnormal = [true, false];
    const set = pseudoLabelSet(['a', 'b'], r, model);
    expect(set.landmarks[0]).toMatchObject({ confidence: 0.9, adjustedPosition: [11, 21] });
    expect(set.landmarks[1]).toEqual({ ...x('b', [30, 40], 'pseudo-label'), confidence: 0.25 });
    expect(set.mahalanobis).toBeUndefined();
  });

  it('refuses NaN positions', () => {
    const r = result([false, false]);
    r.adjusted[1] = [Number.NaN, 1];
    expect(() => pseudoLabelSet(['a', 'b'], r, model)).toThrow(/study s: landmark b/);
  });
});

describe('pixel spacing from WADO metadata', () => {
  it('reads PixelSpacing (row\\column) as [x, y], falls back to ImagerPixelSpacing', () => {
    expect(spacingOf({ '00280030': { Value: [0.2, 0.1] } })).toEqual([0.1, 0.2]);
    expect(spacingOf({ '00181164': { Value: [0.15, 0.15] } })).toEqual([0.15, 0.15]);
    expect(spacingOf({})).toBeUndefined();
    expect(spacingOf({ '00280030': { Value: [0, 0.1] } })).toBeUndefined();
  });
});
