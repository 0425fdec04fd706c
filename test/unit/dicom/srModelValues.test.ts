// The model's values in a landmark SR (issue 5): per landmark the shape-adjusted position X_β (SCOORD /
// SCOORD3D with concept 99LMK LMK-ADJUSTED, INFERRED FROM by the deviation NUM), the deviation
// |X_α − X_β| in mm and the confidence (NUM, unit 1); once per SR the shape's Mahalanobis distance.
// Written -> Part 10 -> read back; SRs from the writers of db04baf (fixture made by
// scripts/fixtures/oldLandmarkSr.ts) and 65f5f98 (the layout before issue 14 item 4, fixture made by
// __fixtures__/writeLandmarkSrV2.ts) still read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  asArray,
  readPart10,
  type NaturalDataset,
} from '../../../extension/src/dicom/datasetIo.ts';
import { CODES, REASON_CODES } from '../../../extension/src/dicom/srCodes.ts';
import { readLandmarkSr } from '../../../extension/src/dicom/srReader.ts';
import { writeLandmarkSr, type LandmarkSrOptions } from '../../../extension/src/dicom/srWriter.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import type { LandmarkSet } from '../../../extension/src/dicom/types.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';

const options: LandmarkSrOptions = {
  study: {
    patientId: 'P2',
    patientName: 'Test^Two',
    studyUid: uidFromSeed('m/study'),
    studyDate: '20260102',
  },
  seriesUid: uidFromSeed('m/sr-series'),
  sopUid: uidFromSeed('m/sr/1'),
};
const set2d: LandmarkSet = {
  studyUid: options.study.studyUid,
  seriesUid: uidFromSeed('m/series'),
  sopUids: [uidFromSeed('m/image')],
  sopClassUid: SOP_CLASS.DX_PRESENTATION,
  dimension: 2,
  landmarks: [
    // 0.1 mm pixels: |(10.5, 20.25) - (13.5, 24.25)| = 5 px = 0.5 mm.
    {
      name: 'Sella',
      position: [10.5, 20.25],
      status: 'pseudo-label',
      adjustedPosition: [13.5, 24.25],
      deviationMm: 0.5,
      confidence: 0.875,
    },
    // Flagged, with X_β and why, but no confidence.
    {
      name: 'Nasion',
      position: [100, 50],
      status: 'flagged-abnormal',
      adjustedPosition: [130, 90],
      deviationMm: 5,
      reviewReasons: ['shape', 'shape-model'],
    },
    // Manual: none of the model's values.
    { name: 'Orbitale', position: [3, 4], status: 'manual' },
  ],
  model: { name: 'unet', version: '1', method: 'shape-regulated self-training' },
  mahalanobis: 3.75,
};

const children = (item: NaturalDataset): NaturalDataset[] =>
  asArray(item.ContentSequence as NaturalDataset | NaturalDataset[]);
const first = (value: unknown): NaturalDataset =>
  asArray(value as NaturalDataset)[0] as NaturalDataset;
const named = (item: NaturalDataset, code: { CodeValue: string }) =>
  children(item).find((c) => first(c.ConceptNameCodeSequence)?.CodeValue === code.CodeValue);

