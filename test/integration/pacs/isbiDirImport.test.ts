// `npm start -- --isbi DIR --isbi-limit N` imports from the real ISBI 2015 folder: labelled (train.txt)
// and unannotated images alternate, labelled ones carry a manual landmark SR with the CSV's points,
// and a second run skips what the PACS already has. The PACS is a recording fake here (the STOW path is
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
