/**
 * Landmark SR (as written by `srWriter.ts`) -> landmark set, plus the revision bookkeeping that decides
 * which SR of a study is current and whether a study is "annotated" (has labels for training).
 * Works on naturalized datasets, from a Part 10 file or from WADO-RS metadata JSON.
 */
import { DicomError, asArray, num, type NaturalDataset } from './datasetIo.ts';
import {
  CODES,
  LOCAL_SCHEME,
  PROBE_TRACKING_PREFIX,
  reasonFromCode,
  statusFromCode,
  type Code,
} from './srCodes.ts';
import type { SrReference } from './srWriter.ts';
import {
  LABEL_STATUSES,
  type Landmark,
  type LandmarkSet,
  type ModelIdentity,
  type ReviewReason,
  type StudyIdentity,
} from './types.ts';
import { isSrSopClass } from './sopClasses.ts';

/** A landmark SR read back: its landmark set, its own reference and the SRs it revises. */
export interface LandmarkSrInfo {
  set: LandmarkSet;
  sr: SrReference;
  predecessors: SrReference[];
  /** Patient/study identity of the SR, to write a revision into the same patient + study. */
  study: StudyIdentity;
  /** `YYYYMMDDHHMMSS` from ContentDate + ContentTime. */
  contentDateTime: string;
  observerName?: string;
}

type Item = NaturalDataset;

const codeOf = (item: Item, key = 'ConceptNameCodeSequence'): Code | undefined =>
  asArray(item[key] as Code | Code[])[0];
const isCode = (code: Code | undefined, ref: Code): boolean =>
  code !== undefined &&
  code.CodeValue === ref.CodeValue &&
  code.CodingSchemeDesignator === ref.CodingSchemeDesignator;
const children = (item: Item): Item[] => asArray(item.ContentSequence as Item | Item[]);
const find = (item: Item, ref: Code): Item | undefined =>
  children(item).find((c) => isCode(codeOf(c), ref));

/**
 * True when a dataset is an SR written by this product: a TID 1500 report whose measurement groups carry
 * our Landmark status (99LMK), or whose first group has the Finding `LMK-SET` of SRs written before
 * issue 14 item 4. One group without its status is enough to tell (the reader then names the SR and
 * the landmark it cannot read); SRs from other products, or ours re-saved by OHIF (which drops private
 * items), are not landmark SRs.
 */
export function isLandmarkSr(dataset: NaturalDataset): boolean {
  if (!isSrSopClass(String(dataset.SOPClassUID ?? ''))) return false;
  if (!isCode(codeOf(dataset), CODES.imagingMeasurementReport)) return false;
  const measurements = find(dataset, CODES.imagingMeasurements);
  const groups = measurements
    ? children(measurements).filter((c) => c.ValueType === 'CONTAINER')
    : [];
  const finding = groups[0] ? find(groups[0], CODES.finding) : undefined;
  if (finding && isCode(codeOf(finding, 'ConceptCodeSequence'), CODES.landmarkSet)) return true;
  return groups.some((g) => find(g, CODES.status) !== undefined);
}

function textOf(group: Item, ref: Code): string | undefined {
  const item = find(group, ref);
  return item ? String(item.TextValue ?? '') : undefined;
}

function readModel(group: Item): ModelIdentity | undefined {
  const name = textOf(group, CODES.algorithmName);
  if (name === undefined) return undefined;
  const parameters = textOf(group, CODES.algorithmParameters) ?? '';
  return {
    name,
    version: textOf(group, CODES.algorithmVersion) ?? '',
    method: parameters.replace(/^method=/, ''),
  };
}

function readPoint(
  group: Item,
  source: string,
): { position: number[]; sop?: string; frame?: string } {
  const center = find(group, CODES.center);
  const point = center
    ? children(center).find((c) => c.ValueType === 'SCOORD' || c.ValueType === 'SCOORD3D')
    : undefined;
  if (!point) throw new DicomError(source, 'a landmark group has no SCOORD/SCOORD3D point');
  const position = asArray(point.GraphicData as number | number[]).map(Number);
  const image = children(point).find((c) => c.ValueType === 'IMAGE');
  const ref = image ? asArray(image.ReferencedSOPSequence as Item | Item[])[0] : undefined;
  return {
    position,
    sop: ref ? String(ref.ReferencedSOPInstanceUID) : undefined,
    frame: point.ReferencedFrameOfReferenceUID
      ? String(point.ReferencedFrameOfReferenceUID)
      : undefined,
  };
}

