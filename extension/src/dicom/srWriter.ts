/**
 * Landmark set -> DICOM SR Measurement Report (TID 1500), one Measurement Group (TID 1501) per landmark.
 *
 * Hand-built content tree (dcmjs' TID300 Point helpers give random tracking UIDs and no place for a
 * status, deviation or algorithm identification), laid out so that stock OHIF (3.13) hydrates each
 * group as a point measurement named after the landmark (docs/dicom-sr.md, "What OHIF reads"). Per
 * group, in this order:
 *   Tracking Identifier `Cornerstone3DTools@^0.1.0:Probe:<name>` (OHIF's adapters pick the Probe tool by
 *   this prefix), Tracking UID, Finding = SCT Anatomical point, Finding Site (a standard anatomy code,
 *   only where one exists), Algorithm Name/Version/Parameters (TID 4019, when a model is given),
 *   Center (NUM) <- SCOORD POINT (2D, selected from the image) or SCOORD3D POINT (3D, in the Frame of
 *   Reference) — the FIRST NUM of the group, as the adapters take the point from the first NUM —,
 *   Comment (TEXT, the name: the label OHIF shows), Landmark status (CODE), Deviation |X_α − X_β| (NUM
 *   mm, when known) <- INFERRED FROM the shape-adjusted POINT X_β (concept LMK-ADJUSTED, when known),
 *   Confidence (NUM 1, when known).
 * After the groups, once per SR: the shape's Mahalanobis distance (NUM 1, when known) and the landmark
 * template's id (TEXT, when known). A partial annotation has one group per landmark placed so far; the
 * template id tells readers which ones are still missing.
 * A revision is a new SOP Instance listing its predecessor in Predecessor Documents Sequence.
 */
import { nowDicom, writePart10, type NaturalDataset } from './datasetIo.ts';
import {
  CODES,
  LOCAL_SCHEME_IDENTIFICATION,
  REASON_CODES,
  STATUS_CODES,
  standardSite,
  trackingIdentifier,
  ucum,
  type Code,
} from './srCodes.ts';
import { SOP_CLASS } from './sopClasses.ts';
import type { Landmark, LandmarkSet, StudyIdentity } from './types.ts';
import { uidFromSeed } from './uids.ts';

/** Reference to an existing SR instance (the predecessor of a revision). */
export interface SrReference {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  sopClassUid: string;
}

/** Options of {@link landmarkSrDataset}. */
export interface LandmarkSrOptions {
  study: StudyIdentity;
  seriesUid: string;
  sopUid: string;
  seriesNumber?: number;
  instanceNumber?: number;
  /** Person who annotated/reviewed (PN, `Family^Given`); default: the model as device observer. */
  observerName?: string;
  /** The SR this one revises (it must be a different SOP Instance UID). */
  predecessor?: SrReference;
  seriesDescription?: string;
}

type Item = NaturalDataset;

const codeItem = (rel: string, name: Code, value: Code): Item => ({
  RelationshipType: rel,
  ValueType: 'CODE',
  ConceptNameCodeSequence: [name],
  ConceptCodeSequence: [value],
});
const textItem = (rel: string, name: Code, text: string): Item => ({
  RelationshipType: rel,
  ValueType: 'TEXT',
  ConceptNameCodeSequence: [name],
  TextValue: text,
});
const numItem = (name: Code, value: number, unit: Code, children?: Item[]): Item => ({
  RelationshipType: 'CONTAINS',
  ValueType: 'NUM',
  ConceptNameCodeSequence: [name],
  MeasuredValueSequence: [{ NumericValue: value, MeasurementUnitsCodeSequence: [unit] }],
  ...(children ? { ContentSequence: children } : {}),
});

const finitePoint = (p: number[] | undefined, n: number): boolean =>
  !!p && p.length === n && p.every(Number.isFinite);

/**
 * Refuses anything that would put a NaN, a wrong-sized point, half of X_β or a name readers cannot
 * keep (OHIF labels and older readers' LO code meanings: 1 to 64 characters) into the SR.
 */
