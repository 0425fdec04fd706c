/**
 * The PACS as a training set: every study with its current landmark SR and whether it is annotated
 * (current SR has only manual / accepted / corrected landmarks = training labels), so the learning
 * pipeline takes its labelled and unlabelled studies from the PACS.
 */
import { currentLandmarkSrs, isAnnotation, type LandmarkSrInfo } from '../dicom/srReader.ts';
import type { NaturalDataset } from '../dicom/datasetIo.ts';
import type { PacsClient, StudyFilter } from './pacsClient.ts';
import { listLandmarkSrs } from './studyLoader.ts';

/** One study of the catalogue. */
export interface CatalogEntry {
  studyUid: string;
  /** QIDO study attributes (PatientID, StudyDescription, ModalitiesInStudy, ...). */
  study: NaturalDataset;
  /** The newest current landmark SR, if any. */
  current?: LandmarkSrInfo;
  /** Every current landmark SR (several when nobody revised one into the other). */
  currentSrs: LandmarkSrInfo[];
  annotated: boolean;
}

/** Lists the studies matching `filter` with their landmark SR state (one QIDO + SR reads per study). */
export async function studyCatalog(
  client: PacsClient,
  filter: StudyFilter = {},
): Promise<CatalogEntry[]> {
  const out: CatalogEntry[] = [];
  for (const study of await client.searchStudies(filter)) {
    const studyUid = String(study.StudyInstanceUID);
    const currentSrs = currentLandmarkSrs(await listLandmarkSrs(client, studyUid));
    const labels = currentSrs.find((c) => isAnnotation(c.set));
    const current = labels ?? currentSrs[0];
    out.push({
      studyUid,
      study,
      currentSrs,
      annotated: labels !== undefined,
      ...(current ? { current } : {}),
    });
  }
  return out;
}
