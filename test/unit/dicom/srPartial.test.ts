// Partial annotations (issue 14): an SR holds the landmarks placed so far plus the template's id, and
// reading it back gives the same partial set and the id; the viewer then knows the 14 landmarks still
// missing from the template (ohif/services/templateOfSet.ts), also for SRs written before the id.
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../../../extension/src/dicom/datasetIo.ts';
import { isAnnotation, readLandmarkSr } from '../../../extension/src/dicom/srReader.ts';
import { writeLandmarkSr, type LandmarkSrOptions } from '../../../extension/src/dicom/srWriter.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import type { LandmarkSet } from '../../../extension/src/dicom/types.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import {
  templateNames,
  templateOfSet,
} from '../../../extension/src/ohif/services/templateOfSet.ts';
import { BUILTIN_TEMPLATES, CEPHALOGRAM } from '../../../extension/src/ohif/templates.ts';

const studyUid = uidFromSeed('partial/study');
/** The first 5 of the 19 cephalogram landmarks, as a radiologist saves them before a break. */
const FIRST_FIVE = CEPHALOGRAM.landmarks.slice(0, 5);
const partial: LandmarkSet = {
  studyUid,
  seriesUid: uidFromSeed('partial/series'),
  sopUids: [uidFromSeed('partial/image')],
  sopClassUid: SOP_CLASS.DX_PRESENTATION,
  dimension: 2,
  templateId: 'cephalogram',
  // Non-square positions (column != row) so a swap would show.
  landmarks: FIRST_FIVE.map((name, i) => ({
    name,
    position: [40 + 12 * i, 100 + 3 * i],
    status: 'manual' as const,
  })),
};
const options: LandmarkSrOptions = {
  study: { patientId: 'P', patientName: 'Partial^Test', studyUid, studyDate: '20260102' },
  seriesUid: uidFromSeed('partial/sr-series'),
  sopUid: uidFromSeed('partial/sr/1'),
};
const roundTrip = (set: LandmarkSet) =>
  readLandmarkSr(readPart10(writeLandmarkSr(set, options), 'test'));

describe('partial landmark SR', () => {
  it('round-trips 5 of 19 landmarks with the template id, and is a (partial) annotation', () => {
    const back = roundTrip(partial);
    expect(back.set.templateId).toBe('cephalogram');
    expect(back.set.landmarks).toEqual(partial.landmarks);
    expect(isAnnotation(back.set)).toBe(true);
  });

  it('lets the viewer continue with the template: 19 names, 5 placed, landmark 6 next', () => {
    const back = roundTrip(partial);
    const { names, templateId } = templateNames(BUILTIN_TEMPLATES, back.set);
    expect(templateId).toBe('cephalogram');
    expect(names).toEqual(CEPHALOGRAM.landmarks);
    const placed = new Set(back.set.landmarks.map((l) => l.name));
    expect(names.filter((n) => placed.has(n))).toHaveLength(5);
    expect(names.find((n) => !placed.has(n))).toBe(CEPHALOGRAM.landmarks[5]);
  });

  it('finds the template of an SR written before the id by its landmark names', () => {
    const legacy: LandmarkSet = { ...partial };
    delete legacy.templateId;
    const back = roundTrip(legacy);
    expect(back.set.templateId).toBeUndefined();
    expect(templateOfSet(BUILTIN_TEMPLATES, back.set)?.id).toBe('cephalogram');
    expect(templateNames(BUILTIN_TEMPLATES, back.set).names).toHaveLength(19);
  });

  it("keeps names the template lacks after its list, and the set's own names with no template", () => {
    const extra = {
      ...partial,
      landmarks: [...partial.landmarks, { ...partial.landmarks[0]!, name: 'Extra' }],
    };
    expect(templateNames(BUILTIN_TEMPLATES, extra).names).toEqual([
      ...CEPHALOGRAM.landmarks,
      'Extra',
    ]);
    const unknown = { dimension: 2 as const, landmarks: [{ name: 'b' }, { name: 'a' }] };
    expect(templateNames(BUILTIN_TEMPLATES, unknown as never)).toEqual({ names: ['b', 'a'] });
  });

  it('refuses a template id that is not a short token, and a landmark listed twice', () => {
    expect(() => writeLandmarkSr({ ...partial, templateId: 'a b' }, options)).toThrow(
      /template id "a b" must be 1 to 64 letters/,
    );
    const twice = { ...partial, landmarks: [...partial.landmarks, partial.landmarks[2]!] };
    expect(() => writeLandmarkSr(twice, options)).toThrow(
      `landmark "${FIRST_FIVE[2]}" is in the set twice`,
    );
  });
});
