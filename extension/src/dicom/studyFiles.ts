/**
 * A 2D image or a 3D volume with landmarks -> the DICOM files of one study: a DX image or a CT series,
 * plus (for labelled studies) a manual landmark SR. Used by the demo-study seeder (synthetic studies)
 * and the ISBI importer. UIDs are derived from a study key, so re-running is idempotent in a PACS.
 * Patient and study names default to ones derived from the key; callers that know better (the demo
 * seeder, the ISBI importer) pass a {@link StudyNaming}.
 */
import type { SyntheticStudy } from '../core/synthetic/types.ts';
import { ctSliceUid, writeCtSeries, writeDxImage } from './imageWriter.ts';
import { SOP_CLASS } from './sopClasses.ts';
import { writeLandmarkSr } from './srWriter.ts';
import type { LandmarkSet, StudyIdentity } from './types.ts';
import { uidFromSeed } from './uids.ts';

/** The files of one study and, when labelled, the landmark set written to its SR. */
export interface StudyFiles {
  key: string;
  studyUid: string;
  /** Image files then (when labelled) the SR. */
  files: ArrayBuffer[];
  imageSeriesUid: string;
  landmarkSet?: LandmarkSet;
}

/**
 * What a study is called in the PACS; each field replaces the default derived from the study key.
 * Dates are `YYYYMMDD`, sex `M`, `F`, `O` or empty (unknown).
 */
export interface StudyNaming {
  patientName?: string;
  patientId?: string;
  patientBirthDate?: string;
  patientSex?: string;
  /** At most 16 characters (SH); unique per study. */
  accessionNumber?: string;
  studyDescription?: string;
  seriesDescription?: string;
  studyDate?: string;
  studyTime?: string;
}

/** A 2D greyscale image with landmarks in SCOORD pixel coordinates (see `types.ts`). */
export interface ImageWithLandmarks {
  /** Unique key of the study (UIDs are derived from it), e.g. `isbi2015/001`. */
  key: string;
  width: number;
  height: number;
  pixels: ArrayLike<number>;
  bitsStored: 8 | 10 | 12 | 14 | 16;
  /** `[column, row]` mm per pixel. */
  spacingMm: [number, number];
  landmarkNames: readonly string[];
  /** `[column, row]` per landmark, SCOORD convention (0,0 = top-left corner of the image). */
  landmarks: number[][];
  description: string;
  device?: string;
  /** Patient and study names (default: derived from `key`, with `description` as both descriptions). */
  naming?: StudyNaming;
}

/**
 * An accession number unique to the study key, at most 16 characters (SH): `A` and the last 15 digits
 * of the key's study UID (a 128-bit hash), so two keys practically never share one.
 */
export function accessionFromKey(key: string): string {
  return `A${uidFromSeed(`${key}/study`).slice(-15)}`;
}

function identity(
  key: string,
  description: string,
  index: number,
  naming: StudyNaming = {},
): StudyIdentity {
  const patientId = key.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64);
  return {
    patientId: naming.patientId ?? patientId,
    patientName: (naming.patientName ?? `Demo^${patientId}`).slice(0, 64),
    patientBirthDate: naming.patientBirthDate,
    patientSex: naming.patientSex,
    studyUid: uidFromSeed(`${key}/study`),
    studyDate: naming.studyDate ?? '20260101',
    studyTime: naming.studyTime ?? String(100000 + (index % 86400)).slice(0, 6),
    studyId: String(index % 100000),
    accessionNumber: (naming.accessionNumber ?? accessionFromKey(key)).slice(0, 16),
    studyDescription: (naming.studyDescription ?? description).slice(0, 64),
  };
}

function manualSr(study: StudyIdentity, set: LandmarkSet, key: string): ArrayBuffer {
  return writeLandmarkSr(set, {
    study,
    seriesUid: uidFromSeed(`${key}/sr-series`),
    sopUid: uidFromSeed(`${key}/sr/manual`),
    observerName: 'Annotator^Manual',
    seriesDescription: 'Landmarks (manual)',
  });
}

