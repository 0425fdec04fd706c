/**
 * Evaluation of abnormal-landmark detection (issue 2, "on real data"): on held-out clean shapes, how
 * many get flags; then, displacing one landmark by a given distance in a random direction, how often
 * that landmark is flagged. Pure and seeded, so the README table can be regenerated exactly.
 */
import { gaussian, seededRandom } from './randomShapes.ts';
import { regulateShape } from './regulateShape.ts';
import type { RegulateOptions, Shape, ShapeModel } from './types.ts';

export interface DetectionOptions extends RegulateOptions {
  /** Displacements to test, mm (default 3, 5, 10, 20). */
  displacementsMm?: number[];
  /** 'every': each landmark of each shape in turn; 'random': one random landmark per shape. */
  landmarks?: 'every' | 'random';
  seed?: number;
}

/** Results for one displacement distance. */
export interface DisplacementResult {
  mm: number;
  /** Number of displaced-landmark trials. */
  trials: number;
  /** Trials where the displaced landmark was flagged abnormal. */
  detected: number;
  /** Trials where exactly the displaced landmark, and no other, was flagged. */
  onlyDisplaced: number;
  /** Flags on the other (undisplaced) landmarks, summed over trials, and their number. */
  othersFlagged: number;
  othersTotal: number;
}

export interface DetectionEvaluation {
  images: number;
  /** Clean (unmodified) shapes with at least one flag, and flagged landmarks among all. */
  cleanImagesFlagged: number;
  cleanLandmarksFlagged: number;
  cleanLandmarks: number;
  displaced: DisplacementResult[];
}

/** A random unit vector in d dimensions (uniform direction). */
function direction(d: number, normal: () => number): number[] {
  const v = Array.from({ length: d }, () => normal());
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

/** One displacement distance over all shapes. */
function displacementTrial(
  model: ShapeModel,
  shapes: readonly Shape[],
  mm: number,
  options: DetectionOptions,
  random: () => number,
): DisplacementResult {
  const normal = gaussian(random);
  const result = { mm, trials: 0, detected: 0, onlyDisplaced: 0, othersFlagged: 0, othersTotal: 0 };
  for (const shape of shapes) {
    const which =
      options.landmarks === 'random'
        ? [Math.floor(random() * shape.length)]
        : shape.map((_, i) => i);
    for (const l of which) {
      const u = direction(shape[0]!.length, normal);
      const moved = shape.map((p, i) => (i === l ? p.map((v, a) => v + mm * u[a]!) : p));
      const { abnormal } = regulateShape(model, moved, options);
      const others = abnormal.filter((f, i) => f && i !== l).length;
      result.trials++;
      if (abnormal[l]) result.detected++;
      if (abnormal[l] && others === 0) result.onlyDisplaced++;
      result.othersFlagged += others;
      result.othersTotal += shape.length - 1;
    }
  }
  return result;
}

/** Evaluates detection on held-out shapes (n × d, mm) with a fitted model. */
export function evaluateDetection(
  model: ShapeModel,
  shapes: readonly Shape[],
  options: DetectionOptions = {},
): DetectionEvaluation {
  const random = seededRandom(options.seed ?? 1);
  let cleanImagesFlagged = 0;
  let cleanLandmarksFlagged = 0;
  for (const shape of shapes) {
    const flags = regulateShape(model, shape, options).abnormal.filter(Boolean).length;
    cleanLandmarksFlagged += flags;
    if (flags > 0) cleanImagesFlagged++;
  }
  return {
    images: shapes.length,
    cleanImagesFlagged,
    cleanLandmarksFlagged,
    cleanLandmarks: shapes.reduce((s, x) => s + x.length, 0),
    displaced: (options.displacementsMm ?? [3, 5, 10, 20]).map((mm) =>
      displacementTrial(model, shapes, mm, options, random),
    ),
  };
}
