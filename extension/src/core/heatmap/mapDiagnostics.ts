/**
 * What a network's heatmaps look like on labelled images it was not trained on: how sharp they are
 * (median RMS spread of H/γ around its integral coordinate), how much of their mass lies near that
 * point, and whether their maximum (the map's mode) sits on the landmark. Flat maps have a spread of tens
 * of millimetres and a maximum far from the truth even when the integral coordinate is close.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LearningSample } from '../data/types.ts';
import predictHeatmaps from '../inference/predictHeatmaps.ts';
import heatmapConfidence from './heatmapConfidence.ts';

export interface MapDiagnostics {
  /** Median RMS spread of the normalised map around its integral coordinate, mm. */
  medianSpreadMm: number;
  /** Median share of the map's mass within 2 mm (at least one cell) of its integral coordinate. */
  medianMassNear: number;
  /** Median distance of the map's maximum from the true landmark, mm. */
  medianMaximumErrorMm: number;
  /** Share of maps with no peak: their largest value is under 10× a uniform map's (dead or flat). */
  flatShare: number;
  /** Landmarks measured (labelled ones only). */
  landmarks: number;
}

const median = (values: number[]) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Centre (x, y[, z]) in input cells of flat cell index `cell` of a grid [H, W] or [D, H, W]. */
function cellCentre(cell: number, spatial: readonly number[]): number[] {
  const sizes = spatial.slice().reverse();
  let rest = cell;
  return sizes.map((size) => {
    const c = rest % size;
    rest = Math.floor(rest / size);
    return c + 0.5;
  });
}

/** Index of the largest value of channel `l` of a channel-last map with n channels. */
function argmaxOfChannel(heat: ArrayLike<number>, n: number, l: number): number {
  let best = l;
  for (let k = l + n; k < heat.length; k += n) if (heat[k]! > heat[best]!) best = k;
  return (best - l) / n;
}

/**
 * @param model a heatmap network whose output is the sigmoid maps [B, ...spatial, n]
 * @param samples labelled samples (landmarks in input cells, spacing in mm per input cell)
 * @param inputShape [H, W] or [D, H, W]
 */
export default async function mapDiagnostics(
  model: tf.LayersModel,
  samples: readonly LearningSample[],
  inputShape: readonly number[],
): Promise<MapDiagnostics> {
  const spreads: number[] = [];
  const masses: number[] = [];
  const maximumErrors: number[] = [];
  let flat = 0;
  for (const s of samples) {
    const { heat } = await predictHeatmaps(model, s.image);
    const n = heat.length / inputShape.reduce((p, v) => p * v, 1);
    const maps = heatmapConfidence(
      heat,
      [...inputShape, n],
      s.spacingMm.slice(0, inputShape.length),
    );
    s.landmarks?.forEach((truth, l) => {
      if (!truth.every(Number.isFinite)) return;
      spreads.push(maps[l]!.spreadMm);
      masses.push(maps[l]!.confidence);
      const peakCell = argmaxOfChannel(heat, n, l);
      if (heat[peakCell * n + l]! < 10 / (heat.length / n)) flat += 1;
      const mode = cellCentre(peakCell, inputShape);
      maximumErrors.push(Math.hypot(...mode.map((v, a) => (v - truth[a]!) * s.spacingMm[a]!)));
    });
  }
  return {
    medianSpreadMm: median(spreads),
    medianMassNear: median(masses),
    medianMaximumErrorMm: median(maximumErrors),
    flatShare: spreads.length ? flat / spreads.length : 0,
    landmarks: spreads.length,
  };
}

/** One line for logs: "map spread 4.1 mm, mass within 2 mm 38 %, maximum 1.9 mm from the truth". */
export function formatMapDiagnostics(d: MapDiagnostics): string {
  return `median map spread ${d.medianSpreadMm.toFixed(2)} mm, mass within 2 mm ${(100 * d.medianMassNear).toFixed(1)} %, map maximum ${d.medianMaximumErrorMm.toFixed(2)} mm from the truth, ${(100 * d.flatShare).toFixed(1)} % of maps flat (${d.landmarks} landmarks)`;
}
