/**
 * Node driver of the refiner training (`landmarks train --refine` after the coarse network, and
 * `landmarks refine`): reads the labelled images at full resolution, trains the patch network for a
 * budget of passes over its patches (refinerStepBudget) with a progress bar (ETA), decides the per-landmark
 * gate on images the refiner was not trained on, and saves it all in `<modelDir>/refiner/`.
 *
 * Gate images: the run's validation images with the coarse network's own estimates (the model in
 * `<modelDir>` must then exist), or else a held-out part of the labelled images (splitHeldOut) with
 * coarse-like estimates (truth + training-like offsets). Ctrl-C stops it without saving a refiner (the
 * coarse model is untouched); `landmarks refine` trains it again.
 */
import * as tf from '@tensorflow/tfjs';
import createAdam from '../core/tf/createAdam.ts';
import createRandom from '../core/data/createRandom.ts';
import createLandmarkPredictor, {
  type LandmarkPredictor,
} from '../core/inference/createLandmarkPredictor.ts';
import {
  fitOffsetDistribution,
  MIN_ERRORS_FOR_FIT,
  type OffsetDistribution,
} from '../core/refinement/offsetDistribution.ts';
import { parseShapeModel } from '../core/shape/index.ts';
import { REFINER_FORMAT } from '../core/refinement/refinerMetadata.ts';
import { REFINER_LEARNING_RATE } from '../core/refinement/constants.ts';
import type { RefinerPreset } from '../core/refinement/presets.ts';
import coarseLikeEstimates from '../core/refinement/coarseLikeEstimates.ts';
import createRefinerModel from '../core/refinement/createRefinerModel.ts';
import measureRefinerGate, { type GateCase } from '../core/refinement/measureRefinerGate.ts';
import refinerStepBudget from '../core/refinement/refinerStepBudget.ts';
import splitHeldOut, { type HeldOutPolicy } from '../core/refinement/splitHeldOut.ts';
import trainRefiner from '../core/refinement/trainRefiner.ts';
import validateRefinerConfig from '../core/refinement/validateRefinerConfig.ts';
import type {
  RefinerConfig,
  RefinerGateReport,
  RefinerMetadata,
  RefinerSample,
} from '../core/refinement/types.ts';
import { loadLandmarkModel } from './modelStore.ts';
import loadRefinerSamples from './refinerSamples.ts';
import progressBar from './progressBar.ts';
import { saveRefiner } from './refinerStore.ts';

export interface RefinerRunOptions {
  modelDir: string;
  imagesDir: string;
  /** Landmarks in original pixels by image id. */
  landmarks: Map<string, number[][]>;
  labelledIds: readonly string[];
  /** Validation images of the training run: the gate is decided on the coarse model's estimates there. */
  validationIds?: readonly string[];
  /** Held-out policy when there are no validation images (default DEFAULT_HELD_OUT). */
  heldOut?: HeldOutPolicy;
  spacingMm?: number[];
  preset: RefinerPreset;
  /** Overrides the preset's step budget. */
  steps?: number;
  /**
   * Training offsets (and the read-out prior). Default: fitted to the coarse model's reviewed errors on
   * the validation images when there are enough, else the preset's.
   */
  offsets?: OffsetDistribution;
  seed: number;
  backend: string;
}

/** Coarse-like estimates drawn per held-out image (without a validation split). */
const HELD_OUT_DRAWS = 4;

interface Loaded {
  train: RefinerSample[];
  gate: GateCase[];
  /** The coarse model's reviewed errors on the validation images (mm, dx and dy); empty without them. */
  coarseErrorsMm: number[][];
  source: RefinerGateReport['source'];
  spacingMm?: number[];
}

