/**
 * The review of one 2D prediction (reviewLandmarks) wired to its heatmaps: the confidence of each point
 * is its map's mass within 2 mm (at least one cell), and a robust outlier is read again from its map
 * within `outlierMm` of where the other landmarks put it. Shared by `landmarks predict` and the viewer's
 * pseudo-labelling.
 */
import { toInputPixels, toOriginalPixels } from '../data/computeLetterbox.ts';
import type { Letterbox } from '../data/types.ts';
import { CONFIDENCE_RADIUS_MM } from '../heatmap/heatmapConfidence.ts';
import type { ShapeModel } from '../shape/types.ts';
import decodeNear from './decodeNear.ts';
import type { Prediction } from './predictHeatmaps.ts';
import reviewLandmarks, {
  DEFAULT_REVIEW_THRESHOLDS,
  type LandmarkReview,
  type ReviewThresholds,
} from './reviewLandmarks.ts';

/**
 * @param heat the prediction's normalised maps (predictHeatmaps)
 * @param pointsPx the points to review, original pixels (the network's, or refined)
 * @param spacingMm mm per original pixel (x, y)
 * @returns the final points and the robust shape fit (original pixels), and one review per landmark
 */
export default function reviewPrediction(
  heat: Pick<Prediction, 'heat' | 'shape'>,
  pointsPx: readonly (readonly number[])[],
  letterbox: Letterbox,
  spacingMm: readonly number[],
  shapeModel: ShapeModel,
  options: { thresholds?: Partial<ReviewThresholds>; label?: string } = {},
): {
  landmarksPx: number[][];
  fittedPx: number[][];
  reviews: LandmarkReview[];
  implausible: boolean;
} {
  const label = options.label ?? 'image';
  const cellMm = [spacingMm[0]! / letterbox.scaleX, spacingMm[1]! / letterbox.scaleY];
  const cellsPerMm = 1 / Math.max(...cellMm);
  const radius = Math.max(1, CONFIDENCE_RADIUS_MM * cellsPerMm);
  const near = (l: number, cells: number[], search: number) =>
    decodeNear(heat.heat, heat.shape, l, cells, search, radius);
  const toMm = (p: readonly number[]) => p.map((v, a) => v * spacingMm[a]!);
  const inputOf = (px: readonly number[]) => toInputPixels([px], letterbox)[0]!;
  const confidence = pointsPx.map((p, l) => near(l, inputOf(p), radius)?.mass ?? 0);
  const outlierMm = options.thresholds?.outlierMm ?? DEFAULT_REVIEW_THRESHOLDS.outlierMm;
  const { pointsMm, fittedMm, reviews, implausible } = reviewLandmarks(
    shapeModel,
    pointsPx.map(toMm),
    confidence,
    {
      thresholds: options.thresholds,
      label,
      reread: (l, nearMm) => {
        const found = near(
          l,
          inputOf(nearMm.map((v, a) => v / spacingMm[a]!)),
          outlierMm * cellsPerMm,
        );
        if (!found) return undefined;
        return {
          pointMm: toMm(toOriginalPixels([found.point], letterbox)[0]!),
          confidence: found.mass,
        };
      },
    },
  );
  const toPx = (p: readonly number[]) => p.map((v, a) => v / spacingMm[a]!);
  const landmarksPx = pointsMm.map(toPx);
  const fittedPx = fittedMm.map(toPx);
  if (![...landmarksPx, ...fittedPx].flat().every(Number.isFinite))
    throw new Error(`${label}: reviewed prediction is not finite`);
  return { landmarksPx, fittedPx, reviews, implausible };
}
