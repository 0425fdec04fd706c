/**
 * Codes used in landmark SRs (see docs/dicom-sr.md for the table and the reasons).
 *
 * Standard codes wherever PS3.16 has one: DCM for the TID 1500 structure, Tracking Identifier/UID,
 * Algorithm Identification (TID 4019), `Center` (the NUM that carries the point, as dcmjs writes it) and
 * `Comment` (the landmark's name, the label OHIF shows); SNOMED CT `Anatomical point` (CID 7110
 * Fiducial Category) as the Finding of every group, and a standard anatomy code as Finding Site where
 * one names the landmark's site ({@link STANDARD_SITES}).
 *
 * Local coding scheme `99LMK` (PS3.16 8.2: private schemes start with "99"), version 1, identified in
 * every SR's CodingSchemeIdentificationSequence, only where PS3.16 has nothing:
 * - `LMK-STATUS` "Landmark status" (concept name) with values `S-<status>` (see {@link STATUS_CODES});
 * - `LMK-DEVIATION` "Deviation from shape model" (NUM, UCUM `mm`): |X_α − X_β|, the distance between the
 *   network's prediction and the shape-adjusted position;
 * - `LMK-ADJUSTED` "Shape-adjusted position" (concept name of the SCOORD / SCOORD3D POINT X_β that the
 *   deviation is INFERRED FROM);
 * - `LMK-CONFIDENCE` "Detection confidence" (NUM, UCUM `1`, in [0, 1]);
 * - `LMK-REASON` "Review flag reason" (CODE, one per reason, values `R-<reason>`, see
 *   {@link REASON_CODES}): why the model flagged the landmark for review;
 * - `LMK-MAHALANOBIS` "Shape Mahalanobis distance" (NUM, UCUM `1`, once per SR in Imaging
 *   Measurements, after the groups): distance of the whole shape from the shape model;
 * - `LMK-TEMPLATE` "Landmark template" (TEXT, once per SR in Imaging Measurements, after the groups):
 *   id of the anatomy template the landmarks were placed with; its full landmark list tells a reader
 *   which landmarks a partial annotation still lacks.
 * SRs written before issue 14 item 4 also used `LMK-SET` "Anatomical landmark set" as Finding and
 * `L-<slug>` landmark codes as Finding Site ({@link landmarkCode}); readers still understand both.
 */
import type { LandmarkStatus, ReviewReason } from './types.ts';

/** A DICOM code triplet. */
export interface Code {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

/** Our local coding scheme designator. */
export const LOCAL_SCHEME = '99LMK';

/** Coding Scheme Identification item for {@link LOCAL_SCHEME}. */
export const LOCAL_SCHEME_IDENTIFICATION = {
  CodingSchemeDesignator: LOCAL_SCHEME,
  CodingSchemeName: 'OHIF landmarks local codes',
  CodingSchemeVersion: '1',
  CodingSchemeResponsibleOrganization: 'ohif-landmarks project',
};

const dcm = (CodeValue: string, CodeMeaning: string): Code => ({
  CodeValue,
  CodingSchemeDesignator: 'DCM',
  CodeMeaning,
});
const sct = (CodeValue: string, CodeMeaning: string): Code => ({
  CodeValue,
  CodingSchemeDesignator: 'SCT',
  CodeMeaning,
});
const local = (CodeValue: string, CodeMeaning: string): Code => ({
  CodeValue,
  CodingSchemeDesignator: LOCAL_SCHEME,
  CodeMeaning,
});

/** Concept names and values: standard (DCM, SCT) first, then the local ones. */
export const CODES = {
  imagingMeasurementReport: dcm('126000', 'Imaging Measurement Report'),
  languageOfContent: dcm('121049', 'Language of Content Item and Descendants'),
  observerType: dcm('121005', 'Observer Type'),
  device: dcm('121007', 'Device'),
  deviceObserverUid: dcm('121012', 'Device Observer UID'),
  deviceObserverName: dcm('121013', 'Device Observer Name'),
  personObserverName: dcm('121008', 'Person Observer Name'),
  procedureReported: dcm('121058', 'Procedure reported'),
  imageLibrary: dcm('111028', 'Image Library'),
  imageLibraryGroup: dcm('126200', 'Image Library Group'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUid: dcm('112040', 'Tracking Unique Identifier'),
  finding: dcm('121071', 'Finding'),
  findingSite: sct('363698007', 'Finding Site'),
  /** Value of every group's Finding (CID 7110 Fiducial Category). */
  anatomicalPoint: sct('711101009', 'Anatomical point'),
  /** The landmark's name as free text: the label OHIF reads (adapters' `COMMENT_CODE`). */
  comment: dcm('121106', 'Comment'),
  center: dcm('111010', 'Center'),
  algorithmName: dcm('111001', 'Algorithm Name'),
  algorithmVersion: dcm('111003', 'Algorithm Version'),
  algorithmParameters: dcm('111002', 'Algorithm Parameters'),
  /** Finding of SRs written before issue 14 item 4 (read, no longer written). */
  landmarkSet: local('LMK-SET', 'Anatomical landmark set'),
  status: local('LMK-STATUS', 'Landmark status'),
  deviation: local('LMK-DEVIATION', 'Deviation from shape model'),
  adjusted: local('LMK-ADJUSTED', 'Shape-adjusted position'),
  confidence: local('LMK-CONFIDENCE', 'Detection confidence'),
  mahalanobis: local('LMK-MAHALANOBIS', 'Shape Mahalanobis distance'),
  template: local('LMK-TEMPLATE', 'Landmark template'),
  reviewReason: local('LMK-REASON', 'Review flag reason'),
} as const;

/** Status value codes. */
export const STATUS_CODES: Record<LandmarkStatus, Code> = {
  manual: local('S-MANUAL', 'Manual annotation'),
  'pseudo-label': local('S-PSEUDO', 'Pseudo-label'),
  'flagged-abnormal': local('S-FLAGGED', 'Flagged abnormal'),
  accepted: local('S-ACCEPTED', 'Accepted'),
  corrected: local('S-CORRECTED', 'Corrected'),
  rejected: local('S-REJECTED', 'Rejected'),
};

/** Review flag reason value codes. */
export const REASON_CODES: Record<ReviewReason, Code> = {
  shape: local('R-SHAPE', 'Outlier of the robust shape fit'),
  confidence: local('R-CONFIDENCE', 'Low heatmap confidence'),
  'shape-model': local('R-SHAPE-MODEL', 'Shape regulator deviation above Z'),
};

/** Reason for a reason code value, or undefined when unknown (a newer writer's reason). */
export function reasonFromCode(codeValue: string): ReviewReason | undefined {
  for (const [reason, code] of Object.entries(REASON_CODES)) {
    if (code.CodeValue === codeValue) return reason as ReviewReason;
  }
  return undefined;
}

/** Status for a status code value, or undefined when unknown. */
export function statusFromCode(codeValue: string): LandmarkStatus | undefined {
  for (const [status, code] of Object.entries(STATUS_CODES)) {
    if (code.CodeValue === codeValue) return status as LandmarkStatus;
  }
  return undefined;
}

function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).toUpperCase().padStart(7, '0').slice(0, 5);
}