/** DX study (+ manual SR when `labelled`). */
export function imageStudyFiles(
  input: ImageWithLandmarks,
  labelled: boolean,
  index = 1,
): StudyFiles {
  const study = identity(input.key, input.description, index, input.naming);
  const seriesUid = uidFromSeed(`${input.key}/series`);
  const sopUid = uidFromSeed(`${input.key}/image`);
  const image = writeDxImage(
    study,
    {
      seriesUid,
      seriesNumber: 1,
      seriesDescription: (input.naming?.seriesDescription ?? input.description).slice(0, 64),
      deviceModel: input.device,
    },
    {
      width: input.width,
      height: input.height,
      pixels: input.pixels,
      bitsStored: input.bitsStored,
      spacingMm: input.spacingMm,
      sopUid,
    },
  );
  const out: StudyFiles = {
    key: input.key,
    studyUid: study.studyUid,
    files: [image],
    imageSeriesUid: seriesUid,
  };
  if (labelled) {
    const set: LandmarkSet = {
      studyUid: study.studyUid,
      seriesUid,
      sopUids: [sopUid],
      sopClassUid: SOP_CLASS.DX_PRESENTATION,
      dimension: 2,
      landmarks: input.landmarkNames.map((name, i) => ({
        name,
        position: input.landmarks[i].slice(0, 2),
        status: 'manual' as const,
      })),
    };
    out.files.push(manualSr(study, set, input.key));
    out.landmarkSet = set;
  }
  return out;
}

/**
 * A synthetic study (from `core/synthetic`) as DICOM. 2D landmark pixel centres (integer = centre)
 * become SCOORD (+0.5); 3D voxel indices become patient mm (origin 0, identity orientation, slice k at
 * z = k x spacing). CBCT stored values v are written as HU = v - 1024 (stored back as v).
 */
export function syntheticStudyFiles(
  synthetic: SyntheticStudy,
  labelled: boolean,
  index = 1,
  naming?: StudyNaming,
): StudyFiles {
  const key = `synthetic/${synthetic.id}`;
  if (synthetic.kind === 'cephalogram') {
    return imageStudyFiles(
      {
        key,
        width: synthetic.width,
        height: synthetic.height,
        pixels: synthetic.pixels,
        bitsStored: synthetic.bitsStored as 8 | 10 | 12 | 14 | 16,
        spacingMm: synthetic.spacingMm,
        landmarkNames: synthetic.landmarkNames,
        landmarks: synthetic.landmarksPx.map(([x, y]) => [x + 0.5, y + 0.5]),
        description: `Synthetic cephalogram (${synthetic.device})`,
        device: synthetic.device,
        naming,
      },
      labelled,
      index,
    );
  }
  const study = identity(key, `Synthetic CBCT (${synthetic.device})`, index, naming);
  const seriesUid = uidFromSeed(`${key}/series`);
  const frameOfReferenceUid = uidFromSeed(`${key}/frame`);
  const voxelsHu = Int16Array.from(synthetic.pixels, (v) => v - 1024);
  const files = writeCtSeries(
    study,
    {
      seriesUid,
      seriesNumber: 1,
      seriesDescription: (naming?.seriesDescription ?? `CBCT ${synthetic.device}`).slice(0, 64),
      deviceModel: synthetic.device,
    },
    {
      width: synthetic.width,
      height: synthetic.height,
      depth: synthetic.depth,
      voxelsHu,
      spacingMm: synthetic.spacingMm,
      frameOfReferenceUid,
      uidSeed: key,
    },
  );
  const out: StudyFiles = { key, studyUid: study.studyUid, files, imageSeriesUid: seriesUid };
  if (labelled) {
    const [sx, sy, sz] = synthetic.spacingMm;
    const set: LandmarkSet = {
      studyUid: study.studyUid,
      seriesUid,
      sopUids: Array.from({ length: synthetic.depth }, (_, k) => ctSliceUid(key, k)),
      sopClassUid: SOP_CLASS.CT,
      dimension: 3,
      frameOfReferenceUid,
      landmarks: synthetic.landmarkNames.map((name, i) => {
        const [x, y, z] = synthetic.landmarksPx[i];
        return { name, position: [x * sx, y * sy, z * sz], status: 'manual' as const };
      }),
    };
    out.files.push(manualSr(study, set, key));
    out.landmarkSet = set;
  }
  return out;
}
