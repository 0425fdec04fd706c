// Which ISBI ids `npm start -- --isbi DIR --isbi-limit N` imports: labelled and unlabelled alternate,
// so even a small demo has studies to train on and studies to pseudo-label.
import { describe, expect, it } from 'vitest';
import { pickImportIds } from '../../../extension/src/node/pacsImport/pickImportIds.ts';

const ids = ['001', '002', '003', '004', '005', '006', '007'];
const labelled = (id: string) => Number(id) <= 3; // like train.txt: the first ids

describe('pickImportIds', () => {
  it('keeps every id in order without a limit or with a limit above the count', () => {
    expect(pickImportIds(ids, labelled)).toEqual(ids);
    expect(pickImportIds(ids, labelled, 50)).toEqual(ids);
  });

  it('alternates labelled and unlabelled ids up to the limit', () => {
    expect(pickImportIds(ids, labelled, 4)).toEqual(['001', '004', '002', '005']);
    expect(pickImportIds(ids, labelled, 5)).toEqual(['001', '004', '002', '005', '003']);
  });

  it('fills from the longer list when the shorter one runs out', () => {
    expect(pickImportIds(ids, labelled, 6)).toEqual(['001', '004', '002', '005', '003', '006']);
    expect(pickImportIds(ids, () => true, 2)).toEqual(['001', '002']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => pickImportIds(ids, labelled, 0)).toThrow(/positive integer, got 0/);
    expect(() => pickImportIds(ids, labelled, Number.NaN)).toThrow(/positive integer/);
  });
});
