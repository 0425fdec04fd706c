/** Coarse-to-fine refinement of 2D landmarks with a patch network (see types.ts). */
export type {
  RefinerConfig,
  RefinerConfigInput,
  RefinerImage,
  RefinerMetadata,
  RefinerProgress,
  RefinerSample,
  RefinerTrainingOptions,
} from './types.ts';
export {
  DEFAULT_REFINER_CONFIG,
  DEFAULT_REFINER_TRAINING,
  REFINER_LEARNING_RATE,
} from './constants.ts';
export { default as validateRefinerConfig } from './validateRefinerConfig.ts';
export { default as createRefinerModel } from './createRefinerModel.ts';
export {
  default as prepareRefinerImage,
  toLevelPixels,
  toOriginalFromLevel,
} from './prepareRefinerImage.ts';
export { default as extractPatch, sampleBilinear } from './extractPatch.ts';
export { patchToImage, imageToPatch, type PatchGeometry } from './patchGeometry.ts';
export {
  default as trainRefiner,
  type TrainRefinerOptions,
  type RefinerTrainingResult,
} from './trainRefiner.ts';
export {
  default as refineLandmarks,
  originalToPatch,
  type RefineOptions,
} from './refineLandmarks.ts';
export { default as createRefiner, type LandmarkRefiner } from './createRefiner.ts';
export { checkRefinerMetadata, REFINER_FORMAT } from './refinerMetadata.ts';
export { REFINER_PRESETS, type RefinerPreset } from './presets.ts';
