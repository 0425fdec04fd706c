/**
 * Device presets: how each simulated scanner turns attenuation into stored pixel values. Two or more
 * per kind, so labelled and unlabelled sets can come from different devices (paper, section 4).
 */
import type { DeviceProfile } from './types.ts';

/** Cephalogram devices: a sharp 12-bit unit, a soft low-contrast 10-bit unit, a noisy 8-bit unit. */
export const CEPHALOGRAM_DEVICES: Readonly<Record<string, DeviceProfile>> = {
  'ceph-a': {
    name: 'ceph-a',
    bitsStored: 12,
    gamma: 1,
    contrast: 0.85,
    offset: 0.05,
    blurMm: 0.5,
    noiseSd: 0.015,
    magnification: 1.1,
    fovOffsetMm: [0, 0],
    rampAmplitude: 0.04,
  },
  'ceph-b': {
    name: 'ceph-b',
    bitsStored: 10,
    gamma: 0.7,
    contrast: 0.6,
    offset: 0.15,
    blurMm: 1.1,
    noiseSd: 0.03,
    magnification: 1.0,
    fovOffsetMm: [8, -6],
    rampAmplitude: 0.1,
  },
  'ceph-c': {
    name: 'ceph-c',
    bitsStored: 8,
    gamma: 1.3,
    contrast: 1.0,
    offset: 0.02,
    blurMm: 0.7,
    noiseSd: 0.06,
    magnification: 1.05,
    fovOffsetMm: [-6, 5],
    rampAmplitude: 0.06,
  },
};

/**
 * CBCT devices: a sharp low-noise unit and a soft, noisier, lower-contrast unit, both 12-bit so that
 * stored value − 1024 reads as rough Hounsfield units (air ≈ −1000, soft tissue ≈ 0, bone ≫ 0).
 * `cbct` holds the reconstruction artefacts of the clinical generator (generateClinicalCbctVolume):
 * cbct-b is noisier, streaks and cups more, and its cylindrical field is narrower, padded with air.
 */
export const CBCT_DEVICES: Readonly<Record<string, DeviceProfile>> = {
  'cbct-a': {
    name: 'cbct-a',
    bitsStored: 12,
    gamma: 1,
    contrast: 1,
    offset: 0,
    blurMm: 1.5,
    noiseSd: 0.02,
    magnification: 1,
    fovOffsetMm: [0, 0, 0],
    rampAmplitude: 0.02,
    cbct: {
      noiseHu: 30,
      streakHu: 350,
      cuppingHu: 40,
      truncationHu: 60,
      fovRadiusFraction: 1,
      outsideHu: -1024,
      blurMm: 0.3,
    },
  },
  'cbct-b': {
    name: 'cbct-b',
    bitsStored: 12,
    gamma: 0.8,
    contrast: 0.85,
    offset: 0.02,
    blurMm: 2,
    noiseSd: 0.04,
    magnification: 1,
    fovOffsetMm: [3, -4, 4],
    rampAmplitude: 0.06,
    cbct: {
      noiseHu: 75,
      streakHu: 700,
      cuppingHu: 120,
      truncationHu: 150,
      fovRadiusFraction: 0.94,
      outsideHu: -1000,
      blurMm: 0.45,
    },
  },
};

/** Every preset by name. */
export const DEVICE_PRESETS: Readonly<Record<string, DeviceProfile>> = {
  ...CEPHALOGRAM_DEVICES,
  ...CBCT_DEVICES,
};

/**
 * The profile for a preset name or a given profile (copied), checked for the kind's dimension.
 * @throws Error naming the unknown preset and the known ones, or the bad field.
 */
export function resolveDevice(device: string | DeviceProfile, dimension: 2 | 3): DeviceProfile {
  const presets = dimension === 2 ? CEPHALOGRAM_DEVICES : CBCT_DEVICES;
  const profile = typeof device === 'string' ? presets[device] : { ...device };
  if (!profile) {
    throw new Error(
      `unknown ${dimension}D device preset '${String(device)}'; known: ${Object.keys(presets).join(', ')}`,
    );
  }
  if (profile.fovOffsetMm.length !== dimension) {
    throw new Error(`device '${profile.name}': fovOffsetMm needs ${dimension} values`);
  }
  if (!Number.isInteger(profile.bitsStored) || profile.bitsStored < 8 || profile.bitsStored > 16) {
    throw new Error(`device '${profile.name}': bitsStored must be an integer in 8..16`);
  }
  return profile;
}
