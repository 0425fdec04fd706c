/**
 * A pseudo-label SR as the self-training pipeline stores it (status pseudo-label / flagged-abnormal with
 * the deviation in mm), written with the DICOM adapter's SR writer, for the review tests.
 */
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import type { Landmark } from '../../../extension/src/dicom/types.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import type { TestStudy } from '../../../scripts/serveDemoStudies.ts';

/** Image position of landmark i in the review tests (SCOORD pixel-corner convention). */
export const reviewPosition = (i: number): [number, number] => [40 + 12 * i, 100 + 20 * (i % 3)];

/** Pixel spacing of the e2e DX images (scripts/serveDemoStudies.ts dxStudy), mm. */
export const DX_SPACING_MM = 0.5;

/**
 * Shape-adjusted position X_β written for a flagged landmark at `position` with deviation `mm`: moved
 * by `mm` (in pixels: mm / spacing) along the direction (0.6, 0.8), so |X_α − X_β| = mm exactly.
 */
export const adjustedPosition = (position: [number, number], mm: number): [number, number] => [
  position[0] + (0.6 * mm) / DX_SPACING_MM,
  position[1] + (0.8 * mm) / DX_SPACING_MM,
];

/**
 * Writes the SR: every name a pseudo-label at reviewPosition(i), except `flagged` (name -> mm), which
 * are flagged-abnormal with their deviation and their shape-adjusted position (adjustedPosition).
 */
export function pseudoLabelSr(
  study: TestStudy,
  names: readonly string[],
  flagged: Record<string, number>,
): { file: ArrayBuffer; sopUid: string } {
  const landmarks: Landmark[] = names.map((name, i) =>
    name in flagged
      ? {
          name,
          position: reviewPosition(i),
          status: 'flagged-abnormal',
          deviationMm: flagged[name],
          adjustedPosition: adjustedPosition(reviewPosition(i), flagged[name]),
        }
      : { name, position: reviewPosition(i), status: 'pseudo-label' },
  );
  const sopUid = uidFromSeed(`${study.studyUid}/pseudo-sr`);
  const file = writeLandmarkSr(
    {
      studyUid: study.studyUid,
      seriesUid: study.seriesUid,
      sopUids: study.sopUids,
      sopClassUid: SOP_CLASS.DX_PRESENTATION,
      dimension: 2,
      landmarks,
      model: { name: 'e2e-model', version: '0', method: 'shape-regulated self-training' },
    },
    {
      study: {
        // Same PatientID as the image: Orthanc files a study under PatientID + StudyInstanceUID.
        patientId: study.patientId,
        patientName: study.patientName,
        studyUid: study.studyUid,
        studyDate: '20260101',
      },
      seriesUid: uidFromSeed(`${study.studyUid}/pseudo-series`),
      sopUid,
    },
  );
  return { file, sopUid };
}
