// Landmark SRs that stock OHIF reads (issue 14 item 4). OHIF 3.13's SR hydration was read from its own
// code (OHIF/Viewers extensions/cornerstone-dicom-sr/src: getSopClassHandlerModule.ts, utils/
// isRehydratable.ts, utils/hydrateStructuredReport.ts; @cornerstonejs/adapters Cornerstone3D/
// MeasurementReport.js, BaseAdapter3D.js, Probe.js); these tests state what it needs of each group,
// for 2D and 3D SRs with and without the model's values, without running OHIF (the e2e test
// test/e2e/stockSr.test.ts does). They also check that only concepts PS3.16 lacks use 99LMK, and
// that the reader keeps working on what OHIF and older writers leave.
import { describe, expect, it } from 'vitest';
import {
  asArray,
  readPart10,
  type NaturalDataset,
} from '../../../extension/src/dicom/datasetIo.ts';
import { CODES, LOCAL_SCHEME } from '../../../extension/src/dicom/srCodes.ts';
import { isLandmarkSr, readLandmarkSr } from '../../../extension/src/dicom/srReader.ts';
import {
  landmarkSrDataset,
  type LandmarkSrOptions,
} from '../../../extension/src/dicom/srWriter.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import type { LandmarkSet } from '../../../extension/src/dicom/types.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import { writePart10 } from '../../../extension/src/dicom/datasetIo.ts';
import { CEPHALOGRAM } from '../../../extension/src/ohif/templates.ts';

type Item = NaturalDataset;
interface CodeLike {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

const options: LandmarkSrOptions = {
  study: {
    patientId: 'O',
    patientName: 'Ohif^Reads',
    studyUid: uidFromSeed('o/study'),
    studyDate: '20260105',
  },
  seriesUid: uidFromSeed('o/sr-series'),
  sopUid: uidFromSeed('o/sr/1'),
};
/** 19 manual cephalogram landmarks, non-square positions (column != row). */
const manual: LandmarkSet = {
  studyUid: options.study.studyUid,
  seriesUid: uidFromSeed('o/series'),
  sopUids: [uidFromSeed('o/image')],
  sopClassUid: SOP_CLASS.DX_PRESENTATION,
  dimension: 2,
  templateId: 'cephalogram',
  landmarks: CEPHALOGRAM.landmarks.map((name, i) => ({
    name,
    position: [30 + 10 * i, 200 - 3 * i],
    status: 'manual' as const,
  })),
};
/** Pseudo labels with every model value, the first NUM-heavy group first. */
const pseudo: LandmarkSet = {
  ...manual,
  landmarks: manual.landmarks.map((l, i) => ({
    ...l,
    status: i === 0 ? ('flagged-abnormal' as const) : ('pseudo-label' as const),
    deviationMm: 1 + i / 10,
    adjustedPosition: [l.position[0]! + 2, l.position[1]! + 1],
    confidence: 0.5,
  })),
  model: { name: 'unet', version: '2', method: 'shape-regulated self-training' },
  mahalanobis: 1.25,
};
const volume: LandmarkSet = {
  ...pseudo,
  dimension: 3,
  sopClassUid: SOP_CLASS.CT,
  sopUids: [uidFromSeed('o/s0'), uidFromSeed('o/s1')],
  frameOfReferenceUid: uidFromSeed('o/for'),
  landmarks: pseudo.landmarks.slice(0, 4).map((l, i) => ({
    ...l,
    position: [-10 + i, 20 - i, 5 + 2 * i],
    adjustedPosition: [-9 + i, 21 - i, 6 + 2 * i],
  })),
};

const kids = (item: Item): Item[] => asArray(item.ContentSequence as Item | Item[]);
const concept = (item: Item): CodeLike | undefined =>
  asArray(item.ConceptNameCodeSequence as CodeLike | CodeLike[])[0];
/** The value of a CODE item, as a plain triplet (naturalized items also carry `_vrMap`). */
const value = (item: Item): CodeLike | undefined => {
  const code = asArray(item.ConceptCodeSequence as CodeLike | CodeLike[])[0];
  return (
    code && {
      CodeValue: code.CodeValue,
      CodingSchemeDesignator: code.CodingSchemeDesignator,
      CodeMeaning: code.CodeMeaning,
    }
  );
};
const is = (
  code: CodeLike | undefined,
  ref: { CodeValue: string; CodingSchemeDesignator: string },
) =>
  code?.CodeValue === ref.CodeValue && code.CodingSchemeDesignator === ref.CodingSchemeDesignator;

/** The SR as OHIF gets it: written to Part 10 and read back (naturalized). */
const srOf = (set: LandmarkSet): Item =>
  readPart10(writePart10(landmarkSrDataset(set, options)), 'test');
const groupsOf = (sr: Item): Item[] => {
  // Adapters find these by exact CodeMeaning, not by code.
  const measurements = kids(sr).find((c) => concept(c)?.CodeMeaning === 'Imaging Measurements')!;
  return kids(measurements).filter((c) => concept(c)?.CodeMeaning === 'Measurement Group');
};

/** Every 99LMK designator in a dataset (dciodvfy warns once for each). */
function localCodes(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + localCodes(x), 0);
  if (node === null || typeof node !== 'object') return 0;
  return Object.entries(node).reduce(
    (n, [k, v]) => n + (k === 'CodingSchemeDesignator' && v === LOCAL_SCHEME ? 1 : localCodes(v)),
    0,
  );
}

