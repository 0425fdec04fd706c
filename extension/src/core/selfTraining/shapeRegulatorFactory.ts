/**
 * The shape regulation J(·) of paper Eq. 7 built on the shape module: a PCA shape model fitted on the
 * labelled shapes (mm), then regulateShape (±kσ clamp, abnormal threshold Z) per predicted shape.
 */
import {
  MIN_TRAINING_SHAPES,
  fitShapeModel,
  regulateShape,
  type RegulateOptions,
  type ShapeModel,
} from '../shape/index.ts';
import type { RegulatorFactory } from './types.ts';

/**
 * @param onModel receives the fitted shape model (to be saved with the network)
 */
export default function shapeRegulatorFactory(
  options: RegulateOptions & {
    landmarkNames?: string[];
    onModel?: (model: ShapeModel) => void;
  } = {},
): RegulatorFactory {
  return (labelledShapesMm) => {
    // Partial annotations (missing landmarks are NaN rows) train the network through the masked
    // losses; the shape model is fitted on the complete shapes only.
    const complete = labelledShapesMm.filter((s) => s.every((p) => p.every(Number.isFinite)));
    if (complete.length < MIN_TRAINING_SHAPES && complete.length < labelledShapesMm.length) {
      throw new Error(
        `the shape model needs at least ${MIN_TRAINING_SHAPES} complete shapes (every landmark placed); ` +
          `${complete.length} of the ${labelledShapesMm.length} labelled shapes are complete`,
      );
    }
    const model = fitShapeModel(complete, { landmarkNames: options.landmarkNames });
    options.onModel?.(model);
    return (shapeMm) => {
      const r = regulateShape(model, shapeMm, options);
      return { gamma: r.gamma, abnormal: r.abnormal };
    };
  };
}
