/**
 * A seeded set of synthetic studies cycling through devices, e.g. a labelled set from one device and
 * an unlabelled set from another.
 */
import { CBCT_DEVICES, CEPHALOGRAM_DEVICES } from './devices.ts';
import generateCbctVolume from './generateCbctVolume.ts';
import generateCephalogram from './generateCephalogram.ts';
import { deriveSeed } from './random.ts';
import type {
  CbctOptions,
  CephalogramOptions,
  DeviceProfile,
  SyntheticImage,
  SyntheticStudy,
  SyntheticVolume,
} from './types.ts';

/** Options of {@link generateStudySet}. */
export interface StudySetOptions {
  /** Number of studies (≥ 0). */
  count: number;
  /** Set seed; study i gets seed deriveSeed(seed, i). Default 1. */
  seed?: number;
  /** Devices, used in turn (study i gets devices[i % length]); default every preset of the kind. */
  devices?: (string | DeviceProfile)[];
  /** Study kind; default 'cephalogram'. */
  kind?: 'cephalogram' | 'cbct';
  /** Id prefix; study i is `<prefix>-<i+1, 3 digits>`. Default the kind. */
  idPrefix?: string;
  /** Options passed to every study (size, spacing, pose, ...); seed, device and id are set per study. */
  study?:
    | Omit<CephalogramOptions, 'seed' | 'device' | 'id'>
    | Omit<CbctOptions, 'seed' | 'device' | 'id'>;
}

/**
 * Generates `count` studies; deterministic for the options. Study i does not depend on `count`, so a
 * larger set extends a smaller one with the same seed.
 * @throws Error for a negative or non-integer count, an empty device list, or invalid study options.
 */
function generateStudySet(options: StudySetOptions & { kind?: 'cephalogram' }): SyntheticImage[];
function generateStudySet(options: StudySetOptions & { kind: 'cbct' }): SyntheticVolume[];
function generateStudySet(options: StudySetOptions): SyntheticStudy[];
function generateStudySet(options: StudySetOptions): SyntheticStudy[] {
  const { count, seed = 1, kind = 'cephalogram' } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`synthetic: count must be a non-negative integer, got ${count}`);
  }
  if (kind !== 'cephalogram' && kind !== 'cbct') {
    throw new Error(`synthetic: kind must be 'cephalogram' or 'cbct', got '${String(kind)}'`);
  }
  const devices =
    options.devices ?? Object.keys(kind === 'cbct' ? CBCT_DEVICES : CEPHALOGRAM_DEVICES);
  if (devices.length === 0) throw new Error('synthetic: devices must not be empty');
  const prefix = options.idPrefix ?? kind;
  return Array.from({ length: count }, (_, i) => {
    const perStudy = {
      seed: deriveSeed(seed, i),
      device: devices[i % devices.length],
      id: `${prefix}-${String(i + 1).padStart(3, '0')}`,
    };
    return kind === 'cbct'
      ? generateCbctVolume({ ...(options.study as CbctOptions), ...perStudy })
      : generateCephalogram({ ...(options.study as CephalogramOptions), ...perStudy });
  });
}

export default generateStudySet;