describe('landmark SR groups as OHIF 3.13 hydrates them', () => {
  for (const [label, set] of [
    ['2D manual', manual],
    ['2D pseudo-label', pseudo],
    ['3D pseudo-label', volume],
  ] as const) {
    it(`${label}: TID 1500, a Probe tracking identifier, the point in the first NUM, the name as Comment`, () => {
      const sr = srOf(set);
      expect(asArray(sr.ContentTemplateSequence as Item | Item[])[0]!.TemplateIdentifier).toBe(
        '1500',
      );
      const groups = groupsOf(sr);
      expect(groups).toHaveLength(set.landmarks.length);
      const uids = new Set<string>();
      groups.forEach((group, i) => {
        const landmark = set.landmarks[i]!;
        const items = kids(group);
        // OHIF reads ConceptNameCodeSequence of every child while looking for these.
        expect(items.every((c) => concept(c) !== undefined)).toBe(true);
        const tracking = items.find((c) => concept(c)?.CodeMeaning === 'Tracking Identifier')!;
        expect(String(tracking.TextValue)).toBe(`Cornerstone3DTools@^0.1.0:Probe:${landmark.name}`);
        const uid = items.find((c) => concept(c)?.CodeMeaning === 'Tracking Unique Identifier')!;
        uids.add(String(uid.UID));
        // No SCOORD directly in the group: OHIF would take it (TID 1410 path) for the landmark.
        expect(items.some((c) => c.ValueType === 'SCOORD' || c.ValueType === 'SCOORD3D')).toBe(
          false,
        );
        const nums = items.filter((c) => c.ValueType === 'NUM');
        expect(is(concept(nums[0]!), CODES.center)).toBe(true);
        const scoord = kids(nums[0]!)[0]!;
        expect(scoord.ValueType).toBe(set.dimension === 3 ? 'SCOORD3D' : 'SCOORD');
        expect(scoord.GraphicType).toBe('POINT');
        expect(scoord.ConceptNameCodeSequence).toBeUndefined();
        asArray(scoord.GraphicData as number[]).forEach((v, k) =>
          expect(v).toBeCloseTo(landmark.position[k]!, 4),
        );
        if (set.dimension === 3) {
          expect(scoord.ReferencedFrameOfReferenceUID).toBe(set.frameOfReferenceUid);
        } else {
          const image = asArray(kids(scoord)[0]!.ReferencedSOPSequence as Item | Item[])[0]!;
          expect(image.ReferencedSOPInstanceUID).toBe(set.sopUids[0]);
        }
        // OHIF formats every NUM as "<meaning>: <value> <unit>" (the unit must be there).
        for (const num of nums) {
          const measured = asArray(num.MeasuredValueSequence as Item | Item[])[0]!;
          expect(asArray(measured.MeasurementUnitsCodeSequence as Item | Item[])).toHaveLength(1);
        }
        const comment = items.find((c) => is(concept(c), CODES.comment))!;
        expect(comment.TextValue).toBe(landmark.name);
        expect(value(items.find((c) => is(concept(c), CODES.finding))!)).toEqual(
          CODES.anatomicalPoint,
        );
      });
      expect(uids.size).toBe(groups.length);
    });
  }

  it('uses a standard Finding Site where PS3.16 names the site, and none elsewhere', () => {
    const groups = groupsOf(srOf(manual));
    const site = (name: string) => {
      const group = groups[CEPHALOGRAM.landmarks.indexOf(name)]!;
      const item = kids(group).find((c) => is(concept(c), CODES.findingSite));
      return item ? value(item) : undefined;
    };
    expect(site('Sella')).toEqual({
      CodeValue: '42575006',
      CodingSchemeDesignator: 'SCT',
      CodeMeaning: 'Sella turcica',
    });
    expect(site('Nasion')).toEqual({
      CodeValue: '264779',
      CodingSchemeDesignator: 'FMA',
      CodeMeaning: 'Nasion',
    });
    expect(site('Orbitale')).toBeUndefined();
  });

  it('uses 99LMK only for the status, the model values and the template (the counts in docs/dicom-sr.md)', () => {
    // Per group: the status's concept and value; pseudo labels add the deviation, X_β and confidence.
    // Per SR: the template and the Coding Scheme Identification item (pseudo labels: + Mahalanobis).
    expect(localCodes(srOf(manual))).toBe(2 * 19 + 2);
    expect(localCodes(srOf(pseudo))).toBe(5 * 19 + 3);
  });
});

