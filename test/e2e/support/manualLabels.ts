/** Manual landmark SRs ("annotated studies") for the training test, written with the SR writer. */
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import type { TestStudy } from '../../../scripts/serveDemoStudies.ts';
import { reviewPosition } from './pseudoLabels.ts';

/** Landmark i of annotated study k: reviewPosition(i) moved by a deterministic ±3 px jitter. */
export function manualPosition(k: number, i: number): [number, number] {
  const [x, y] = reviewPosition(i);
  return [x + ((k * 7 + i * 3) % 7) - 3, y + ((k * 5 + i * 11) % 7) - 3];
}

export function manualLabelSr(study: TestStudy, k: number, names: readonly string[]): ArrayBuffer {
  return writeLandmarkSr(
    {
      studyUid: study.studyUid,
      seriesUid: study.seriesUid,
      sopUids: study.sopUids,
      sopClassUid: SOP_CLASS.DX_PRESENTATION,
      dimension: 2,
      landmarks: names.map((name, i) => ({
        name,
        position: manualPosition(k, i),
        status: 'manual',
      })),
    },
    {
      study: {
        patientId: study.patientId,
        patientName: study.patientName,
        studyUid: study.studyUid,
        studyDate: '20260101',
      },
      seriesUid: uidFromSeed(`${study.studyUid}/manual-series`),
      sopUid: uidFromSeed(`${study.studyUid}/manual-sr`),
      observerName: 'Annotator^E2E',
    },
  );
}
