// Issue 14 item 7: demo studies that look real. What `npm start` seeds is named like a clinic's study
// list (descriptions, unique accession numbers, clearly synthetic patients with birth dates and sex, no
// referring physician), ISBI imports are named after the data set, and there are enough CBCT studies
// for 3D training in the panel (>= 3 annotated, >= 2 to pseudo-label).
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../../../extension/src/dicom/datasetIo.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import {
  datasetStudyNaming,
  demoStudyNaming,
} from '../../../extension/src/node/pacsImport/demoNaming.ts';
import {
  NPM_START_SEED,
  seedDemoStudies,
} from '../../../extension/src/node/pacsImport/seedDemoStudies.ts';

const DICOM_DATE = /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

describe('demoStudyNaming', () => {
  it('names study 7 of each kind as a synthetic patient with a readable description', () => {
    const ceph = demoStudyNaming('ceph', 7, 'ceph-b');
    expect(ceph).toMatchObject({
      patientName: 'DEMO^CEPH^07',
      patientId: 'DEMO-CEPH-07',
      accessionNumber: 'ACC-CEPH-0007',
      studyDescription: 'Lateral cephalogram',
      seriesDescription: 'Lateral ceph (synthetic ceph-b)',
      patientSex: 'F',
    });
    expect(demoStudyNaming('cbct', 2, 'cbct-a')).toMatchObject({
      patientName: 'DEMO^CBCT^02',
      studyDescription: 'CBCT head',
      patientSex: 'M',
    });
  });

  it('gives valid dates, a plausible age at the study and values that fit their VRs', () => {
    for (const kind of ['ceph', 'cbct'] as const) {
      for (let n = 1; n <= 40; n++) {
        const s = demoStudyNaming(kind, n, 'x');
        expect(s.patientBirthDate).toMatch(DICOM_DATE);
        expect(s.studyDate).toMatch(DICOM_DATE);
        expect(s.studyTime).toMatch(/^([01]\d|2[0-3])[0-5]\d00$/);
        const age = Number(s.studyDate!.slice(0, 4)) - Number(s.patientBirthDate!.slice(0, 4));
        expect(age).toBeGreaterThanOrEqual(kind === 'ceph' ? 8 : 11);
        expect(age).toBeLessThanOrEqual(kind === 'ceph' ? 46 : 72);
        expect(s.accessionNumber!.length).toBeLessThanOrEqual(16); // SH
        expect(s.patientId!.length).toBeLessThanOrEqual(64); // LO
      }
    }
  });

  it('refuses a study number outside 1..9999', () => {
    expect(() => demoStudyNaming('ceph', 0, 'x')).toThrow(/demo study number 0/);
  });
});

describe('datasetStudyNaming', () => {
  it('names ISBI images after the data set, with no made-up demographics', () => {
    expect(datasetStudyNaming('isbi2015', '001', 'cephalogram')).toEqual({
      patientName: 'ISBI2015^001',
      patientId: 'ISBI2015-001',
      patientBirthDate: '',
      patientSex: '',
      accessionNumber: 'ACC-ISBI2015-001',
      studyDescription: 'ISBI 2015 cephalogram 001',
      seriesDescription: 'ISBI 2015 cephalogram',
    });
  });

  it('keeps accession numbers unique and within 16 characters for long names', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `image-${String(i).padStart(4, '0')}`);
    const numbers = ids.map(
      (id) => datasetStudyNaming('hand-xray-2024', id, 'image').accessionNumber,
    );
    expect(new Set(numbers).size).toBe(ids.length);
    for (const a of numbers) expect(a!.length).toBeLessThanOrEqual(16);
  });
});

describe('what npm start seeds', () => {
  it('18 studies, 9 annotated, 6 CBCT (3 annotated, 3 to pseudo-label, one clinical-size), each named and unique', async () => {
    const stored: ArrayBuffer[][] = [];
    const results = await seedDemoStudies({
      ...NPM_START_SEED,
      store: async (files) => void stored.push(files),
    });
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results).toHaveLength(18);
    const first = stored.map((files) => readPart10(files[0], 'seeded'));
    const srCount = stored.map(
      (files) => files.filter((f) => readPart10(f, 'sr').Modality === 'SR').length,
    );
    const ct = first.map((d, i) => ({ d, sr: srCount[i] })).filter((x) => x.d.Modality === 'CT');
    expect(ct).toHaveLength(6);
    expect(ct.filter((x) => x.sr === 1)).toHaveLength(3);
    expect(ct.filter((x) => x.sr === 0)).toHaveLength(3);
    // The clinical-size volume: 304 slices of 336 × 336 at 0.5 mm, DEMO^CBCT^06.
    const clinical = ct.filter((x) => x.d.Rows === 336);
    expect(clinical).toHaveLength(1);
    expect(String(clinical[0].d.PatientName)).toBe('DEMO^CBCT^06');
    expect(clinical[0].d.PixelSpacing).toEqual([0.5, 0.5]);
    expect(stored.find((files) => files.length === 304)).toBeDefined();
    expect(first.filter((d) => d.SOPClassUID === SOP_CLASS.DX_PRESENTATION)).toHaveLength(12);
    expect(srCount.reduce((a, b) => a + b, 0)).toBe(9);

    const accession = first.map((d) => d.AccessionNumber);
    expect(new Set(accession).size).toBe(18);
    expect(new Set(first.map((d) => d.PatientID)).size).toBe(18);
    for (const d of first) {
      expect(String(d.PatientName)).toMatch(/^DEMO\^(CEPH|CBCT)\^\d\d$/);
      expect(['Lateral cephalogram', 'CBCT head']).toContain(d.StudyDescription);
      expect(String(d.SeriesDescription)).toMatch(/synthetic/);
      expect(String(d.PatientBirthDate)).toMatch(DICOM_DATE);
      expect(['F', 'M']).toContain(d.PatientSex);
      // Type 2: present and empty (dcmjs reads an empty PN as []).
      expect('ReferringPhysicianName' in d).toBe(true);
      expect(String(d.ReferringPhysicianName)).toBe('');
    }
  });
});