/**
 * Code of a landmark name in the local scheme; the meaning keeps the name exactly (<= 64 chars). The
 * Finding Site of SRs written before issue 14 item 4; kept to recognise them and for tests.
 */
export function landmarkCode(name: string): Code {
  if (name.length === 0 || name.length > 64)
    throw new Error(`landmark name "${name}" must have 1 to 64 characters`);
  const slug = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const value = `L-${slug}`;
  const CodeValue =
    value.length <= 16 && slug.length > 0 ? value : `L-${slug.slice(0, 8)}-${shortHash(name)}`;
  return local(CodeValue, name);
}

/** Units code (UCUM). */
export function ucum(unit: string, meaning: string): Code {
  return { CodeValue: unit, CodingSchemeDesignator: 'UCUM', CodeMeaning: meaning };
}

/**
 * Tracking Identifier prefix that `@cornerstonejs/adapters` maps to its Probe adapter (a point):
 * `MeasurementReport.getAdapterForTrackingIdentifier` accepts any identifier that starts with
 * `Cornerstone3DTools@^0.1.0:Probe`, which is how stock OHIF hydrates a group into a measurement.
 */
export const PROBE_TRACKING_PREFIX = 'Cornerstone3DTools@^0.1.0:Probe';

/**
 * Tracking Identifier of a landmark: the Probe prefix plus the name, so OHIF hydrates the group as a
 * point and the identifier still names (and tracks, across revisions) the landmark.
 */
export function trackingIdentifier(name: string): string {
  return `${PROBE_TRACKING_PREFIX}:${name}`;
}

/**
 * Standard anatomy codes for the site of landmarks that PS3.16 names (checked against PS3.16-2026b as
 * tabulated by pydicom's `sr/_concepts_dict.py`): Sella lies in the sella turcica (SCT, CID 4 Anatomic
 * Region), Nasion is FMA's nasion (CID 8134 Anatomic Structure, CID 1002 Anatomical Reference Basis -
 * Head). Other landmark names have no standard code; their groups carry no
 * Finding Site, the name being in the Comment and the Tracking Identifier.
 */
export const STANDARD_SITES: Readonly<Record<string, Code>> = {
  sella: sct('42575006', 'Sella turcica'),
  nasion: { CodeValue: '264779', CodingSchemeDesignator: 'FMA', CodeMeaning: 'Nasion' },
};

/** The standard Finding Site of a landmark name (case-insensitive), or undefined when none. */
export function standardSite(name: string): Code | undefined {
  return STANDARD_SITES[name.trim().toLowerCase()];
}
