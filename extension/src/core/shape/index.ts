/** The shape regulator (paper section 3.1): fit a PCA shape model, regulate predicted shapes. */
export * from './types.ts';
export { fitShapeModel, DEFAULT_FIT_OPTIONS, MIN_TRAINING_SHAPES } from './fitShapeModel.ts';
export { regulateShape, DEFAULT_REGULATE_OPTIONS } from './regulateShape.ts';
export {
  serialiseShapeModel,
  parseShapeModel,
  SHAPE_MODEL_VERSION,
} from './serialiseShapeModel.ts';
export { synthesizeShape } from './synthesizeShape.ts';
export { fitSimilarity, applySimilarity, invertSimilarity, type Similarity } from './similarity.ts';
export { generalizedProcrustes, centroidSize } from './generalizedProcrustes.ts';
export { pixelsToMm, mmToPixels, spacingPerAxis, type Spacing } from './spacing.ts';
