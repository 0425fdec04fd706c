// Landmark SR write -> Part 10 -> read gives back the same landmark set (statuses, deviation, model,
// revision chain), without a PACS; the PACS round trip is in test/integration/pacs.
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../../../extension/src/dicom/datasetIo.ts';
import { writeLandmarkSr, type LandmarkSrOptions } from '../../../extension/src/dicom/srWriter.ts';
import {
  currentLandmarkSrs,
  isAnnotation,
  isLandmarkSr,
  readLandmarkSr,
} from '../../../extension/src/dicom/srReader.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import type { LandmarkSet, StudyIdentity } from '../../../extension/src/dicom/types.ts';

const study: StudyIdentity = {
  patientId: 'P1',
  patientName: 'Test^One',
  studyUid: uidFromSeed('t/study'),
  studyDate: '20260102',
};
const set2d: LandmarkSet = {
  studyUid: study.studyUid,
  seriesUid: uidFromSeed('t/series'),
  sopUids: [uidFromSeed('t/image')],
  sopClassUid: SOP_CLASS.DX_PRESENTATION,
  dimension: 2,
  landmarks: [
    { name: 'Sella', position: [10.5, 20.25], status: 'manual' },
    {
      name: 'Subspinale (A point)',
      position: [0, 7],
      status: 'flagged-abnormal',
      deviationMm: 4.5,
    },
    { name: 'Nasion', position: [3.75, 1.5], status: 'rejected' },
  ],
  model: { name: 'heatmap-unet', version: '1.2.0', method: 'shape-regulated self-training' },
};
const options: LandmarkSrOptions = {
  study,
  seriesUid: uidFromSeed('t/sr-series'),
  sopUid: uidFromSeed('t/sr/1'),
};

function roundTrip(set: LandmarkSet, opts = options) {
  return readLandmarkSr(readPart10(writeLandmarkSr(set, opts), 'test'));
}

describe('landmark SR write/read', () => {
  it('gives back the 2D points, names, statuses, deviation and model', () => {
    const back = roundTrip(set2d);
    expect(back.set.dimension).toBe(2);
    expect(back.set.sopUids).toEqual(set2d.sopUids);
    expect(back.set.model).toEqual(set2d.model);
    expect(back.set.landmarks.map((l) => [l.name, l.status, l.deviationMm])).toEqual([
      ['Sella', 'manual', undefined],
      ['Subspinale (A point)', 'flagged-abnormal', 4.5],
      ['Nasion', 'rejected', undefined],
    ]);
    back.set.landmarks.forEach((l, i) => {
      l.position.forEach((v, k) => expect(v).toBeCloseTo(set2d.landmarks[i].position[k], 4));
    });
    expect(back.sr.sopClassUid).toBe(SOP_CLASS.COMPREHENSIVE_SR);
  });

  it('writes 3D points in the frame of reference as a Comprehensive 3D SR', () => {
    const set3d: LandmarkSet = {
      ...set2d,
      dimension: 3,
      sopClassUid: SOP_CLASS.CT,
      sopUids: [uidFromSeed('t/s0'), uidFromSeed('t/s1')],
      frameOfReferenceUid: uidFromSeed('t/for'),
      landmarks: [{ name: 'Menton', position: [-12.5, 30.25, 7], status: 'pseudo-label' }],
    };
    const back = roundTrip(set3d);
    expect(back.sr.sopClassUid).toBe(SOP_CLASS.COMPREHENSIVE_3D_SR);
    expect(back.set.frameOfReferenceUid).toBe(set3d.frameOfReferenceUid);
    expect(back.set.sopUids).toEqual(set3d.sopUids);
    back.set.landmarks[0].position.forEach((v, k) =>
      expect(v).toBeCloseTo(set3d.landmarks[0].position[k], 4),
    );
  });

  it('refuses NaN positions and a revision that reuses the predecessor UID, naming the study', () => {
    const bad = {
      ...set2d,
      landmarks: [{ name: 'Sella', position: [Number.NaN, 1], status: 'manual' as const }],
    };
    expect(() => writeLandmarkSr(bad, options)).toThrow(/study 2\.25\.\d+, landmark "Sella"/);
    const predecessor = {
      studyUid: study.studyUid,
      seriesUid: options.seriesUid,
      sopUid: options.sopUid,
      sopClassUid: SOP_CLASS.COMPREHENSIVE_SR,
    };
    expect(() => writeLandmarkSr(set2d, { ...options, predecessor })).toThrow(
      /new SOP Instance UID/,
    );
  });

  it('keeps only the newest revision current and knows annotated sets', () => {
    const first = roundTrip(set2d);
    const revisedSet: LandmarkSet = {
      ...set2d,
      landmarks: set2d.landmarks.map((l) => ({ ...l, status: 'accepted' as const })),
    };
    const second = roundTrip(revisedSet, {
      ...options,
      sopUid: uidFromSeed('t/sr/2'),
      predecessor: first.sr,
    });
    expect(second.predecessors).toEqual([first.sr]);
    const current = currentLandmarkSrs([first, second]);
    expect(current.map((c) => c.sr.sopUid)).toEqual([second.sr.sopUid]);
    expect(isAnnotation(first.set)).toBe(false); // has a rejected and a flagged landmark
    expect(isAnnotation(second.set)).toBe(true);
  });

  it('does not take a foreign SR for a landmark SR', () => {
    const dataset = readPart10(writeLandmarkSr(set2d, options), 'test');
    expect(isLandmarkSr(dataset)).toBe(true);
    expect(isLandmarkSr({ ...dataset, ContentSequence: [] })).toBe(false);
    expect(() => readLandmarkSr({ ...dataset, SOPClassUID: SOP_CLASS.CT })).toThrow(
      /not a landmark SR/,
    );
  });
});
