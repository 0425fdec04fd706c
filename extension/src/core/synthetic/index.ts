/**
 * Synthetic studies (pixels + landmarks, no DICOM) for tests, demos and training experiments.
 * See types.ts for the coordinate frames.
 */
export { default as generateCephalogram, CEPHALOGRAM_DEFAULTS } from './generateCephalogram.ts';
export { default as generateCbctVolume, CBCT_DEFAULTS } from './generateCbctVolume.ts';
export {
  default as generateClinicalCbctVolume,
  CLINICAL_CBCT_DEFAULTS,
} from './generateClinicalCbctVolume.ts';
export { default as generateHandRadiograph, HAND_DEFAULTS } from './generateHandRadiograph.ts';
export { default as generateStudySet, type StudySetOptions } from './generateStudySet.ts';
export { CEPHALOGRAM_LANDMARKS, CBCT_LANDMARKS, HAND_LANDMARKS } from './landmarks.ts';
export { CEPHALOGRAM_DEVICES, CBCT_DEVICES, DEVICE_PRESETS, resolveDevice } from './devices.ts';
export { CEPH_SHAPE_MODEL, CBCT_SHAPE_MODEL, HAND_SHAPE_MODEL } from './models/shapeModels.ts';
export { default as createRandom, deriveSeed, type Random } from './random.ts';
export * from './types.ts';