function checkLandmark(set: LandmarkSet, landmark: Landmark): void {
  const fail = (what: string) => {
    throw new Error(`study ${set.studyUid}, landmark "${landmark.name}": ${what}`);
  };
  if (landmark.name.trim().length === 0 || landmark.name.length > 64) {
    fail('the name must have 1 to 64 characters');
  }
  if (!finitePoint(landmark.position, set.dimension)) {
    fail(`position [${landmark.position.join(', ')}] is not ${set.dimension} finite numbers`);
  }
  if (landmark.deviationMm !== undefined && !Number.isFinite(landmark.deviationMm)) {
    fail('deviation is not finite');
  }
  if (landmark.adjustedPosition !== undefined) {
    if (!finitePoint(landmark.adjustedPosition, set.dimension)) {
      fail(`shape-adjusted position is not ${set.dimension} finite numbers`);
    }
    if (landmark.deviationMm === undefined) fail('a shape-adjusted position needs its deviation');
  }
  const c = landmark.confidence;
  if (c !== undefined && !(c >= 0 && c <= 1)) fail(`confidence ${c} is not in [0, 1]`);
  const unknown = landmark.reviewReasons?.find((r) => !(r in REASON_CODES));
  if (unknown !== undefined) fail(`review reason "${String(unknown)}" is not one of ours`);
}

/** A POINT in the set's frame: SCOORD selected from the image (2D) or SCOORD3D in the FoR (3D). */
function pointItem(set: LandmarkSet, position: number[], concept?: Code): Item {
  const name = concept ? { ConceptNameCodeSequence: [concept] } : {};
  if (set.dimension === 3) {
    if (!set.frameOfReferenceUid)
      throw new Error(`study ${set.studyUid}: a 3D landmark set needs its Frame of Reference UID`);
    return {
      RelationshipType: 'INFERRED FROM',
      ValueType: 'SCOORD3D',
      ...name,
      GraphicType: 'POINT',
      GraphicData: position.slice(0, 3),
      ReferencedFrameOfReferenceUID: set.frameOfReferenceUid,
    };
  }
  return {
    RelationshipType: 'INFERRED FROM',
    ValueType: 'SCOORD',
    ...name,
    GraphicType: 'POINT',
    GraphicData: position.slice(0, 2),
    ContentSequence: [
      {
        RelationshipType: 'SELECTED FROM',
        ValueType: 'IMAGE',
        ReferencedSOPSequence: [
          { ReferencedSOPClassUID: set.sopClassUid, ReferencedSOPInstanceUID: set.sopUids[0] },
        ],
      },
    ],
  };
}

/** Deviation (NUM mm, INFERRED FROM the shape-adjusted POINT when known) and confidence (NUM 1). */
function modelItems(set: LandmarkSet, landmark: Landmark): Item[] {
  const items: Item[] = [];
  if (landmark.deviationMm !== undefined) {
    const adjusted = landmark.adjustedPosition
      ? [pointItem(set, landmark.adjustedPosition, CODES.adjusted)]
      : undefined;
    items.push(numItem(CODES.deviation, landmark.deviationMm, ucum('mm', 'millimeter'), adjusted));
  }
  if (landmark.confidence !== undefined) {
    items.push(numItem(CODES.confidence, landmark.confidence, ucum('1', 'no units')));
  }
  return items;
}

function algorithmItems(set: LandmarkSet): Item[] {
  if (!set.model) return [];
  return [
    textItem('HAS CONCEPT MOD', CODES.algorithmName, set.model.name),
    textItem('HAS CONCEPT MOD', CODES.algorithmVersion, set.model.version),
    textItem('HAS CONCEPT MOD', CODES.algorithmParameters, `method=${set.model.method}`),
  ];
}