/** Reads the training images and the gate images (with their coarse or coarse-like estimates). */
async function loadAll(o: RefinerRunOptions): Promise<Loaded> {
  const validation = o.validationIds ?? [];
  const split =
    validation.length > 0
      ? { train: [...o.labelledIds], heldOut: [...validation] }
      : splitHeldOut(o.labelledIds, o.seed, o.heldOut);
  const ids = [...split.train, ...split.heldOut];
  const coarse = new Map<string, number[][]>();
  // The refiner is applied to the reviewed points (createLandmarkPredictor), so the gate and the
  // offsets are measured on them.
  let predictor: LandmarkPredictor | undefined;
  if (validation.length > 0) {
    const { model, metadata, shapeModelJson } = await loadLandmarkModel(o.modelDir);
    const shapeModel = shapeModelJson
      ? parseShapeModel(shapeModelJson, { source: `${o.modelDir}/shape-model.json` })
      : undefined;
    predictor = createLandmarkPredictor({ model, metadata, shapeModel });
  }
  const bar = progressBar('refiner images');
  bar.start(ids.length, 0, { info: '' });
  let index = 0; // onOriginal runs once per id, in the order of `ids`: gate images come last
  let loaded;
  try {
    loaded = await loadRefinerSamples({
      imagesDir: o.imagesDir,
      ids,
      landmarks: o.landmarks,
      spacingMm: o.spacingMm,
      mmPerPixel: o.preset.mmPerPixel,
      onImage: (k, _t, id) => bar.update(k, { info: id }),
      onOriginal: async (id, image, spacingMm) => {
        if (predictor && index >= split.train.length)
          coarse.set(id, (await predictor.predict(image, spacingMm, id)).landmarksPx);
        index += 1;
      },
    });
  } finally {
    bar.stop();
    predictor?.dispose();
  }
  const train = loaded.samples.slice(0, split.train.length);
  const rng = createRandom(o.seed + 7919);
  // Real coarse estimates: one case per image; coarse-like ones: HELD_OUT_DRAWS draws per image, so
  // the decision rests less on the luck of one offset per landmark.
  const gate = loaded.samples.slice(split.train.length).flatMap((s) => {
    const real = coarse.get(s.id);
    if (real) return [{ id: s.id, image: s.image, truth: s.landmarks, coarse: real }];
    return Array.from({ length: HELD_OUT_DRAWS }, () => ({
      id: s.id,
      image: s.image,
      truth: s.landmarks,
      coarse: coarseLikeEstimates(s.landmarks, s.image, rng, o.offsets ?? o.preset),
    }));
  });
  const source = validation.length > 0 ? 'validation' : 'held-out';
  const coarseErrorsMm = gate
    .filter((c) => coarse.has(c.id))
    .flatMap((c) =>
      c.coarse.map((p, l) =>
        [0, 1].map((a) => ((p[a]! - c.truth[l]![a]!) * c.image.spacingMm[a]!) / c.image.factor[a]!),
      ),
    );
  return { train, gate, coarseErrorsMm, source, spacingMm: loaded.spacingMm };
}

/** Decides the gate on the held-out cases and writes it into the config; undefined without cases. */
async function decideGate(
  model: tf.LayersModel,
  config: RefinerConfig,
  loaded: Loaded,
): Promise<RefinerGateReport | undefined> {
  if (loaded.gate.length === 0) return undefined;
  const gate = await measureRefinerGate(model, config, loaded.gate);
  config.useRefined = gate.useRefined;
  const kept = gate.useRefined.filter(Boolean).length;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const ids = [...new Set(loaded.gate.map((c) => c.id))];
  process.stdout.write(
    `refiner gate on ${ids.length} ${loaded.source} images (${loaded.gate.length} cases): refined ${kept}/${gate.useRefined.length} landmarks (MRE ${mean(gate.coarseMreMm).toFixed(2)} mm coarse, ${mean(gate.refinedMreMm).toFixed(2)} mm refined)\n`,
  );
  return { source: loaded.source, ids, ...gate };
}

