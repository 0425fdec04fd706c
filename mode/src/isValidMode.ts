/** Modalities the landmarks mode works on: 2D X-rays (DX, CR) and CT/CBCT volumes. */
export const MODE_MODALITIES = ['DX', 'CR', 'CT'] as const;

/**
 * OHIF's study-list check: is the mode offered for a study? `modalities` is the study's
 * ModalitiesInStudy joined with backslashes, e.g. `DX\SR`.
 */
export default function isValidMode({ modalities }: { modalities: string; study?: unknown }): {
  valid: boolean;
  description: string;
} {
  const list = (modalities ?? '').split('\\');
  const match = MODE_MODALITIES.find((m) => list.includes(m));
  return match
    ? { valid: true, description: `Landmarks: ${match} study` }
    : { valid: false, description: `Landmarks needs a ${MODE_MODALITIES.join(', ')} study` };
}
