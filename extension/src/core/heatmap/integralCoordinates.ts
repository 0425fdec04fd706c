/**
 * Integral ("soft-argmax") landmark coordinates from heatmaps, paper Eq. 2:
 * x_t = Σ_ρ H_t(ρ)·ρ / γ_t with γ_t = Σ_ρ H_t(ρ). Differentiable.
 *
 * Coordinate frame: NORMALISED per axis, pixel (voxel) i's centre at (i + 0.5) / size, so 0 and 1 are the
 * outer edges of the network input. Axis order of the result is (x, y[, z]): x along the last spatial
 * axis (width), y along height, z along depth.
 */
import * as tf from '@tensorflow/tfjs';
import normaliseHeatmaps, { type HeatmapInputOptions } from './normaliseHeatmaps.ts';

/** Normalised centres of `size` cells: (i + 0.5) / size. */
export function cellCentres(size: number): tf.Tensor1D {
  return tf.tidy(() => tf.range(0, size).add(0.5).div(size) as tf.Tensor1D);
}

/**
 * @param heatmaps sigmoid maps [B, H, W, n] (2D) or [B, D, H, W, n] (3D), or their logits (fromLogits)
 * @returns coordinates [B, n, 2] (x, y) or [B, n, 3] (x, y, z), normalised
 */
export default function integralCoordinates(
  heatmaps: tf.Tensor,
  options: HeatmapInputOptions = {},
): tf.Tensor3D {
  const rank = heatmaps.rank;
  if (rank !== 4 && rank !== 5) {
    throw new Error(
      `integralCoordinates: heatmaps must be [B,H,W,n] or [B,D,H,W,n], got [${heatmaps.shape}]`,
    );
  }
  return tf.tidy(() => {
    const spatialAxes = rank === 4 ? [1, 2] : [1, 2, 3];
    const p = normaliseHeatmaps(heatmaps, options); // H / γ, sums to 1 per map
    const coords: tf.Tensor[] = [];
    // x is the last spatial axis, then y, then z.
    for (const axis of spatialAxes.slice().reverse()) {
      const others = spatialAxes.filter((a) => a !== axis);
      const marginal = p.sum(others); // [B, size, n]
      const size = heatmaps.shape[axis]!;
      const weighted = marginal.mul(cellCentres(size).reshape([1, size, 1])).sum(1); // [B, n]
      coords.push(weighted);
    }
    return tf.stack(coords, 2) as tf.Tensor3D;
  });
}