/**
 * The landmark's name: the Comment (SRs since issue 14 item 4), else the 99LMK Finding Site's meaning
 * (older SRs), else the Tracking Identifier without OHIF's Probe prefix.
 */
function landmarkName(group: Item): string | undefined {
  const comment = textOf(group, CODES.comment);
  if (comment) return comment;
  const siteItem = find(group, CODES.findingSite);
  const site = siteItem ? codeOf(siteItem, 'ConceptCodeSequence') : undefined;
  if (site?.CodingSchemeDesignator === LOCAL_SCHEME) return site.CodeMeaning;
  const tracking = textOf(group, CODES.trackingIdentifier);
  return tracking?.startsWith(`${PROBE_TRACKING_PREFIX}:`)
    ? tracking.slice(PROBE_TRACKING_PREFIX.length + 1)
    : tracking;
}

function readLandmark(
  group: Item,
  source: string,
): { landmark: Landmark; sop?: string; frame?: string } {
  const name = landmarkName(group);
  if (!name) throw new DicomError(source, 'a landmark group has no landmark name');
  const statusItem = find(group, CODES.status);
  const statusCode = statusItem ? codeOf(statusItem, 'ConceptCodeSequence') : undefined;
  const status = statusCode ? statusFromCode(statusCode.CodeValue) : undefined;
  if (!status) throw new DicomError(source, `landmark "${name}" has no known status`);
  const { position, sop, frame } = readPoint(group, source);
  const reasons = reviewReasons(group);
  const landmark: Landmark = { name, position, status, ...modelValues(group) };
  if (reasons.length > 0) landmark.reviewReasons = reasons;
  return { landmark, sop, frame };
}

/** The review flag reasons of a group we know, in the order written (unknown codes are skipped). */
function reviewReasons(group: Item): ReviewReason[] {
  return children(group)
    .filter((c) => isCode(codeOf(c), CODES.reviewReason))
    .map((c) => codeOf(c, 'ConceptCodeSequence'))
    .map((code) => (code ? reasonFromCode(code.CodeValue) : undefined))
    .filter((r): r is ReviewReason => r !== undefined);
}

