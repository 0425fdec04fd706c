/**
 * H_t / γ_t of Eq. 2, from sigmoid heatmaps or from their logits.
 *
 * From logits z (the default for networks built here, see models/heatmapLogits.ts): H/γ = σ(z)/Σσ(z) is
 * the softmax of log σ(z) = −softplus(−z) over the spatial axes, which stays finite for any z.
 *
 * From sigmoid maps (models saved before the logits layer existed): each map is first divided by its
 * own maximum, which leaves the ratio unchanged but keeps γ ≥ 1. An additive epsilon (γ + ε) gave the
 * Region Attention loss a degenerate minimum (heatmaps shrunk towards zero made every expected distance
 * ≈ 0). The maximum is treated as a constant in the backward pass: the ratio does not depend on it, and
 * its exact derivative, −H/peak², overflows float32 once a peak drops below ~1e-19.
 */
import * as tf from '@tensorflow/tfjs';

/** Smallest maximum used when a whole map underflowed to 0 (the result is then all 0, never NaN). */
const TINY = 1e-30;

/**
 * The maximum over `axes` as a constant of the backward pass. The max is computed inside customGrad so
 * that no gradient flows back through Max at all: a zero gradient sent through Max still ran its
 * broadcast Equal, 20 % of a training step on wasm (profiled).
 */
function constantMax(x: tf.Tensor, axes: number[]): tf.Tensor {
  const max = tf.customGrad((...inputs) => {
    const input = inputs[0] as tf.Tensor;
    return { value: input.max(axes, true), gradFunc: () => tf.zerosLike(input) };
  });
  return max(x);
}

export interface HeatmapInputOptions {
  /** The maps are logits z of sigmoid heatmaps σ(z) (default false: the maps are σ(z) ≥ 0). */
  fromLogits?: boolean;
}

/** Softmax of log σ(z) over the spatial axes; the maximum is subtracted first (softmax is shift-free). */
function normaliseLogits(logits: tf.Tensor, spatialAxes: number[]): tf.Tensor {
  const logSigmoid = logits.neg().softplus().neg();
  const shifted = logSigmoid.sub(constantMax(logSigmoid, spatialAxes));
  const weights = shifted.exp();
  return weights.div(weights.sum(spatialAxes, true));
}

function normaliseSigmoid(heatmaps: tf.Tensor, spatialAxes: number[]): tf.Tensor {
  const peak = constantMax(heatmaps, spatialAxes).maximum(TINY);
  const scaled = heatmaps.div(peak);
  return scaled.div(scaled.sum(spatialAxes, true).maximum(TINY));
}

/**
 * @param heatmaps maps [B, ...spatial, n]: sigmoid heatmaps (≥ 0) or, with fromLogits, their logits
 * @returns the maps normalised to sum 1 over the spatial axes (same shape)
 */
export default function normaliseHeatmaps(
  heatmaps: tf.Tensor,
  options: HeatmapInputOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    const spatialAxes = Array.from({ length: heatmaps.rank - 2 }, (_, i) => i + 1);
    return options.fromLogits
      ? normaliseLogits(heatmaps, spatialAxes)
      : normaliseSigmoid(heatmaps, spatialAxes);
  });
}
