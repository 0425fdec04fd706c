/** The 3D pseudo-label SR content of one volume (ohif/volume/volumePseudoLabelSet.ts). */
import { describe, expect, it } from 'vitest';
import { readLandmarkSr } from '../../../extension/src/dicom/srReader.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import { readPart10 } from '../../../extension/src/dicom/datasetIo.ts';
import volumePseudoLabelSet from '../../../extension/src/ohif/volume/volumePseudoLabelSet.ts';
import type { PseudoLabelResult, VolumeItem } from '../../../extension/src/ohif/worker/protocol.ts';

const item: VolumeItem = {
  kind: 'volume',
  studyUid: '1.2.3',
  seriesUid: '1.2.3.4',
  sopUid: '1.2.3.4.0',
  sopUids: ['1.2.3.4.0', '1.2.3.4.1', '1.2.3.4.2'],
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  frameOfReferenceUid: '1.2.3.9',
};
const model = {
  name: 'ohif-landmarks-unet3d',
  version: 'abc',
  method: 'shape-regulated self-training',
};

const result = (
  abnormal: boolean[],
  overrides: Partial<PseudoLabelResult> = {},
): PseudoLabelResult => ({
  item,
  predicted: [
    [1, 2, 3],
    [4, 5, 6],
  ],
  adjusted: [
    [1.5, 2, 3],
    [4, 5, 8],
  ],
  abnormal,
  deviationMm: [0.5, 2],
  mahalanobis: 1.25,
  ...overrides,
});

describe('3D pseudo-label set', () => {
  it('stores X_β in patient mm when no landmark is abnormal, with every slice as evidence', () => {
    const set = volumePseudoLabelSet(['a', 'b'], result([false, false]), model);
    expect(set.dimension).toBe(3);
    expect(set.frameOfReferenceUid).toBe('1.2.3.9');
    expect(set.sopUids).toEqual(item.sopUids);
    expect(set.landmarks.map((l) => l.position)).toEqual([
      [1.5, 2, 3],
      [4, 5, 8],
    ]);
    expect(set.landmarks.map((l) => l.status)).toEqual(['pseudo-label', 'pseudo-label']);
    expect(set.landmarks[1]!.adjustedPosition).toEqual([4, 5, 8]);
    expect(set.mahalanobis).toBe(1.25);
  });

  it('stores X_α and flags the abnormal landmark, and the SR round-trips as SCOORD3D', () => {
    const set = volumePseudoLabelSet(['a', 'b'], result([false, true]), model);
    expect(set.landmarks.map((l) => l.position)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(set.landmarks[1]).toMatchObject({ status: 'flagged-abnormal', deviationMm: 2 });
    const buffer = writeLandmarkSr(set, {
      study: { studyUid: '1.2.3', patientId: 'p', patientName: 'P', studyDate: '20260101' },
      seriesUid: '1.2.3.7',
      sopUid: '1.2.3.7.1',
    });
    const back = readLandmarkSr(readPart10(buffer, 'test')).set;
    expect(back.dimension).toBe(3);
    expect(back.landmarks.map((l) => l.position)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(back.landmarks[1]!.adjustedPosition).toEqual([4, 5, 8]);
  });

  it('refuses a non-finite position or a volume without Frame of Reference, naming the series', () => {
    const nan = result([false, false], {
      adjusted: [
        [1, 2, NaN],
        [4, 5, 8],
      ],
    });
    expect(() => volumePseudoLabelSet(['a', 'b'], nan, model)).toThrow(/1\.2\.3\.4.*landmark a/);
    const noFrame = result([false, false], { item: { ...item, frameOfReferenceUid: undefined } });
    expect(() => volumePseudoLabelSet(['a', 'b'], noFrame, model)).toThrow(
      /series 1\.2\.3\.4: no Frame of Reference/,
    );
  });
});
