import dcmjs from 'dcmjs';
import { isLandmarkSr, readLandmarkSr, type LandmarkSrInfo } from '../../dicom/srReader.ts';

/** Where and how to reach the PACS: the active OHIF data source's roots and auth header. */
export interface PacsAccess {
  qidoRoot: string;
  wadoRoot: string;
  headers: Record<string, string>;
}

async function getJson(url: string, headers: Record<string, string>): Promise<unknown[]> {
  const res = await fetch(url, { headers: { ...headers, Accept: 'application/dicom+json' } });
  if (res.status === 204) return [];
  if (!res.ok) throw new Error(`PACS ${url}: HTTP ${res.status}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown[]) : [];
}

function tagValue(json: unknown, tag: string): string | undefined {
  const el = (json as Record<string, { Value?: unknown[] }>)[tag];
  const v = el?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Landmark SRs of a study on the PACS (QIDO for SR series, WADO-RS metadata for their instances),
 * read with the DICOM adapter's SR reader. SRs that are not landmark SRs are skipped.
 */
export async function listLandmarkSrs(
  pacs: PacsAccess,
  studyUid: string,
): Promise<LandmarkSrInfo[]> {
  const series = await getJson(
    `${pacs.qidoRoot}/studies/${studyUid}/series?Modality=SR`,
    pacs.headers,
  );
  const out: LandmarkSrInfo[] = [];
  for (const s of series) {
    const seriesUid = tagValue(s, '0020000E');
    if (!seriesUid) continue;
    const instances = await getJson(
      `${pacs.wadoRoot}/studies/${studyUid}/series/${seriesUid}/metadata`,
      pacs.headers,
    );
    for (const json of instances) {
      const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
        json as Record<string, unknown>,
      );
      if (isLandmarkSr(dataset)) out.push(readLandmarkSr(dataset));
    }
  }
  return out;
}