function landmarkGroup(set: LandmarkSet, landmark: Landmark, index: number, sopUid: string): Item {
  checkLandmark(set, landmark);
  const site = standardSite(landmark.name);
  const children: Item[] = [
    textItem('HAS OBS CONTEXT', CODES.trackingIdentifier, trackingIdentifier(landmark.name)),
    {
      RelationshipType: 'HAS OBS CONTEXT',
      ValueType: 'UIDREF',
      ConceptNameCodeSequence: [CODES.trackingUid],
      UID: uidFromSeed(`${sopUid}/tracking/${index}`),
    },
    codeItem('CONTAINS', CODES.finding, CODES.anatomicalPoint),
    ...(site ? [codeItem('CONTAINS', CODES.findingSite, site)] : []),
    ...algorithmItems(set),
    // First NUM of the group: OHIF's adapters read the point from the first NUM they meet.
    numItem(CODES.center, 0, ucum('1', 'no units'), [pointItem(set, landmark.position)]),
    textItem('CONTAINS', CODES.comment, landmark.name),
    codeItem('CONTAINS', CODES.status, STATUS_CODES[landmark.status]),
    ...(landmark.reviewReasons ?? []).map((r) =>
      codeItem('CONTAINS', CODES.reviewReason, REASON_CODES[r]),
    ),
    ...modelItems(set, landmark),
  ];
  return {
    RelationshipType: 'CONTAINS',
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [CODES.measurementGroup],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: children,
  };
}

function observerItems(set: LandmarkSet, options: LandmarkSrOptions): Item[] {
  if (options.observerName || !set.model) {
    return [
      {
        RelationshipType: 'HAS OBS CONTEXT',
        ValueType: 'PNAME',
        ConceptNameCodeSequence: [CODES.personObserverName],
        PersonName: options.observerName ?? 'unknown^unknown',
      },
    ];
  }
  return [
    codeItem('HAS OBS CONTEXT', CODES.observerType, CODES.device),
    {
      RelationshipType: 'HAS OBS CONTEXT',
      ValueType: 'UIDREF',
      ConceptNameCodeSequence: [CODES.deviceObserverUid],
      UID: uidFromSeed(`model/${set.model.name}/${set.model.version}`),
    },
    textItem(
      'HAS OBS CONTEXT',
      CODES.deviceObserverName,
      `${set.model.name} ${set.model.version}`.slice(0, 64),
    ),
  ];
}

function evidence(set: LandmarkSet): Item[] {
  return [
    {
      StudyInstanceUID: set.studyUid,
      ReferencedSeriesSequence: [
        {
          SeriesInstanceUID: set.seriesUid,
          ReferencedSOPSequence: set.sopUids.map((uid) => ({
            ReferencedSOPClassUID: set.sopClassUid,
            ReferencedSOPInstanceUID: uid,
          })),
        },
      ],
    },
  ];
}

function rootContent(set: LandmarkSet, options: LandmarkSrOptions): Item[] {
  const library = set.sopUids.map((uid) => ({
    RelationshipType: 'CONTAINS',
    ValueType: 'IMAGE',
    ReferencedSOPSequence: [
      { ReferencedSOPClassUID: set.sopClassUid, ReferencedSOPInstanceUID: uid },
    ],
  }));
  return [
    codeItem('HAS CONCEPT MOD', CODES.languageOfContent, {
      CodeValue: 'en',
      CodingSchemeDesignator: 'RFC5646',
      CodeMeaning: 'English',
    }),
    ...observerItems(set, options),
    codeItem('HAS CONCEPT MOD', CODES.procedureReported, {
      CodeValue: '363679005',
      CodingSchemeDesignator: 'SCT',
      CodeMeaning: 'Imaging procedure',
    }),
    {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [CODES.imageLibrary],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: [
        {
          RelationshipType: 'CONTAINS',
          ValueType: 'CONTAINER',
          ConceptNameCodeSequence: [CODES.imageLibraryGroup],
          ContinuityOfContent: 'SEPARATE',
          ContentSequence: library,
        },
      ],
    },
    {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [CODES.imagingMeasurements],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: [
        ...set.landmarks.map((l, i) => landmarkGroup(set, l, i, options.sopUid)),
        ...mahalanobisItems(set),
        ...templateItems(set),
      ],
    },
  ];
}