describe('landmark SR: X_β, deviation, confidence, Mahalanobis', () => {
  it('reads back X_β, the deviation, the confidence per landmark and the Mahalanobis distance', () => {
    const back = readLandmarkSr(readPart10(writeLandmarkSr(set2d, options), 'test')).set;
    expect(back.mahalanobis).toBeCloseTo(3.75, 6);
    const [sella, nasion, orbitale] = back.landmarks;
    expect(sella.adjustedPosition?.[0]).toBeCloseTo(13.5, 4);
    expect(sella.adjustedPosition?.[1]).toBeCloseTo(24.25, 4);
    expect(sella.deviationMm).toBeCloseTo(0.5, 6);
    expect(sella.confidence).toBeCloseTo(0.875, 6);
    expect(nasion.status).toBe('flagged-abnormal');
    expect(nasion.adjustedPosition).toEqual([130, 90]);
    expect(nasion.deviationMm).toBe(5);
    expect(nasion.reviewReasons).toEqual(['shape', 'shape-model']);
    expect(sella.reviewReasons).toBeUndefined();
    expect(nasion.confidence).toBeUndefined();
    expect(orbitale).toEqual({ name: 'Orbitale', position: [3, 4], status: 'manual' });
    // The SR position stays X_α: X_β is a second point, not a replacement.
    expect(nasion.position).toEqual([100, 50]);
  });

  it('codes X_β as a SCOORD POINT selected from the image, inferred from by the deviation (mm)', () => {
    const ds = readPart10(writeLandmarkSr(set2d, options), 'test');
    const measurements = named(ds, CODES.imagingMeasurements)!;
    const group = children(measurements)[1];
    const deviation = named(group, CODES.deviation)!;
    const unit = first(first(deviation.MeasuredValueSequence).MeasurementUnitsCodeSequence);
    expect(unit).toMatchObject({ CodeValue: 'mm', CodingSchemeDesignator: 'UCUM' });
    const point = named(deviation, CODES.adjusted)!;
    expect(point).toMatchObject({ ValueType: 'SCOORD', RelationshipType: 'INFERRED FROM' });
    expect(point.GraphicType).toBe('POINT');
    const image = children(point)[0];
    expect(image.RelationshipType).toBe('SELECTED FROM');
    const ref = first(image.ReferencedSOPSequence);
    expect(ref.ReferencedSOPInstanceUID).toBe(set2d.sopUids[0]);
    // Mahalanobis: once, after the 3 groups.
    expect(children(measurements).map((c) => c.ValueType)).toEqual([
      'CONTAINER',
      'CONTAINER',
      'CONTAINER',
      'NUM',
    ]);
  });

  it('codes each review reason as a 99LMK CODE item of the group, and skips unknown ones on reading', () => {
    const ds = readPart10(writeLandmarkSr(set2d, options), 'test');
    const group = children(named(ds, CODES.imagingMeasurements)!)[1];
    const reasons = children(group).filter(
      (c) => first(c.ConceptNameCodeSequence)?.CodeValue === CODES.reviewReason.CodeValue,
    );
    expect(reasons.map((c) => c.ValueType)).toEqual(['CODE', 'CODE']);
    expect(reasons.map((c) => first(c.ConceptCodeSequence))).toMatchObject([
      REASON_CODES.shape,
      REASON_CODES['shape-model'],
    ]);
    // A reason a newer writer added is not one of ours: the others still read.
    first(reasons[0].ConceptCodeSequence).CodeValue = 'R-NEWER';
    const nasion = readLandmarkSr(ds).set.landmarks[1];
    expect(nasion.reviewReasons).toEqual(['shape-model']);
  });

  it('refuses a review reason it has no code for', () => {
    const bad = structuredClone(set2d);
    (bad.landmarks[1] as { reviewReasons: string[] }).reviewReasons = ['gut feeling'];
    expect(() => writeLandmarkSr(bad, options)).toThrow(/Nasion.*review reason "gut feeling"/);
  });

  it('writes X_β of a 3D landmark as a SCOORD3D in the frame of reference (patient mm)', () => {
    const set3d: LandmarkSet = {
      ...set2d,
      dimension: 3,
      sopClassUid: SOP_CLASS.CT,
      frameOfReferenceUid: uidFromSeed('m/for'),
      landmarks: [
        {
          name: 'Menton',
          position: [-12.5, 30.25, 7],
          status: 'flagged-abnormal',
          adjustedPosition: [-10.5, 31.25, 9],
          deviationMm: 3,
        },
      ],
    };
    const ds = readPart10(writeLandmarkSr(set3d, options), 'test');
    const group = children(named(ds, CODES.imagingMeasurements)!)[0];
    const point = named(named(group, CODES.deviation)!, CODES.adjusted)!;
    expect(point.ValueType).toBe('SCOORD3D');
    expect(point.ReferencedFrameOfReferenceUID).toBe(set3d.frameOfReferenceUid);
    const back = readLandmarkSr(ds).set.landmarks[0];
    back.adjustedPosition!.forEach((v, k) => expect(v).toBeCloseTo([-10.5, 31.25, 9][k], 4));
  });

  it('keeps small and long values (DS, 16 characters) to their relative precision', () => {
    // dcmjs cuts String(1.35921170887877e-5) to "1.35921170887877" unless the value is formatted as DS
    // first (a CI run read a confidence of 1.359 back from the PACS this way).
    const values = { confidence: 1.35921170887877e-5, deviationMm: 2.000000000000001e-7 };
    const tiny = {
      ...set2d,
      mahalanobis: 123456.78901234567,
      landmarks: [
        {
          name: 'Sella',
          position: [1, 2],
          adjustedPosition: [1, 2],
          status: 'pseudo-label' as const,
          ...values,
        },
      ],
    };
    const back = readLandmarkSr(readPart10(writeLandmarkSr(tiny, options), 'test')).set;
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(relative(back.landmarks[0]!.confidence!, values.confidence)).toBeLessThan(1e-9);
    expect(relative(back.landmarks[0]!.deviationMm!, values.deviationMm)).toBeLessThan(1e-9);
    expect(relative(back.mahalanobis!, 123456.78901234567)).toBeLessThan(1e-12);
  });

  it('refuses X_β without a deviation, a NaN X_β, confidence or Mahalanobis distance', () => {
    const withLandmark = (extra: object): LandmarkSet => ({
      ...set2d,
      landmarks: [{ name: 'Sella', position: [1, 2], status: 'pseudo-label', ...extra }],
    });
    expect(() => writeLandmarkSr(withLandmark({ adjustedPosition: [1, 2] }), options)).toThrow(
      /landmark "Sella": a shape-adjusted position needs its deviation/,
    );
    expect(() =>
      writeLandmarkSr(withLandmark({ adjustedPosition: [Number.NaN, 2], deviationMm: 1 }), options),
    ).toThrow(/shape-adjusted position is not 2 finite numbers/);
    expect(() => writeLandmarkSr(withLandmark({ confidence: Number.NaN }), options)).toThrow(
      /confidence NaN is not in \[0, 1\]/,
    );
    expect(() => writeLandmarkSr(withLandmark({ confidence: 1.25 }), options)).toThrow(
      /landmark "Sella": confidence 1.25 is not in \[0, 1\]/,
    );
    expect(() => writeLandmarkSr({ ...set2d, mahalanobis: Infinity }, options)).toThrow(
      /Mahalanobis distance is not finite/,
    );
  });

  it('leaves out a confidence outside [0, 1] when reading (as a buggy writer stored 1.359e-5)', () => {
    const ds = readPart10(writeLandmarkSr(set2d, options), 'test');
    const group = children(named(ds, CODES.imagingMeasurements)!)[0]!;
    const item = named(group, CODES.confidence)!;
    first(item.MeasuredValueSequence).NumericValue = 1.35921170887877;
    const [sella] = readLandmarkSr(ds).set.landmarks;
    expect(sella!.name).toBe('Sella');
    expect(sella!.confidence).toBeUndefined();
    expect(sella!.deviationMm).toBeCloseTo(0.5, 9);
  });

  it('still reads an SR written before these values existed (writer of db04baf)', () => {
    const file = readFileSync(new URL('./__fixtures__/landmark-sr-v1.dcm', import.meta.url));
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const info = readLandmarkSr(readPart10(buffer, 'landmark-sr-v1.dcm'));
    expect(info.set.mahalanobis).toBeUndefined();
    expect(info.set.landmarks).toEqual([
      { name: 'Sella', position: [100.5, 80.25], status: 'pseudo-label' },
      { name: 'Nasion', position: [200, 60.5], status: 'flagged-abnormal', deviationMm: 4.25 },
    ]);
    expect(info.sr.sopUid).toBe('2.25.1005');
  });

  it('still reads an SR with the layout before issue 14 item 4 (writer of 65f5f98)', () => {
    const file = readFileSync(new URL('./__fixtures__/landmark-sr-v2.dcm', import.meta.url));
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const info = readLandmarkSr(readPart10(buffer, 'landmark-sr-v2.dcm'));
    expect(info.set.templateId).toBe('cephalogram');
    expect(info.set.mahalanobis).toBe(2.5);
    expect(info.set.model).toEqual({
      name: 'unet',
      version: '0.2.0',
      method: 'shape-regulated self-training',
    });
    // The point is the Center NUM's even though the deviation and confidence NUMs come first there.
    expect(info.set.landmarks).toEqual([
      { name: 'Sella', position: [100.5, 80.25], status: 'pseudo-label', confidence: 0.75 },
      {
        name: 'Nasion',
        position: [200, 60.5],
        status: 'flagged-abnormal',
        deviationMm: 4.25,
        adjustedPosition: [203.5, 62],
        confidence: 0.5,
      },
    ]);
    expect(info.sr.sopUid).toBe('2.25.2005');
  });
});
