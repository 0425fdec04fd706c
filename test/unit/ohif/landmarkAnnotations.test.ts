import { describe, expect, it } from 'vitest';
import {
  landmarkAnnotations,
  nextLandmark,
  srAnnotation,
  toLandmarkSet2D,
  toLandmarkSet3D,
  type PointAnnotation,
} from '../../../extension/src/ohif/services/landmarkAnnotations.ts';
import { adjustedText } from '../../../extension/src/ohif/tools/drawAdjusted.ts';
import { NAME_OFFSET, namePosition } from '../../../extension/src/ohif/tools/drawName.ts';

const point = (
  label: string,
  p: number[],
  imageId = 'img:1',
  tool = 'LandmarkPoint',
): PointAnnotation => ({
  annotationUID: `${label}-${imageId}`,
  metadata: { toolName: tool, referencedImageId: imageId, FrameOfReferenceUID: 'for:1' },
  data: { label, handles: { points: [p] } },
});

const ref = {
  studyUid: '1.2',
  seriesUid: '1.2.3',
  sopUid: '1.2.3.4',
  sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
};

describe('landmark annotations', () => {
  it('keeps only our tool on the given image', () => {
    const all = [
      point('A', [0, 0, 0]),
      point('B', [1, 0, 0], 'img:2'),
      point('C', [2, 0, 0], 'img:1', 'Probe'),
    ];
    expect(landmarkAnnotations(all, { imageId: 'img:1' }).map((a) => a.data.label)).toEqual(['A']);
    expect(landmarkAnnotations(all, { frameOfReferenceUid: 'for:1' })).toHaveLength(2);
  });

  it('leaves out display-only copies of 3D landmarks in other MPR views', () => {
    const copy = point('A', [0, 0, 0]);
    copy.data.companionOf = 'A-img:1';
    expect(
      landmarkAnnotations([point('A', [0, 0, 0]), copy], { frameOfReferenceUid: 'for:1' }),
    ).toHaveLength(1);
  });

  it('names the first unplaced landmark, then none when complete', () => {
    const names = ['S', 'N', 'Or'];
    expect(nextLandmark(names, [])).toBe('S');
    expect(nextLandmark(names, [point('S', [0, 0, 0]), point('Or', [0, 0, 0])])).toBe('N');
    expect(
      nextLandmark(
        names,
        ['S', 'N', 'Or'].map((n) => point(n, [0, 0, 0])),
      ),
    ).toBeUndefined();
  });

  it('keeps image coordinates (SCOORD corner convention) and template order', () => {
    // World -> image for a 0.5 mm grid whose first pixel centre is at world (0.25, 0.25).
    const worldToImage = (w: number[]) => [w[0] / 0.5, w[1] / 0.5];
    const set = toLandmarkSet2D(
      ['S', 'N', 'Or'],
      [point('N', [10, 4, 0]), point('S', [0, 0, 0]), point('X', [1, 1, 0])],
      worldToImage,
      ref,
    );
    expect(set.landmarks).toEqual([
      { name: 'S', position: [0, 0], status: 'manual' },
      { name: 'N', position: [20, 8], status: 'manual' },
    ]);
    expect(set.sopUids).toEqual(['1.2.3.4']);
    expect(set.dimension).toBe(2);
  });

  it('refuses a non-finite position instead of writing NaN', () => {
    expect(() => toLandmarkSet2D(['S'], [point('S', [0, 0, 0])], () => [NaN, 1], ref)).toThrow(
      /landmark S on image 1\.2\.3\.4/,
    );
  });

  it('keeps 3D world points (patient mm) with the frame of reference', () => {
    const set = toLandmarkSet3D(['S', 'N'], [point('N', [1.5, -2, 30])], {
      ...ref,
      sopUids: ['a', 'b'],
      frameOfReferenceUid: 'for:1',
    });
    expect(set.landmarks).toEqual([{ name: 'N', position: [1.5, -2, 30], status: 'manual' }]);
    expect(set.frameOfReferenceUid).toBe('for:1');
    expect(() =>
      toLandmarkSet3D(['S'], [point('S', [1, 2])], {
        ...ref,
        sopUids: [],
        frameOfReferenceUid: 'f',
      }),
    ).toThrow(/not a 3D point/);
  });

  it("keeps the SR's X_beta, deviation and confidence in a review revision", () => {
    const a = point('S', [2, 4, 0]);
    Object.assign(a.data, {
      landmarkStatus: 'accepted',
      deviationMm: 2.5,
      adjustedPosition: [7, 8],
      adjustedPoint: [3.5, 4, 0],
      confidence: 0.75,
    });
    const old = point('N', [0, 0, 0]);
    Object.assign(old.data, { landmarkStatus: 'accepted', deviationMm: 1 }); // SR before X_beta
    const set = toLandmarkSet2D(['S', 'N'], [a, old], (w) => [w[0] * 2, w[1] * 2], ref);
    expect(set.landmarks).toEqual([
      {
        name: 'S',
        position: [4, 8],
        status: 'accepted',
        deviationMm: 2.5,
        adjustedPosition: [7, 8],
        confidence: 0.75,
      },
      // Without X_beta a deviation is only kept while the landmark is flagged (as before).
      { name: 'N', position: [0, 0], status: 'accepted' },
    ]);
  });

  it('labels X_beta with the deviation in mm, one decimal, as the panel does', () => {
    expect(adjustedText(7.549)).toEqual(['X_β Δ 7.5 mm']);
    expect(adjustedText(undefined)).toEqual(['X_β Δ ? mm']);
  });

  it('draws a 2D SR landmark at its world point with X_beta mapped the same way', () => {
    // A 2D image whose pixel (col, row) lies at world (10 + 0.5 col, 20 + 0.25 row, 5).
    const toWorld = (p: number[]) => [10 + 0.5 * p[0], 20 + 0.25 * p[1], 5];
    const drawn = srAnnotation(
      {
        name: 'Sella',
        position: [4, 8],
        status: 'flagged-abnormal',
        deviationMm: 7.5,
        adjustedPosition: [6, 12],
        confidence: 0.4,
      },
      2,
      toWorld,
    );
    expect(drawn).toEqual({
      point: [12, 22, 5],
      data: {
        label: 'Sella',
        landmarkStatus: 'flagged-abnormal',
        deviationMm: 7.5,
        confidence: 0.4,
        originalPoint: [12, 22, 5],
        adjustedPosition: [6, 12],
        adjustedPoint: [13, 23, 5],
      },
    });
  });

  it('draws a 3D SR landmark at its patient-mm position and drops X_beta of the wrong size', () => {
    const drawn = srAnnotation(
      { name: 'Sella', position: [1, 2, 3], status: 'pseudo-label', adjustedPosition: [4, 5] },
      3,
      (p) => p,
    );
    expect(drawn?.point).toEqual([1, 2, 3]);
    expect(drawn?.data.originalPoint).toEqual([1, 2, 3]);
    expect(drawn?.data).not.toHaveProperty('adjustedPoint');
  });

  it('draws nothing for a landmark whose position is not finite (no NaN on screen)', () => {
    const l = { name: 'N', position: [Number.NaN, 2], status: 'manual' as const };
    expect(srAnnotation(l, 2, (p) => [...p, 0])).toBeUndefined();
    const inf = { name: 'N', position: [1, 2], status: 'manual' as const };
    expect(srAnnotation(inf, 2, () => [Infinity, 0, 0])).toBeUndefined();
    // A non-finite X_beta is dropped, the landmark itself is kept.
    const badX = { ...inf, adjustedPosition: [Number.NaN, 1] };
    expect(srAnnotation(badX, 2, (p) => [...p, 0])?.data).not.toHaveProperty('adjustedPoint');
  });

  it('puts a name at the same offset from its point wherever the point is on the canvas', () => {
    // Independent of any other label: two points 3 px apart keep their names 3 px apart.
    expect(namePosition([100, 50])).toEqual([100 + NAME_OFFSET.x, 50 + NAME_OFFSET.y]);
    expect(namePosition([103, 50])).toEqual([103 + NAME_OFFSET.x, 50 + NAME_OFFSET.y]);
    expect(NAME_OFFSET.x).toBeGreaterThan(0);
  });
});