describe('reading what OHIF and older writers leave', () => {
  it('round-trips 2D and 3D sets through the new layout', () => {
    for (const set of [manual, pseudo, volume]) {
      const back = readLandmarkSr(srOf(set)).set;
      expect(back.landmarks.map((l) => [l.name, l.status, l.confidence, l.deviationMm])).toEqual(
        set.landmarks.map((l) => [l.name, l.status, l.confidence, l.deviationMm]),
      );
      back.landmarks.forEach((l, i) =>
        l.position.forEach((v, k) => expect(v).toBeCloseTo(set.landmarks[i]!.position[k]!, 4)),
      );
      expect(back.templateId).toBe('cephalogram');
      expect(back.dimension).toBe(set.dimension);
    }
  });

  it('takes the name from the Tracking Identifier (without the Probe prefix) when the Comment is gone', () => {
    const sr = srOf(manual);
    for (const group of groupsOf(sr)) {
      group.ContentSequence = kids(group).filter((c) => !is(concept(c), CODES.comment));
    }
    expect(readLandmarkSr(sr).set.landmarks.map((l) => l.name)).toEqual(CEPHALOGRAM.landmarks);
  });

  it('still knows an SR whose first group lost its status, and names the landmark it cannot read', () => {
    const sr = srOf(manual);
    const [firstGroup] = groupsOf(sr);
    firstGroup!.ContentSequence = kids(firstGroup!).filter((c) => !is(concept(c), CODES.status));
    expect(isLandmarkSr(sr)).toBe(true);
    expect(() => readLandmarkSr(sr)).toThrow(/landmark "Sella" has no known status/);
  });

  it('does not take the SR OHIF writes back (its private items dropped) for a landmark SR', () => {
    const sr = srOf(manual);
    for (const group of groupsOf(sr)) {
      group.ContentSequence = kids(group).filter(
        (c) => concept(c)?.CodingSchemeDesignator !== LOCAL_SCHEME,
      );
    }
    expect(isLandmarkSr(sr)).toBe(false);
  });
});
