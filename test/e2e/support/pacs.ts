/** Reads what the browser stored in the PACS, independently of the viewer (Node fetch + SR reader). */
import dcmjs from 'dcmjs';
import {
  isLandmarkSr,
  readLandmarkSr,
  type LandmarkSrInfo,
} from '../../../extension/src/dicom/srReader.ts';

/** Every landmark SR instance of a study (all revisions), via QIDO + WADO-RS metadata. */
export async function landmarkSrsInPacs(
  dicomWebUrl: string,
  studyUid: string,
): Promise<LandmarkSrInfo[]> {
  const get = async (url: string) => {
    const res = await fetch(url, { headers: { Accept: 'application/dicom+json' } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return (await res.json()) as Array<Record<string, { Value?: string[] }>>;
  };
  const series = await get(`${dicomWebUrl}/studies/${studyUid}/series?Modality=SR`);
  const out: LandmarkSrInfo[] = [];
  for (const s of series) {
    const uid = s['0020000E']?.Value?.[0];
    for (const json of await get(`${dicomWebUrl}/studies/${studyUid}/series/${uid}/metadata`)) {
      const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(json);
      if (isLandmarkSr(ds)) out.push(readLandmarkSr(ds));
    }
  }
  return out;
}
