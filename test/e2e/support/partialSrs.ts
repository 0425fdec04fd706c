/**
 * SRs for the partial-annotation and picking test (issue 14), written with the DICOM adapter's SR
 * writer: a pseudo-label SR whose Gonion lies on Sella with Articulare just beside them, and a landmark
 * SR that cannot be read (a group without its status), as an older or foreign writer might leave one.
 */
import { writePart10, type NaturalDataset } from '../../../extension/src/dicom/datasetIo.ts';
import { CODES } from '../../../extension/src/dicom/srCodes.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import { landmarkSrDataset, writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import type { LandmarkSet } from '../../../extension/src/dicom/types.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import type { TestStudy } from '../../../scripts/serveDemoStudies.ts';
import { reviewPosition } from './pseudoLabels.ts';

/** Image pixels between Sella (under Gonion) and Articulare in the overlap SR. */
export const ARTICULARE_OFFSET_PX = 2;

/** Where the overlap SR puts landmark `name` (index `i`): SCOORD image pixels. */
export function overlapPosition(names: readonly string[], name: string): [number, number] {
  const sella = reviewPosition(0);
  if (name === 'Gonion') return [...sella];
  if (name === 'Articulare') return [sella[0] + ARTICULARE_OFFSET_PX, sella[1]];
  return reviewPosition(names.indexOf(name));
}

function set(study: TestStudy, names: readonly string[]): LandmarkSet {
  return {
    studyUid: study.studyUid,
    seriesUid: study.seriesUid,
    sopUids: study.sopUids,
    sopClassUid: SOP_CLASS.DX_PRESENTATION,
    dimension: 2,
    landmarks: names.map((name) => ({
      name,
      position: overlapPosition(names, name),
      status: 'pseudo-label',
    })),
    model: { name: 'e2e-model', version: '0', method: 'shape-regulated self-training' },
  };
}

const options = (study: TestStudy, kind: string) => ({
  // Same PatientID as the image: Orthanc files a study under PatientID + StudyInstanceUID. The
  // study's description too, as the viewer's SRs carry it (Orthanc takes the study's attributes from
  // its newest instance): dxStudy describes each study as `DX <seed>`, its patient id being the seed.
  study: {
    patientId: study.patientId,
    patientName: study.patientName,
    studyUid: study.studyUid,
    studyDate: '20260101',
    studyDescription: `DX ${study.patientId}`,
  },
  seriesUid: uidFromSeed(`${study.studyUid}/${kind}-series`),
  sopUid: uidFromSeed(`${study.studyUid}/${kind}-sr`),
});

/** Pseudo labels with Gonion exactly on Sella and Articulare ARTICULARE_OFFSET_PX to the right. */
export function overlapSr(study: TestStudy, names: readonly string[]): ArrayBuffer {
  return writeLandmarkSr(set(study, names), options(study, 'overlap'));
}

/** A landmark SR whose first group has lost its status item: the reader refuses it. */
export function unreadableSr(study: TestStudy, names: readonly string[]): ArrayBuffer {
  const ds = landmarkSrDataset(
    {
      ...set(study, names),
      landmarks: set(study, names).landmarks.map((l) => ({ ...l, status: 'manual' })),
    },
    options(study, 'broken'),
  );
  const items = (ds.ContentSequence as NaturalDataset[]).find(
    (c) =>
      (c.ConceptNameCodeSequence as Array<{ CodeValue: string }>)[0]!.CodeValue ===
      CODES.imagingMeasurements.CodeValue,
  )!;
  const group = (items.ContentSequence as NaturalDataset[])[0]!;
  group.ContentSequence = (group.ContentSequence as NaturalDataset[]).filter(
    (c) =>
      (c.ConceptNameCodeSequence as Array<{ CodeValue: string }>)[0]!.CodeValue !==
      CODES.status.CodeValue,
  );
  return writePart10(ds);
}
