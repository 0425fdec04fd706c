/**
 * Integral coordinates taken near each map's maximum: the mean of H/γ over the cells within `radius`
 * cells of the map's largest value, renormalised there.
 *
 * The plain integral (Eq. 2) averages the whole map. On a peaked map trained with the heatmap loss the
 * small background far from the peak still adds up over thousands of cells and pulls the mean towards
 * the centre of the image, and a map with two peaks gets a point between them, on no structure at all.
 * Near the maximum the mean keeps sub-cell precision and follows the stronger peak.
 */
import * as tf from '@tensorflow/tfjs';
import { cellCentres } from './integralCoordinates.ts';
import normaliseHeatmaps, { type HeatmapInputOptions } from './normaliseHeatmaps.ts';

export interface LocalIntegralOptions extends HeatmapInputOptions {
  /** Radius of the window around the maximum, cells (pixels or voxels). */
  radius: number;
}

/**
 * @param heatmaps sigmoid maps [B, H, W, n] or [B, D, H, W, n], or their logits (fromLogits)
 * @returns coordinates [B, n, 2|3] (x, y[, z]), normalised as integralCoordinates'
 */
export default function localIntegralCoordinates(
  heatmaps: tf.Tensor,
  options: LocalIntegralOptions,
): tf.Tensor3D {
  if (!(options.radius > 0))
    throw new Error(`local integral radius must be > 0, got ${options.radius}`);
  return tf.tidy(() => {
    const spatial = heatmaps.shape.slice(1, -1);
    const rank = heatmaps.rank;
    const [batch, n] = [heatmaps.shape[0]!, heatmaps.shape[rank - 1]!];
    const cells = spatial.reduce((p, v) => p * v, 1);
    const p = normaliseHeatmaps(heatmaps, options);
    const flat = p.reshape([batch, cells, n]);
    const peak = flat.argMax(1); // [B, n], flat cell index, x fastest
    const axes = spatial.slice().reverse(); // sizes along x, y[, z]
    // Cell index of the peak along each axis (x, y[, z]), and the squared distance of every cell to it.
    let rest = peak.cast('float32');
    let squared: tf.Tensor | undefined;
    const coordsOfCells: tf.Tensor[] = [];
    axes.forEach((size, a) => {
      const along = rest.mod(size); // [B, n]
      rest = rest.sub(along).div(size);
      const stride = axes.slice(0, a).reduce((q, v) => q * v, 1);
      const index = tf.range(0, cells).div(stride).floor().mod(size); // [cells]
      coordsOfCells.push(index);
      const d = index.reshape([1, cells, 1]).sub(along.reshape([batch, 1, n]));
      squared = squared === undefined ? d.square() : squared.add(d.square());
    });
    const window = squared!.lessEqual(options.radius * options.radius).cast('float32');
    const local = flat.mul(window);
    const weights = local.div(local.sum(1, true).maximum(1e-30)); // [B, cells, n]
    const coords = axes.map((size, a) =>
      weights
        .mul(cellCentres(size).gather(coordsOfCells[a]!.cast('int32')).reshape([1, cells, 1]))
        .sum(1),
    );
    return tf.stack(coords, 2) as tf.Tensor3D;
  });
}
