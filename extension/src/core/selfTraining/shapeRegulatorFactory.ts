/**
 * The shape regulation J(·) of paper Eq. 7 built on the shape module: a PCA shape model fitted on the
 * labelled shapes (mm), then regulateShape (±kσ clamp, abnormal threshold Z) per predicted shape.
 */
import {
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
    const model = fitShapeModel(labelledShapesMm, { landmarkNames: options.landmarkNames });
    options.onModel?.(model);
    return (shapeMm) => {
      const r = regulateShape(model, shapeMm, options);
      return { gamma: r.gamma, abnormal: r.abnormal };
    };
  };
}
