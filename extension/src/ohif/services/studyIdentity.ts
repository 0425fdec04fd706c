import type { StudyIdentity } from '../../dicom/types.ts';

/** A PN value as OHIF's naturalized metadata holds it: a string, or `[{Alphabetic}]`. */
function personName(value: unknown): string {
  if (typeof value === 'string') return value;
  const first = Array.isArray(value) ? value[0] : value;
  if (first && typeof first === 'object' && 'Alphabetic' in first) {
    return String((first as { Alphabetic: unknown }).Alphabetic ?? '');
  }
  return '';
}

const str = (value: unknown): string | undefined =>
  value === undefined || value === null
    ? undefined
    : String(Array.isArray(value) ? value[0] : value);

/**
 * Patient/study identity for a new SR, copied from one instance's metadata (OHIF's naturalized
 * instance). Throws naming the instance when the StudyInstanceUID is missing.
 */
export function studyIdentityOf(instance: Record<string, unknown>): StudyIdentity {
  const studyUid = str(instance.StudyInstanceUID);
  if (!studyUid) {
    throw new Error(`instance ${str(instance.SOPInstanceUID) ?? '?'}: no StudyInstanceUID`);
  }
  return {
    patientId: str(instance.PatientID) ?? '',
    patientName: personName(instance.PatientName),
    studyUid,
    studyDate: str(instance.StudyDate) ?? '',
    studyTime: str(instance.StudyTime),
    studyId: str(instance.StudyID),
    accessionNumber: str(instance.AccessionNumber),
    studyDescription: str(instance.StudyDescription),
    patientBirthDate: str(instance.PatientBirthDate),
    patientSex: str(instance.PatientSex),
  };
}