/** The training offsets: given, fitted to the coarse model's validation errors, or the preset's. */
function chooseOffsets(
  o: RefinerRunOptions,
  loaded: Loaded,
): { offsets: OffsetDistribution; offsetSource: 'given' | 'validation' | 'preset' } {
  if (o.offsets) return { offsets: o.offsets, offsetSource: 'given' };
  if (loaded.coarseErrorsMm.length >= MIN_ERRORS_FOR_FIT) {
    const offsets = fitOffsetDistribution(loaded.coarseErrorsMm);
    process.stdout.write(
      `refiner offsets from the coarse model's errors on the validation images: SD ${offsets.offsetSdMm.toFixed(2)} mm, ${(100 * offsets.offsetTailFraction!).toFixed(1)} % tail of SD ${offsets.offsetTailSdMm!.toFixed(2)} mm\n`,
    );
    return { offsets, offsetSource: 'validation' };
  }
  const { offsetSdMm, offsetTailSdMm, offsetTailFraction } = o.preset;
  return { offsets: { offsetSdMm, offsetTailSdMm, offsetTailFraction }, offsetSource: 'preset' };
}

/** @returns 'cancelled' when interrupted (nothing saved), 'completed' when `<modelDir>/refiner/` was written */
export default async function runRefinerTraining(
  o: RefinerRunOptions,
): Promise<'completed' | 'cancelled'> {
  const started = Date.now();
  const p = o.preset;
  const loaded = await loadAll(o);
  const landmarkCount = loaded.train[0]?.landmarks.length ?? 0;
  if (landmarkCount === 0) throw new Error('refiner training needs at least one labelled image');
  const steps =
    o.steps ??
    refinerStepBudget(loaded.train.length, landmarkCount, p.batchSize, {
      passes: p.trainingPasses,
      minSteps: p.minSteps,
      maxSteps: p.maxSteps,
    });
  const { offsets, offsetSource } = chooseOffsets(o, loaded);
  const config = validateRefinerConfig({
    landmarkCount,
    patchShape: p.patchShape,
    mmPerPixel: p.mmPerPixel,
    depth: p.depth,
    baseFilters: p.baseFilters,
    seed: o.seed,
    ...(p.heatmapSigma !== undefined ? { heatmapSigma: p.heatmapSigma } : {}),
    prior: offsets,
  });
  const { model, network } = createRefinerModel(config);
  const optimizer = createAdam(p.learningRate ?? REFINER_LEARNING_RATE);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = progressBar('refiner');
  bar.start(steps, 0, { info: '' });
  try {
    const result = await trainRefiner(model, optimizer, loaded.train, {
      patchShape: config.patchShape,
      mmPerPixel: config.mmPerPixel,
      steps,
      batchSize: p.batchSize,
      ...offsets,
      heatmapSigma: config.heatmapSigma,
      seed: o.seed,
      signal: controller.signal,
      onProgress: (s) => bar.update(s.step, { info: `loss ${s.loss.toFixed(4)}` }),
    });
    bar.stop();
    if (result.status === 'cancelled') {
      process.stderr.write(
        `interrupted: no refiner saved in ${o.modelDir} (the coarse model is kept); run \`landmarks refine\` to train it\n`,
      );
      return 'cancelled';
    }
    const gate = await decideGate(model, config, loaded);
    const metadata: RefinerMetadata = {
      format: REFINER_FORMAT,
      version: 1,
      config,
      network,
      training: {
        images: loaded.train.length,
        steps,
        batchSize: p.batchSize,
        ...offsets,
        offsetSource,
        trainingPasses: (steps * p.batchSize) / (loaded.train.length * landmarkCount),
        seed: o.seed,
        seconds: Math.round((Date.now() - started) / 1000),
        backend: o.backend,
        finalLoss: result.finalLoss,
        spacingMm: loaded.spacingMm,
      },
      ...(gate ? { gate } : {}),
    };
    await saveRefiner(o.modelDir, model, metadata);
    process.stdout.write(`refiner saved in ${o.modelDir}/refiner (${steps} steps)\n`);
    return 'completed';
  } finally {
    bar.stop();
    process.removeListener('SIGINT', onSigint);
    model.dispose();
    optimizer.dispose();
    tf.disposeVariables();
  }
}
