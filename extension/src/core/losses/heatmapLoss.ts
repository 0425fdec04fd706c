/**
 * Heatmap L1 loss, as the paper's authors pre-train (their public 3D code, `coarse_heatmap`): for each
 * landmark Σ_ρ |H(ρ)/γ − T(ρ)|, the L1 distance between the network's normalised map (Eq. 2's H/γ) and
 * a Gaussian target T of standard deviation σ cells, centred on the label, truncated at `truncate`·σ and
 * normalised to sum 1. Averaged over the landmarks that count (mask 1); a value lies in [0, 2].
 *
 * L1 on the integral coordinates alone leaves the maps flat (median spread 66–70 mm on ISBI): any map
 * whose mean sits on the label has zero loss. This loss gives each map a peak at the label.
 */
import * as tf from '@tensorflow/tfjs';
import normaliseHeatmaps, { type HeatmapInputOptions } from '../heatmap/normaliseHeatmaps.ts';

export interface HeatmapTargetOptions {
  /** Standard deviation of the target Gaussian, in network cells (pixels or voxels). */
  sigma: number;
  /** The target is 0 beyond this many σ from the label (default 3). */
  truncate?: number;
}

export const DEFAULT_TRUNCATE = 3;

/** Squared distance along one spatial axis, [B, ...1, size, 1..., n], in cells. */
function axisDistanceSquared(target: tf.Tensor2D, size: number, axis: number, rank: number) {
  const gridShape = new Array<number>(rank).fill(1);
  gridShape[axis] = size;
  const targetShape = new Array<number>(rank).fill(1);
  targetShape[0] = target.shape[0];
  targetShape[rank - 1] = target.shape[1];
  const centres = tf.range(0, size).add(0.5).reshape(gridShape);
  return centres.sub(target.mul(size).reshape(targetShape)).square();
}

/**
 * Unnormalised truncated Gaussians exp(−d²/2σ²) for d ≤ truncate·σ, 0 beyond.
 * @param coords [B, n, d] normalised (x, y[, z]), cell i's centre at (i + 0.5) / size; must be finite
 * @param spatialShape [H, W] or [D, H, W]
 * @returns [B, ...spatial, n]
 */
function truncatedGaussians(
  coords: tf.Tensor3D,
  spatialShape: readonly number[],
  options: HeatmapTargetOptions,
): tf.Tensor {
  const rank = spatialShape.length + 2;
  const reversed = spatialShape.slice().reverse(); // sizes along x, y[, z]
  let squared: tf.Tensor | undefined;
  reversed.forEach((size, d) => {
    const along = coords.slice([0, 0, d], [-1, -1, 1]).squeeze([2]) as tf.Tensor2D;
    const term = axisDistanceSquared(along, size, rank - 2 - d, rank);
    squared = squared === undefined ? term : squared.add(term);
  });
  const sigma = options.sigma;
  const radius = (options.truncate ?? DEFAULT_TRUNCATE) * sigma;
  const gauss = squared!.div(-2 * sigma * sigma).exp();
  // A mask product, not tf.where: WebGPU's select kernel has no rank-5 (3D) version.
  return gauss.mul(squared!.lessEqual(radius * radius).cast('float32'));
}

/**
 * Normalised Gaussian targets, and which of them exist: a label whose truncated Gaussian has no mass on
 * the grid (pushed outside it by augmentation) or that is not finite (missing) gives an all-zero map and
 * 0 in `present`.
 * @returns targets [B, ...spatial, n] summing to 1 per present map; present [B, n] of 0/1
 */
export function gaussianTargets(
  coords: tf.Tensor3D,
  spatialShape: readonly number[],
  options: HeatmapTargetOptions,
): { targets: tf.Tensor; present: tf.Tensor2D } {
  if (!(options.sigma > 0))
    throw new Error(`heatmap target sigma must be > 0, got ${options.sigma}`);
  if (coords.shape[2] !== spatialShape.length)
    throw new Error(
      `gaussianTargets: ${coords.shape[2]}-D labels for a ${spatialShape.length}-D grid`,
    );
  return tf.tidy(() => {
    const finite = coords.isFinite().all(2); // [B, n]
    const safe = tf.where(coords.isFinite(), coords, tf.zerosLike(coords).add(-1e3)) as tf.Tensor3D;
    const gauss = truncatedGaussians(safe, spatialShape, options);
    const spatialAxes = spatialShape.map((_, i) => i + 1);
    const mass = gauss.sum(spatialAxes, true);
    const targets = gauss.div(mass.maximum(1e-30));
    const present = mass.reshape(finite.shape).greater(0).logicalAnd(finite).cast('float32');
    return { targets, present: present as tf.Tensor2D };
  });
}

/**
 * @param heatmaps sigmoid maps [B, H, W, n] or [B, D, H, W, n], or their logits (fromLogits)
 * @param labels [B, n, d] normalised (x, y[, z]); NaN where missing
 * @param mask [B, n]: 1 counts, 0 excluded (abnormal or missing)
 * @returns scalar mean over counted landmarks of Σ_ρ |H/γ − T|; 0 when none counts
 */
export default function heatmapLoss(
  heatmaps: tf.Tensor,
  labels: tf.Tensor3D,
  mask: tf.Tensor2D,
  options: HeatmapTargetOptions & HeatmapInputOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const spatialShape = heatmaps.shape.slice(1, -1);
    const spatialAxes = spatialShape.map((_, i) => i + 1);
    const { targets, present } = gaussianTargets(labels, spatialShape, options);
    const normalised = normaliseHeatmaps(heatmaps, { fromLogits: options.fromLogits });
    const perLandmark = normalised.sub(targets).abs().sum(spatialAxes); // [B, n]
    const counted = mask.mul(present);
    return perLandmark.mul(counted).sum().div(counted.sum().maximum(1)) as tf.Scalar;
  });
}
