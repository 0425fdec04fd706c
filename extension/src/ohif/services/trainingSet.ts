import type { LandmarkSrInfo } from '../../dicom/srReader.ts';
import { isAnnotation } from '../../dicom/srReader.ts';
import type { StudyIdentity } from '../../dicom/types.ts';
import type { ImageItem } from '../worker/protocol.ts';
import type { PacsAccess } from './landmarkSrStore.ts';

type DicomJson = Record<string, { Value?: unknown[] }>;

/** An image of the training set with the identity its pseudo-label SR will carry. */
export interface StudyImage extends ImageItem {
  study: StudyIdentity;
  /** Current landmark SR of the image, if any (a pseudo-label SR is revised, not duplicated). */
  current?: LandmarkSrInfo;
}

/** Annotated and unannotated 2D studies of the PACS. */
export interface TrainingSet {
  names: string[];
  labelled: StudyImage[];
  unlabelled: StudyImage[];
  /** Studies left out, with the reason (no 2D image, no pixel spacing …). */
  skipped: string[];
}

const first = (json: DicomJson, tag: string): unknown => json[tag]?.Value?.[0];
const text = (json: DicomJson, tag: string): string => {
  const v = first(json, tag);
  if (v && typeof v === 'object' && 'Alphabetic' in v) return String(v.Alphabetic ?? '');
  return v === undefined || v === null ? '' : String(v);
};

async function getJson(url: string, pacs: PacsAccess): Promise<DicomJson[]> {
  const res = await fetch(url, { headers: { ...pacs.headers, Accept: 'application/dicom+json' } });
  if (res.status === 204) return [];
  if (!res.ok) throw new Error(`PACS ${url}: HTTP ${res.status}`);
  const body = await res.text();
  return body ? (JSON.parse(body) as DicomJson[]) : [];
}

/** [x, y] spacing in mm from PixelSpacing (row\column) or ImagerPixelSpacing; undefined if absent. */
export function spacingOf(instance: DicomJson): [number, number] | undefined {
  const v = (instance['00280030']?.Value ?? instance['00181164']?.Value) as number[] | undefined;
  if (!v || v.length < 2) return undefined;
  const [row, col] = v.map(Number);
  return row > 0 && col > 0 ? [col, row] : undefined;
}

/**
 * Scans the PACS: for each study with a DX/CR image, the first image; a study whose current landmark SR
 * of that image is an annotation (manual/accepted/corrected) is labelled, the others are unlabelled.
 * Landmark order comes from the first annotation (`names`); other annotations are reordered to it,
 * missing names become NaN rows (masked in training).
 */
export async function gatherTrainingSet(
  pacs: PacsAccess,
  listSrs: (studyUid: string) => Promise<LandmarkSrInfo[]>,
  limit = 200,
): Promise<TrainingSet> {
  const out: TrainingSet = { names: [], labelled: [], unlabelled: [], skipped: [] };
  for (const s of await getJson(`${pacs.qidoRoot}/studies?limit=${limit}`, pacs)) {
    const studyUid = text(s, '0020000D');
    const series = (await getJson(`${pacs.qidoRoot}/studies/${studyUid}/series`, pacs)).find((x) =>
      ['DX', 'CR'].includes(text(x, '00080060')),
    );
    if (!series) continue;
    const seriesUid = text(series, '0020000E');
    const [instance] = await getJson(
      `${pacs.wadoRoot}/studies/${studyUid}/series/${seriesUid}/metadata`,
      pacs,
    );
    const spacingMm = instance ? spacingOf(instance) : undefined;
    if (!instance || !spacingMm) {
      out.skipped.push(`study ${studyUid}: no pixel spacing on its X-ray`);
      continue;
    }
    const sopUid = text(instance, '00080018');
    const current = (await listSrs(studyUid)).find((i) => i.set.sopUids.includes(sopUid));
    const item: StudyImage = {
      studyUid,
      seriesUid,
      sopUid,
      sopClassUid: text(instance, '00080016'),
      spacingMm,
      study: {
        studyUid,
        patientId: text(s, '00100020'),
        patientName: text(s, '00100010'),
        studyDate: text(s, '00080020'),
        studyTime: text(s, '00080030') || undefined,
        accessionNumber: text(s, '00080050') || undefined,
      },
      ...(current ? { current } : {}),
    };
    if (current && isAnnotation(current.set)) {
      if (out.names.length === 0) out.names = current.set.landmarks.map((l) => l.name);
      const byName = new Map(current.set.landmarks.map((l) => [l.name, l.position]));
      item.landmarks = out.names.map((n) => byName.get(n)?.slice(0, 2) ?? [Number.NaN, Number.NaN]);
      out.labelled.push(item);
    } else {
      out.unlabelled.push(item);
    }
  }
  return out;
}
