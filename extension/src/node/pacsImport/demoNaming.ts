/**
 * Names of the studies `npm start` puts in the PACS, so the study list reads like a clinic's while
 * nobody can take a synthetic study for a patient's: `DEMO^CEPH^07` / `DEMO-CEPH-07`, a unique
 * accession number, a birth date and sex (made up, deterministic), descriptions that say what the
 * image is; referring physician empty. Imported data sets are named after the data set instead
 * (`ISBI2015^001`, "ISBI 2015 cephalogram 001"), with no made-up demographics.
 */
import type { StudyNaming } from '../../dicom/studyFiles.ts';
import { accessionFromKey } from '../../dicom/studyFiles.ts';

/** Kinds of synthetic demo study. */
export type DemoKind = 'ceph' | 'cbct';

const DEMO: Record<DemoKind, { study: string; series: string; minAge: number; ages: number }> = {
  ceph: { study: 'Lateral cephalogram', series: 'Lateral ceph', minAge: 9, ages: 37 },
  cbct: { study: 'CBCT head', series: 'CBCT axial', minAge: 12, ages: 60 },
};

/** First day of the demo studies; study n is n days later. */
const DEMO_EPOCH = Date.UTC(2026, 0, 4);

const pad2 = (n: number) => String(n).padStart(2, '0');
const dicomDate = (d: Date) =>
  `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;

/**
 * The naming of synthetic demo study number `n` (the generator seed, at least 1) of a kind: patient
 * `DEMO^CEPH^07`, id and accession number `DEMO-CEPH-07` / `ACC-CEPH-0007` (unique per kind and n),
 * a birth date from `n` (ages 9–45 for cephalograms, 12–71 for CBCT), sex alternating F/M.
 * @param device the simulated device, shown in the series description ("synthetic ceph-a")
 */
export function demoStudyNaming(kind: DemoKind, n: number, device: string): StudyNaming {
  if (!Number.isInteger(n) || n < 1 || n > 9999) {
    throw new Error(`demo study number ${n}: expected an integer in [1, 9999]`);
  }
  const spec = DEMO[kind];
  const tag = kind.toUpperCase();
  const studyDay = new Date(DEMO_EPOCH + n * 86_400_000);
  // Multiplying by a prime spreads consecutive studies over the age range and the calendar.
  const age = spec.minAge + ((n * 17) % spec.ages);
  const birth = new Date(
    Date.UTC(studyDay.getUTCFullYear() - age, (n * 5) % 12, 1 + ((n * 11) % 28)),
  );
  return {
    patientName: `DEMO^${tag}^${pad2(n)}`,
    patientId: `DEMO-${tag}-${pad2(n)}`,
    patientBirthDate: dicomDate(birth),
    patientSex: n % 2 === 1 ? 'F' : 'M',
    accessionNumber: `ACC-${tag}-${String(n).padStart(4, '0')}`,
    studyDescription: spec.study,
    seriesDescription: `${spec.series} (synthetic ${device})`,
    studyDate: dicomDate(studyDay),
    studyTime: `${pad2(8 + (n % 9))}${pad2((n * 13) % 60)}00`,
  };
}

/** How data sets are called in the PACS: key (as in UIDs) -> readable name. */
const DATASET_NAMES: Record<string, string> = { isbi2015: 'ISBI 2015' };

/**
 * The naming of image `id` of an imported data set (`dataset` as in its UIDs, e.g. `isbi2015`):
 * patient `ISBI2015^001`, id `ISBI2015-001`, description "ISBI 2015 cephalogram 001". The data set
 * gives no birth date or sex, so both stay empty (unknown). The accession number is
 * `ACC-ISBI2015-001` when that fits in 16 characters, else one derived from the study key.
 * @param what what one image of the set shows ("cephalogram", "hand radiograph", "image")
 */
export function datasetStudyNaming(dataset: string, id: string, what: string): StudyNaming {
  const label = DATASET_NAMES[dataset] ?? dataset;
  const tag = dataset.toUpperCase().replace(/[^A-Z0-9]+/g, '');
  const safeId = id.replace(/[^A-Za-z0-9_-]+/g, '-');
  const accession = `ACC-${tag}-${safeId}`;
  return {
    patientName: `${tag}^${safeId}`,
    patientId: `${tag}-${safeId}`,
    patientBirthDate: '',
    patientSex: '',
    accessionNumber: accession.length <= 16 ? accession : accessionFromKey(`${dataset}/${id}`),
    studyDescription: `${label} ${what} ${id}`,
    seriesDescription: `${label} ${what}`,
  };
}
