// `npm start -- --isbi DIR --isbi-limit N` imports from the real ISBI 2015 folder: labelled (train.txt)
// and unannotated images alternate, labelled ones carry a manual landmark SR with the CSV's points,
// and a second run skips what the PACS already has. Studies are named as the data set (issue 14 item 7):
// patient ISBI2015^001, "ISBI 2015 cephalogram 001", a unique accession number, not "Demo". The PACS is a recording fake here (the STOW path is
// covered by the other PACS tests). Skipped when ../shared is absent.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../../../extension/src/dicom/datasetIo.ts';
import { isLandmarkSr, readLandmarkSr } from '../../../extension/src/dicom/srReader.ts';
import { importIsbiDir } from '../../../extension/src/node/pacsImport/importIsbiDir.ts';

const DIR = path.resolve('../shared/data/isbi2015');

describe.skipIf(!existsSync(DIR))('ISBI folder import for npm start', () => {
  it('imports 2 images (1 labelled with its SR, 1 unannotated) and skips them the second time', async () => {
    const stored = new Map<string, ArrayBuffer[]>();
    const store = async (files: ArrayBuffer[], studyUid: string) => {
      stored.set(studyUid, files);
    };
    const results = await importIsbiDir({ dir: DIR, limit: 2, store });
    expect(results.map((r) => [r.id, r.labelled, r.error])).toEqual([
      ['001', true, undefined], // train.txt starts with 001
      ['151', false, undefined], // the first id not in train.txt
    ]);
    const srsOf = (uid: string) =>
      (stored.get(uid) ?? []).map((f) => readPart10(f, uid)).filter((d) => isLandmarkSr(d));
    const [labelledSr] = srsOf(results[0].studyUid!);
    expect(srsOf(results[1].studyUid!)).toEqual([]);
    const set = readLandmarkSr(labelledSr).set;
    expect(set.landmarks).toHaveLength(19);
    expect(set.landmarks.every((l) => l.status === 'manual')).toBe(true);
    const [image001, image151] = results.map((r) => readPart10(stored.get(r.studyUid!)![0], r.id));
    // dcmjs reads a PN as [{ Alphabetic }], whose string is the value.
    expect(String(image001.PatientName)).toBe('ISBI2015^001');
    expect(image001).toMatchObject({
      PatientID: 'ISBI2015-001',
      AccessionNumber: 'ACC-ISBI2015-001',
      StudyDescription: 'ISBI 2015 cephalogram 001',
      SeriesDescription: 'ISBI 2015 cephalogram',
    });
    expect(image151.StudyDescription).toBe('ISBI 2015 cephalogram 151');
    expect(image151.AccessionNumber).toBe('ACC-ISBI2015-151');
    expect(String(labelledSr.PatientName)).toBe('ISBI2015^001'); // the SR carries the study's identity

    const again = await importIsbiDir({
      dir: DIR,
      limit: 2,
      store: () => Promise.reject(new Error('nothing should be sent again')),
      exists: async (uid) => stored.has(uid),
    });
    expect(again.map((r) => [r.skipped, r.studyUid])).toEqual(
      results.map((r) => [true, r.studyUid]),
    );
  });
});
