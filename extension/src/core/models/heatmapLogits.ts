/**
 * The heatmap logits of a network, for training and integral coordinates.
 *
 * Eq. 2 normalises sigmoid maps by their sum. Computed from the sigmoid output, a map whose logits all
 * fall below about −88 underflows to zeros in float32 and its gradient becomes NaN; the Region
 * Attention loss (Eq. 10) fixes only each map's relative mass, so nothing stops the logits from sinking
 * there (ISBI self-training, session 2). From the logits the same ratio is a softmax of log σ(z), which
 * cannot underflow.
 */
import * as tf from '@tensorflow/tfjs';
import { HEATMAP_LOGITS_LAYER } from './constants.ts';

/** A network whose output is either heatmap logits (`fromLogits`) or sigmoid heatmaps. */
export interface HeatmapNetwork {
  model: tf.LayersModel;
  fromLogits: boolean;
}

const views = new WeakMap<tf.LayersModel, HeatmapNetwork>();

/**
 * @param model a heatmap network (createHeatmapModel, or one loaded from disk)
 * @returns a model sharing `model`'s weights whose output is the logits layer; models saved before the
 *   logits layer existed (single sigmoid convolution) are returned as they are with fromLogits false.
 *   Do not dispose the view's model: it owns nothing.
 */
export default function withHeatmapLogits(model: tf.LayersModel): HeatmapNetwork {
  const cached = views.get(model);
  if (cached) return cached;
  const layer = model.layers.find((l) => l.name === HEATMAP_LOGITS_LAYER);
  const view: HeatmapNetwork = layer
    ? {
        model: tf.model({
          inputs: model.inputs,
          outputs: layer.output as tf.SymbolicTensor,
          name: `${model.name}_logits`,
        }),
        fromLogits: true,
      }
    : { model, fromLogits: false };
  views.set(model, view);
  return view;
}
