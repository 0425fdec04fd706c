/**
 * Inference of the coarse-to-fine refinement: for every landmark, a patch centred on its current
 * estimate is cut from the image, the patch network's channel for that landmark gives integral
 * coordinates (Eq. 2) in the patch, and these are mapped back to original pixels. Pass k is centred on
 * pass k−1's result. All n patches of a pass go through the network as one batch. Landmarks the gate
 * turns off (`useRefined[l] === false`, decided on held-out images: decideRefinerGate) keep the coarse
 * estimate.
 */
import * as tf from '@tensorflow/tfjs';
import withHeatmapLogits from '../models/heatmapLogits.ts';
import { decodeHeatmaps } from '../selfTraining/predictCoordinates.ts';
import normaliseHeatmaps from '../heatmap/normaliseHeatmaps.ts';
import extractPatch from './extractPatch.ts';
import { offsetPriorMap, type OffsetDistribution } from './offsetDistribution.ts';
import { imageToPatch, patchToImage, type PatchGeometry } from './patchGeometry.ts';
import { toLevelPixels, toOriginalFromLevel } from './prepareRefinerImage.ts';
import type { RefinerImage } from './types.ts';

export interface RefineOptions {
  /** Patch size [H, W]; must match the model input. */
  patchShape: number[];
  /** Millimetres per patch pixel (as trained). */
  mmPerPixel: number;
  /** Refinement passes (≥ 1). */
  passes: number;
  /** Image name quoted in errors. */
  name?: string;
  /** The gate (RefinerConfig.useRefined): landmark l keeps its coarse estimate where entry l is false. */
  useRefined?: readonly boolean[];
  /** σ of the heatmap loss it was trained with (RefinerConfig.heatmapSigma): read near the maximum. */
  heatmapSigma?: number;
  /** RefinerConfig.prior: the map is weighted by the coarse error distribution around the centre. */
  prior?: OffsetDistribution;
}

/** log(H/γ · prior), shifted so that each map's largest value is 1 after exp (no underflow to all 0). */
function weightByPrior(heat: tf.Tensor4D, fromLogits: boolean, logPrior: tf.Tensor): tf.Tensor4D {
  const logPosterior = normaliseHeatmaps(heat, { fromLogits }).maximum(1e-30).log().add(logPrior);
  return logPosterior.sub(logPosterior.max([1, 2], true)).exp() as tf.Tensor4D;
}

function geometryAt(centre: number[], image: RefinerImage, o: RefineOptions): PatchGeometry {
  return {
    centre,
    patchShape: o.patchShape,
    mmPerPixel: o.mmPerPixel,
    spacingMm: image.spacingMm,
    angleRad: 0,
  };
}

/** One pass: n patches in, n points (level pixels) out; channel l of patch l. */
async function refineOnce(
  model: tf.LayersModel,
  image: RefinerImage,
  centres: number[][],
  o: RefineOptions,
): Promise<number[][]> {
  const [h, w] = o.patchShape as [number, number];
  const n = centres.length;
  const geometries = centres.map((c) => geometryAt(c, image, o));
  const buffer = new Float32Array(n * h * w);
  geometries.forEach((g, l) => extractPatch(image, g, buffer.subarray(l * h * w, (l + 1) * h * w)));
  const coords = tf.tidy(() => {
    const network = withHeatmapLogits(model);
    const raw = network.model.predict(tf.tensor4d(buffer, [n, h, w, 1])) as tf.Tensor4D;
    const heat = o.prior
      ? weightByPrior(
          raw,
          network.fromLogits,
          tf
            .tensor4d(offsetPriorMap(o.patchShape, o.mmPerPixel, o.prior), [1, h, w, 1])
            .maximum(1e-30)
            .log(),
        )
      : raw;
    const decoding =
      o.heatmapSigma === undefined ? {} : { localRadius: Math.max(2, 3 * o.heatmapSigma) };
    // [n patches, n channels, 2]
    const all = decodeHeatmaps(heat, network.fromLogits && !o.prior, decoding);
    // The diagonal: patch l's own channel l.
    const own = all.mul(tf.eye(n).expandDims(2)).sum(1);
    return own.mul(tf.tensor1d([w, h]));
  });
  const values = (await coords.array()) as number[][];
  coords.dispose();
  return values.map((q, l) => {
    const p = patchToImage(q, geometries[l]!);
    // Never hand NaN on: a non-finite output keeps the patch centre (the previous estimate).
    return p.every(Number.isFinite) ? p : centres[l]!;
  });
}

/**
 * @param model patch network (createRefinerModel, trained by trainRefiner)
 * @param image prepared by prepareRefinerImage at the same mmPerPixel
 * @param coarse n × 2 coarse estimates in ORIGINAL pixels (continuous, pixel-corner convention)
 * @returns n × 2 refined landmarks in ORIGINAL pixels (always finite)
 * @throws Error naming the image when a coarse estimate is not finite or n does not match the model
 */
export default async function refineLandmarks(
  model: tf.LayersModel,
  image: RefinerImage,
  coarse: readonly (readonly number[])[],
  options: RefineOptions,
): Promise<number[][]> {
  const name = options.name ?? 'image';
  const n = model.outputs[0]!.shape[3]!;
  if (coarse.length !== n)
    throw new Error(`${name}: ${coarse.length} coarse landmarks, the refiner has ${n}`);
  coarse.forEach((p, l) => {
    if (!(Number.isFinite(p[0]) && Number.isFinite(p[1])))
      throw new Error(`${name}: coarse landmark ${l + 1} is not finite ([${p}])`);
  });
  const gate = options.useRefined;
  if (gate && gate.length !== n)
    throw new Error(`${name}: the refiner's gate has ${gate.length} entries for ${n} landmarks`);
  let centres = coarse.map((p) => toLevelPixels(p, image));
  for (let pass = 0; pass < options.passes; pass++)
    centres = await refineOnce(model, image, centres, options);
  return centres.map((p, l) =>
    gate?.[l] === false ? [coarse[l]![0]!, coarse[l]![1]!] : toOriginalFromLevel(p, image),
  );
}

/** Patch-pixel position of an original-pixel point in the patch a pass centred on `centre` would cut. */
export function originalToPatch(
  point: readonly number[],
  centre: readonly number[],
  image: RefinerImage,
  o: RefineOptions,
): number[] {
  return imageToPatch(
    toLevelPixels(point, image),
    geometryAt(toLevelPixels(centre, image), image, o),
  );
}
