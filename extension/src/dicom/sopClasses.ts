/** SOP Class UIDs (PS3.4 Annex B) used by the DICOM adapters. */
export const SOP_CLASS = {
  /** Digital X-Ray Image Storage - For Presentation. */
  DX_PRESENTATION: '1.2.840.10008.5.1.4.1.1.1.1',
  /** Computed Radiography Image Storage. */
  CR: '1.2.840.10008.5.1.4.1.1.1',
  /** CT Image Storage. */
  CT: '1.2.840.10008.5.1.4.1.1.2',
  /** Comprehensive SR Storage (2D SCOORD). */
  COMPREHENSIVE_SR: '1.2.840.10008.5.1.4.1.1.88.33',
  /** Comprehensive 3D SR Storage (SCOORD3D). */
  COMPREHENSIVE_3D_SR: '1.2.840.10008.5.1.4.1.1.88.34',
  /** Enhanced SR Storage. */
  ENHANCED_SR: '1.2.840.10008.5.1.4.1.1.88.22',
  /** Basic Text SR Storage. */
  BASIC_TEXT_SR: '1.2.840.10008.5.1.4.1.1.88.11',
} as const;

/** True for the SR Storage SOP classes (`1.2.840.10008.5.1.4.1.1.88.*`). */
export function isSrSopClass(uid: string): boolean {
  return uid.startsWith('1.2.840.10008.5.1.4.1.1.88.');
}