/** A NUM item's value, or undefined when absent or not a finite number. */
function numValue(item: Item | undefined): number | undefined {
  if (!item) return undefined;
  const measured = asArray(item.MeasuredValueSequence as Item | Item[])[0];
  const value = num(measured?.NumericValue);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Deviation |X_α − X_β| (mm), the shape-adjusted position X_β it is inferred from, and the confidence;
 * each only when the SR has it (SRs written before these were added have at most the deviation).
 */
function modelValues(
  group: Item,
): Pick<Landmark, 'deviationMm' | 'adjustedPosition' | 'confidence'> {
  const out: Pick<Landmark, 'deviationMm' | 'adjustedPosition' | 'confidence'> = {};
  const deviationItem = find(group, CODES.deviation);
  const deviation = numValue(deviationItem);
  if (deviation !== undefined) out.deviationMm = deviation;
  const adjusted = deviationItem ? find(deviationItem, CODES.adjusted) : undefined;
  if (adjusted) {
    const point = asArray(adjusted.GraphicData as number | number[]).map(Number);
    if (point.length > 0 && point.every(Number.isFinite)) out.adjustedPosition = point;
  }
  // A confidence outside [0, 1] is not one (an SR from a buggy writer); it is left out, not shown.
  const confidence = numValue(find(group, CODES.confidence));
  if (confidence !== undefined && confidence >= 0 && confidence <= 1) out.confidence = confidence;
  return out;
}

function srReferences(sequence: unknown): SrReference[] {
  const out: SrReference[] = [];
  for (const study of asArray(sequence as Item | Item[])) {
    for (const series of asArray(study.ReferencedSeriesSequence as Item | Item[])) {
      for (const sop of asArray(series.ReferencedSOPSequence as Item | Item[])) {
        out.push({
          studyUid: String(study.StudyInstanceUID),
          seriesUid: String(series.SeriesInstanceUID),
          sopUid: String(sop.ReferencedSOPInstanceUID),
          sopClassUid: String(sop.ReferencedSOPClassUID),
        });
      }
    }
  }
  return out;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null
    ? undefined
    : typeof value === 'object'
      ? String((value as { Alphabetic?: string }).Alphabetic ?? '')
      : String(value);

/** Patient/study attributes of any object of a study (PN values may be naturalized as objects). */
export function studyIdentityOf(dataset: NaturalDataset): StudyIdentity {
  const pick = (key: string) => text(asArray(dataset[key] as unknown)[0]);
  return {
    patientId: pick('PatientID') ?? '',
    patientName: pick('PatientName') ?? '',
    studyUid: String(dataset.StudyInstanceUID ?? ''),
    studyDate: pick('StudyDate') ?? '',
    ...(pick('StudyTime') ? { studyTime: pick('StudyTime') } : {}),
    ...(pick('StudyID') ? { studyId: pick('StudyID') } : {}),
    ...(pick('AccessionNumber') ? { accessionNumber: pick('AccessionNumber') } : {}),
    ...(pick('StudyDescription') ? { studyDescription: pick('StudyDescription') } : {}),
    ...(pick('PatientBirthDate') ? { patientBirthDate: pick('PatientBirthDate') } : {}),
    ...(pick('PatientSex') ? { patientSex: pick('PatientSex') } : {}),
  };
}

/** Reads a landmark SR; throws a {@link DicomError} naming the SR when it is not one of ours. */
export function readLandmarkSr(dataset: NaturalDataset): LandmarkSrInfo {
  const source = `SR ${String(dataset.SOPInstanceUID ?? '(no SOP Instance UID)')}`;
  if (!isLandmarkSr(dataset))
    throw new DicomError(source, 'not a landmark SR (TID 1500 with 99LMK landmark statuses)');
  const measurements = find(dataset, CODES.imagingMeasurements) as Item;
  const groups = children(measurements).filter((c) => c.ValueType === 'CONTAINER');
  const read = groups.map((g) => readLandmark(g, source));
  const evidence = srReferences(dataset.CurrentRequestedProcedureEvidenceSequence);
  const dimension =
    read[0].frame !== undefined || dataset.SOPClassUID === '1.2.840.10008.5.1.4.1.1.88.34' ? 3 : 2;
  const imageSop = read.find((r) => r.sop)?.sop;
  const sopUids = dimension === 2 && imageSop ? [imageSop] : evidence.map((e) => e.sopUid);
  const set: LandmarkSet = {
    studyUid: String(dataset.StudyInstanceUID),
    seriesUid: evidence[0]?.seriesUid ?? '',
    sopUids,
    sopClassUid: evidence[0]?.sopClassUid ?? '',
    dimension,
    landmarks: read.map((r) => r.landmark),
  };
  if (dimension === 3 && read[0].frame) set.frameOfReferenceUid = read[0].frame;
  const model = readModel(groups[0]);
  if (model) set.model = model;
  const mahalanobis = numValue(find(measurements, CODES.mahalanobis));
  if (mahalanobis !== undefined) set.mahalanobis = mahalanobis;
  const templateId = textOf(measurements, CODES.template);
  if (templateId) set.templateId = templateId;
  const observer = find(dataset, CODES.personObserverName);
  return {
    set,
    sr: {
      studyUid: set.studyUid,
      seriesUid: String(dataset.SeriesInstanceUID),
      sopUid: String(dataset.SOPInstanceUID),
      sopClassUid: String(dataset.SOPClassUID),
    },
    predecessors: srReferences(dataset.PredecessorDocumentsSequence),
    study: studyIdentityOf(dataset),
    contentDateTime: `${String(dataset.ContentDate ?? '')}${String(dataset.ContentTime ?? '').slice(0, 6)}`,
    ...(observer ? { observerName: String(observer.PersonName ?? '') } : {}),
  };
}

/**
 * The current SRs: those no other SR lists as predecessor. Among several current SRs of the same image
 * series the newest (ContentDate/Time, then SOP UID) comes first.
 */
export function currentLandmarkSrs(infos: readonly LandmarkSrInfo[]): LandmarkSrInfo[] {
  const superseded = new Set(infos.flatMap((i) => i.predecessors.map((p) => p.sopUid)));
  return infos
    .filter((i) => !superseded.has(i.sr.sopUid))
    .sort(
      (a, b) =>
        b.contentDateTime.localeCompare(a.contentDateTime) ||
        a.sr.sopUid.localeCompare(b.sr.sopUid),
    );
}

/** True when every landmark of the set is a label (manual, accepted or corrected): usable for training. */
export function isAnnotation(set: LandmarkSet): boolean {
  return set.landmarks.length > 0 && set.landmarks.every((l) => LABEL_STATUSES.includes(l.status));
}
