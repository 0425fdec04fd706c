/**
 * Node driver of the refiner training (`landmarks train --refine` after the coarse network, and
 * `landmarks refine`): reads the labelled images at full resolution, trains the patch network with a
 * progress bar (ETA), and saves it in `<modelDir>/refiner/`. Ctrl-C stops it without saving a refiner
 * (the coarse model is untouched); `landmarks refine` trains it again.
 */
import * as tf from '@tensorflow/tfjs';
import createAdam from '../core/tf/createAdam.ts';
import { REFINER_FORMAT } from '../core/refinement/refinerMetadata.ts';
import { REFINER_LEARNING_RATE } from '../core/refinement/constants.ts';
import type { RefinerPreset } from '../core/refinement/presets.ts';
import createRefinerModel from '../core/refinement/createRefinerModel.ts';
import trainRefiner from '../core/refinement/trainRefiner.ts';
import validateRefinerConfig from '../core/refinement/validateRefinerConfig.ts';
import type { RefinerMetadata } from '../core/refinement/types.ts';
import loadRefinerSamples from './refinerSamples.ts';
import progressBar from './progressBar.ts';
import { saveRefiner } from './refinerStore.ts';

export interface RefinerRunOptions {
  modelDir: string;
  imagesDir: string;
  /** Landmarks in original pixels by image id. */
  landmarks: Map<string, number[][]>;
  labelledIds: readonly string[];
  spacingMm?: number[];
  preset: RefinerPreset;
  /** Overrides the preset's step count. */
  steps?: number;
  seed: number;
  backend: string;
}

/** @returns 'cancelled' when interrupted (nothing saved), 'completed' when `<modelDir>/refiner/` was written */
export default async function runRefinerTraining(
  o: RefinerRunOptions,
): Promise<'completed' | 'cancelled'> {
  const started = Date.now();
  const p = o.preset;
  const steps = o.steps ?? p.steps;
  const loadBar = progressBar('refiner images');
  loadBar.start(o.labelledIds.length, 0, { info: '' });
  let loaded;
  try {
    loaded = await loadRefinerSamples({
      imagesDir: o.imagesDir,
      ids: o.labelledIds,
      landmarks: o.landmarks,
      spacingMm: o.spacingMm,
      mmPerPixel: p.mmPerPixel,
      onImage: (k, _t, id) => loadBar.update(k, { info: id }),
    });
  } finally {
    loadBar.stop();
  }
  const landmarkCount = loaded.samples[0]?.landmarks.length ?? 0;
  if (landmarkCount === 0) throw new Error('refiner training needs at least one labelled image');
  const config = validateRefinerConfig({
    landmarkCount,
    patchShape: p.patchShape,
    mmPerPixel: p.mmPerPixel,
    depth: p.depth,
    baseFilters: p.baseFilters,
    seed: o.seed,
  });
  const { model, network } = createRefinerModel(config);
  const optimizer = createAdam(REFINER_LEARNING_RATE);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = progressBar('refiner');
  bar.start(steps, 0, { info: '' });
  try {
    const result = await trainRefiner(model, optimizer, loaded.samples, {
      patchShape: config.patchShape,
      mmPerPixel: config.mmPerPixel,
      steps,
      batchSize: p.batchSize,
      offsetSdMm: p.offsetSdMm,
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
    const metadata: RefinerMetadata = {
      format: REFINER_FORMAT,
      version: 1,
      config,
      network,
      training: {
        images: loaded.samples.length,
        steps,
        batchSize: p.batchSize,
        offsetSdMm: p.offsetSdMm,
        seed: o.seed,
        seconds: Math.round((Date.now() - started) / 1000),
        backend: o.backend,
        finalLoss: result.finalLoss,
        spacingMm: loaded.spacingMm,
      },
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
