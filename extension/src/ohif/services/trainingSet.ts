import type { LandmarkSrInfo } from '../../dicom/srReader.ts';
import type { StudyIdentity } from '../../dicom/types.ts';
import { BUILTIN_TEMPLATES, type LandmarkTemplate } from '../templates.ts';
import type { ImageItem, VolumeItem } from '../worker/protocol.ts';
import { fileLabelled, studyLabel } from './fileLabelled.ts';
import type { PacsAccess } from './landmarkSrStore.ts';

type DicomJson = Record<string, { Value?: unknown[] }>;

/** An image of the training set with the identity its pseudo-label SR will carry. */
export interface StudyImage extends ImageItem {
  study: StudyIdentity;
  /** Current landmark SR of the image, if any (a pseudo-label SR is revised, not duplicated). */
  current?: LandmarkSrInfo;
}

/** A volume (CT series) of the training set, with the identity its pseudo-label SR will carry. */
export interface StudyVolume extends VolumeItem {
  study: StudyIdentity;
  /** Current 3D landmark SR of the series, if any. */
  current?: LandmarkSrInfo;
}

/**
 * Annotated and unannotated studies of one kind. `names` is the full landmark list of the template most
 * annotations of the kind use (partial annotations have NaN rows for the landmarks they lack).
 */
export interface KindSet<T> {
  names: string[];
  /** Id of that template; undefined when the annotations name no known template. */
  templateId?: string;
  labelled: T[];
  unlabelled: T[];
}

/** Annotated and unannotated 2D studies of the PACS, and (`volumes`) its CT/CBCT volume studies. */
export interface TrainingSet extends KindSet<StudyImage> {
  volumes: KindSet<StudyVolume>;
  /**
   * Studies left out, each naming the study (UID, description) and the reason: no 2D image, no pixel
   * spacing, a landmark SR that cannot be read or used …
   */
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

function identityOf(s: DicomJson, studyUid: string): StudyIdentity {
  return {
    studyUid,
    patientId: text(s, '00100020'),
    patientName: text(s, '00100010'),
    studyDate: text(s, '00080020'),
    studyTime: text(s, '00080030') || undefined,
    accessionNumber: text(s, '00080050') || undefined,
    studyDescription: text(s, '00081030') || undefined,
  };
}

/** The volume item of a CT series: every instance (QIDO), its frame of reference, its current 3D SR. */
async function volumeOf(
  pacs: PacsAccess,
  study: StudyIdentity,
  series: DicomJson,
  srs: LandmarkSrInfo[],
): Promise<StudyVolume | string> {
  const { studyUid } = study;
  const seriesUid = text(series, '0020000E');
  const instances = await getJson(
    `${pacs.qidoRoot}/studies/${studyUid}/series/${seriesUid}/instances`,
    pacs,
  );
  if (instances.length < 2)
    return `study ${studyUid} series ${seriesUid}: a volume needs at least 2 slices, found ${instances.length}`;
  const frame = text(series, '00200052') || undefined;
  const current = srs.find(
    (i) =>
      i.set.dimension === 3 &&
      (i.set.seriesUid === seriesUid || (!!frame && i.set.frameOfReferenceUid === frame)),
  );
  const sopUids = instances.map((i) => text(i, '00080018'));
  return {
    kind: 'volume',
    studyUid,
    seriesUid,
    sopUid: sopUids[0]!,
    sopUids,
    sopClassUid: text(instances[0]!, '00080016'),
    ...(frame ? { frameOfReferenceUid: frame } : {}),
    study,
    ...(current ? { current } : {}),
  };
}

/**
 * Scans the PACS: for each study with a DX/CR image, the first image (2D); for each study with a CT
 * series (and no DX/CR), that series as a volume. A study whose current landmark SR is an annotation
 * (manual/accepted/corrected, complete or partial) of its kind (SCOORD points for images, SCOORD3D for
 * volumes) is labelled, the others are unlabelled (see fileLabelled.ts for the template and the
 * annotations left out). A study whose SRs cannot be read is skipped, named, and the scan goes on.
 * `templates` are the viewer's (built-in and user) templates.
 */
export async function gatherTrainingSet(
  pacs: PacsAccess,
  listSrs: (studyUid: string) => Promise<LandmarkSrInfo[]>,
  limit = 200,
  templates: readonly LandmarkTemplate[] = BUILTIN_TEMPLATES,
): Promise<TrainingSet> {
  const out: TrainingSet = {
    names: [],
    labelled: [],
    unlabelled: [],
    skipped: [],
    volumes: { names: [], labelled: [], unlabelled: [] },
  };
  const images: StudyImage[] = [];
  const volumes: StudyVolume[] = [];
  // Orthanc ignores a percent-encoded comma list in includefield: one attribute only.
  for (const s of await getJson(
    `${pacs.qidoRoot}/studies?limit=${limit}&includefield=00081030`,
    pacs,
  )) {
    const studyUid = text(s, '0020000D');
    const study = identityOf(s, studyUid);
    const allSeries = await getJson(`${pacs.qidoRoot}/studies/${studyUid}/series`, pacs);
    const series = allSeries.find((x) => ['DX', 'CR'].includes(text(x, '00080060')));
    const ct = allSeries.find((x) => text(x, '00080060') === 'CT');
    if (!series && !ct) continue;
    let srs: LandmarkSrInfo[];
    try {
      srs = await listSrs(studyUid);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      out.skipped.push(`${studyLabel(study)}: its landmark SR cannot be read (${why}); skipped`);
      continue;
    }
    if (!series && ct) {
      const volume = await volumeOf(pacs, study, ct, srs);
      if (typeof volume === 'string') out.skipped.push(volume);
      else volumes.push(volume);
      continue;
    }
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
    const current = srs.find((i) => i.set.sopUids.includes(sopUid));
    const item: StudyImage = {
      studyUid,
      seriesUid,
      sopUid,
      sopClassUid: text(instance, '00080016'),
      spacingMm,
      study,
      ...(current ? { current } : {}),
    };
    images.push(item);
  }
  fileLabelled(out, images, 2, templates, out.skipped);
  fileLabelled(out.volumes, volumes, 3, templates, out.skipped);
  return out;
}