/** The shape's Mahalanobis distance, once per SR, after the groups (readers look at groups first). */
function mahalanobisItems(set: LandmarkSet): Item[] {
  if (set.mahalanobis === undefined) return [];
  if (!Number.isFinite(set.mahalanobis))
    throw new Error(`study ${set.studyUid}: the shape's Mahalanobis distance is not finite`);
  return [numItem(CODES.mahalanobis, set.mahalanobis, ucum('1', 'no units'))];
}

/** The landmark template's id, once per SR, after the groups (see srCodes.ts `LMK-TEMPLATE`). */
function templateItems(set: LandmarkSet): Item[] {
  if (set.templateId === undefined) return [];
  if (!/^[A-Za-z0-9-]{1,64}$/.test(set.templateId))
    throw new Error(
      `study ${set.studyUid}: template id "${set.templateId}" must be 1 to 64 letters, digits or '-'`,
    );
  return [textItem('CONTAINS', CODES.template, set.templateId)];
}

/** Builds the naturalized SR dataset (Comprehensive SR for 2D, Comprehensive 3D SR for 3D). */
export function landmarkSrDataset(set: LandmarkSet, options: LandmarkSrOptions): NaturalDataset {
  if (set.landmarks.length === 0) throw new Error(`study ${set.studyUid}: no landmarks to write`);
  const names = set.landmarks.map((l) => l.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined)
    throw new Error(`study ${set.studyUid}: landmark "${twice}" is in the set twice`);
  if (set.sopUids.length === 0)
    throw new Error(`study ${set.studyUid}: the landmark set references no image`);
  if (options.predecessor?.sopUid === options.sopUid) {
    throw new Error(
      `SR ${options.sopUid}: a revision needs a new SOP Instance UID (the PACS keeps the first copy)`,
    );
  }
  const { date, time } = nowDicom();
  const s = options.study;
  return {
    SOPClassUID: set.dimension === 3 ? SOP_CLASS.COMPREHENSIVE_3D_SR : SOP_CLASS.COMPREHENSIVE_SR,
    SOPInstanceUID: options.sopUid,
    SpecificCharacterSet: 'ISO_IR 192',
    PatientName: s.patientName,
    PatientID: s.patientId,
    PatientBirthDate: s.patientBirthDate ?? '',
    PatientSex: s.patientSex ?? 'O',
    StudyInstanceUID: set.studyUid,
    StudyDate: s.studyDate,
    StudyTime: s.studyTime ?? '120000',
    ReferringPhysicianName: '',
    StudyID: s.studyId ?? '1',
    AccessionNumber: s.accessionNumber ?? '',
    ...(s.studyDescription ? { StudyDescription: s.studyDescription } : {}),
    Modality: 'SR',
    SeriesInstanceUID: options.seriesUid,
    SeriesNumber: options.seriesNumber ?? 900,
    SeriesDescription: options.seriesDescription ?? 'Landmarks',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: 'ohif-landmarks',
    ManufacturerModelName: set.model?.name ?? 'ohif-landmarks',
    DeviceSerialNumber: '0',
    SoftwareVersions: set.model?.version ?? '0.1.0',
    InstanceNumber: options.instanceNumber ?? 1,
    ContentDate: date,
    ContentTime: time,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: evidence(set),
    ...(options.predecessor
      ? { PredecessorDocumentsSequence: predecessorSequence(options.predecessor) }
      : {}),
    CodingSchemeIdentificationSequence: [LOCAL_SCHEME_IDENTIFICATION],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [CODES.imagingMeasurementReport],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: rootContent(set, options),
  };
}

function predecessorSequence(ref: SrReference): Item[] {
  return [
    {
      StudyInstanceUID: ref.studyUid,
      ReferencedSeriesSequence: [
        {
          SeriesInstanceUID: ref.seriesUid,
          ReferencedSOPSequence: [
            { ReferencedSOPClassUID: ref.sopClassUid, ReferencedSOPInstanceUID: ref.sopUid },
          ],
        },
      ],
    },
  ];
}

/** Writes a landmark SR as a Part 10 file (Explicit VR Little Endian). */
export function writeLandmarkSr(set: LandmarkSet, options: LandmarkSrOptions): ArrayBuffer {
  return writePart10(landmarkSrDataset(set, options));
}
