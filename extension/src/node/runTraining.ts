/**
 * Node driver of `landmarks train`: reads the data, builds the network of the preset, runs the core
 * training loop with progress bars (ETA), saves the model folder, and on Ctrl-C (SIGINT) saves a
 * resumable training state there instead.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import progressBar from './progressBar.ts';
import * as tf from '@tensorflow/tfjs';
import { parseLandmarkTable } from '../core/data/landmarkTable.ts';
import {
  DEFAULT_AUGMENTATION,
  PRESETS,
  VOLUME_PRESETS,
  type PresetName,
} from '../core/selfTraining/presets.ts';
import createHeatmapModel from '../core/models/createHeatmapModel.ts';
import createAdam from '../core/tf/createAdam.ts';
import trainLandmarkModel from '../core/selfTraining/trainLandmarkModel.ts';
import shapeRegulatorFactory from '../core/selfTraining/shapeRegulatorFactory.ts';
import { exportTrainingState, importTrainingState } from '../core/selfTraining/trainingState.ts';
import type { Method, Schedule, TrainingProgress } from '../core/selfTraining/types.ts';
import { fitShapeModel, serialiseShapeModel } from '../core/shape/index.ts';
import {
  METADATA_FORMAT,
  type LandmarkModelMetadata,
} from '../core/models/landmarkModelMetadata.ts';
import { DEFAULT_LATENT_OFFSET } from '../core/losses/sampleLatentOffsets.ts';
import mapDiagnostics, { formatMapDiagnostics } from '../core/heatmap/mapDiagnostics.ts';
import loadSamples from './loadSamples.ts';
import { folderKind } from './volumeFolder.ts';
import { saveLandmarkModel } from './modelStore.ts';
import { readTrainingState, removeTrainingState, writeTrainingState } from './trainingStateFile.ts';
import { REFINER_PRESETS } from '../core/refinement/presets.ts';
import runRefinerTraining from './runRefinerTraining.ts';
import { REFINER_DIR } from './refinerStore.ts';

export interface TrainCommandOptions {
  images: string;
  landmarks: string;
  spacing?: number;
  method: Method;
  preset: PresetName;
  seed: number;
  epochs?: number;
  cache?: string;
  resume?: boolean;
  out: string;
  /** Train the coarse-to-fine refiner after the network; undefined: the preset's default. */
  refine?: boolean;
  /** Refiner steps (default: the preset's). */
  refineSteps?: number;
  /** Landmark names in table order (default L1, L2, …). */
  names?: string[];
}

function scaled(schedule: Schedule, factor: number | undefined): Schedule {
  if (factor === undefined) return schedule;
  const e = (n: number) => Math.max(1, Math.round(n * factor));
  return {
    ...schedule,
    ...(schedule.stageSteps
      ? {
          stageSteps: {
            pretrain: e(schedule.stageSteps.pretrain),
            selftrain: e(schedule.stageSteps.selftrain),
            finetune: e(schedule.stageSteps.finetune),
          },
        }
      : {}),
    pretrainEpochs: e(schedule.pretrainEpochs),
    selfTrainEpochs: e(schedule.selfTrainEpochs),
    finetuneEpochs: e(schedule.finetuneEpochs),
  };
}

function describe(p: TrainingProgress): string {
  if (p.pseudoLabels)
    return `${p.stage}: pseudo labels, ${p.pseudoLabels.excluded}/${p.pseudoLabels.total} landmarks excluded`;
  const mre = p.validationMreMm === undefined ? '' : ` val MRE ${p.validationMreMm.toFixed(2)} mm`;
  return `${p.stage} epoch ${p.epoch + 1}/${p.epochs} loss ${Number.isFinite(p.loss) ? p.loss.toFixed(4) : '-'}${mre}`;
}

type RunOptions = TrainCommandOptions & {
  labelledIds: string[];
  unlabelledIds: string[];
  validationIds: string[];
  backend: string;
};

/**
 * Trains the coarse network, then (with `refine`, by default for the quick and paper presets) the
 * coarse-to-fine refiner on the labelled images, saved in `<out>/refiner/`.
 * @returns 'cancelled' when interrupted (state saved in `out`), 'completed' when the model was saved
 */
export default async function runTraining(o: RunOptions): Promise<'completed' | 'cancelled'> {
  const status = await runCoarseTraining(o);
  const preset = REFINER_PRESETS[o.preset];
  if (status === 'cancelled') return status;
  // The refiner works on 2D patches: volumes keep the coarse 3D network only.
  if (!(o.refine ?? preset.refine) || (await folderKind(o.images)) === 'volume') {
    // A refiner left from an earlier run in the same folder does not belong to this model.
    await rm(path.join(o.out, REFINER_DIR), { recursive: true, force: true });
    return status;
  }
  const table = parseLandmarkTable(readFileSync(o.landmarks, 'utf8'), {
    source: o.landmarks,
    allowMissing: true,
  });
  return runRefinerTraining({
    modelDir: o.out,
    imagesDir: o.images,
    landmarks: table.rows,
    labelledIds: o.labelledIds,
    // The gate is then decided on the coarse network's own estimates for the validation images.
    validationIds: o.validationIds,
    spacingMm: o.spacing === undefined ? undefined : [o.spacing, o.spacing],
    preset,
    steps: o.refineSteps,
    seed: o.seed,
    backend: o.backend,
  });
}

async function runCoarseTraining(o: RunOptions): Promise<'completed' | 'cancelled'> {
  const started = Date.now();
  // `<dir>/<id>/` series folders are CBCT/CT volumes: 3D U-Net, volume presets, landmarks x,y,z.
  const volumes = (await folderKind(o.images)) === 'volume';
  const preset = (volumes ? VOLUME_PRESETS : PRESETS)[o.preset];
  const schedule = scaled(preset.schedule, o.epochs);
  const table = parseLandmarkTable(readFileSync(o.landmarks, 'utf8'), {
    source: o.landmarks,
    allowMissing: true,
  });
  if (volumes && table.dimension !== 3)
    throw new Error(`${o.landmarks}: volumes need a 3D landmark table (image,x1,y1,z1,...)`);
  // Volumes take their voxel spacing from DICOM.
  const spacingMm = o.spacing === undefined || volumes ? undefined : [o.spacing, o.spacing];
  const loadBar = progressBar('images  ');
  const all = [...o.labelledIds, ...o.unlabelledIds, ...o.validationIds];
  loadBar.start(all.length, 0, { info: '' });
  const load = (ids: string[], labelled: boolean, offset: number) =>
    loadSamples({
      imagesDir: o.images,
      ids,
      inputShape: preset.inputShape,
      spacingMm,
      cacheDir: o.cache,
      landmarks: labelled ? table.rows : undefined,
      onImage: (k, _t, id) => loadBar.update(offset + k, { info: id }),
    });
  // The bar's timer would keep the process alive after an error: stop it on every path.
  let labelled, unlabelled, validation;
  try {
    labelled = await load(o.labelledIds, true, 0);
    unlabelled = await load(o.unlabelledIds, false, o.labelledIds.length);
    validation = await load(o.validationIds, true, o.labelledIds.length + o.unlabelledIds.length);
  } finally {
    loadBar.stop();
  }

  const n = table.landmarkCount;
  if (o.names && o.names.length !== n)
    throw new Error(`--names: ${o.names.length} names for the ${n} landmarks of ${o.landmarks}`);
  const landmarkNames = o.names ?? Array.from({ length: n }, (_, i) => `L${i + 1}`);
  const { model, config } = createHeatmapModel({
    architecture: volumes ? 'unet3d' : 'unet2d',
    inputShape: preset.inputShape,
    landmarkCount: n,
    depth: preset.depth,
    baseFilters: preset.baseFilters,
    seed: o.seed,
  });
  const optimizer = createAdam(schedule.learningRate);
  let resume;
  let resumeBest: tf.Tensor[] | undefined;
  if (o.resume) {
    const saved = await readTrainingState(o.out);
    if (!saved) throw new Error(`--resume: no training state in ${o.out}`);
    if (
      saved.extra.method !== o.method ||
      saved.extra.seed !== o.seed ||
      saved.extra.preset !== o.preset
    ) {
      throw new Error(
        `--resume: the state in ${o.out} is for method ${saved.extra.method}, seed ${saved.extra.seed}, preset ${saved.extra.preset}`,
      );
    }
    ({ loop: resume, bestWeights: resumeBest } = await importTrainingState(
      model,
      optimizer,
      saved.state,
    ));
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = progressBar('training');
  bar.start(1, 0, { info: '' });
  try {
    const result = await trainLandmarkModel(
      model,
      optimizer,
      { labelled, unlabelled, validation },
      {
        method: o.method,
        schedule,
        augmentation: DEFAULT_AUGMENTATION,
        latentOffset: DEFAULT_LATENT_OFFSET,
        seed: o.seed,
        // Z = 2 mm (paper) for images; two input voxels for volumes, whose voxels are several mm.
        regulatorFactory: shapeRegulatorFactory({
          landmarkNames,
          ...(volumes ? { abnormalThresholdMm: 2 * Math.max(...labelled[0]!.spacingMm) } : {}),
        }),
        signal: controller.signal,
        onProgress: (p) => {
          bar.setTotal(p.stepsTotal);
          bar.update(p.stepsDone, { info: describe(p) });
        },
      },
      resume,
      resumeBest,
    );
    tf.dispose(resumeBest);
    bar.stop();
    if (result.status === 'cancelled') {
      await writeTrainingState(o.out, await exportTrainingState(model, optimizer, result.state), {
        method: o.method,
        seed: o.seed,
        preset: o.preset,
      });
      tf.dispose(result.bestWeights);
      process.stderr.write(
        `interrupted: training state saved in ${o.out}; run the same command with --resume to continue\n`,
      );
      return 'cancelled';
    }
    const shapes = labelled.map((s) =>
      volumes
        ? // Input voxels × mm per input voxel: the volume's mm up to a shift (the shape model aligns).
          s.landmarks!.map((p) => p.map((v, a) => v * s.spacingMm[a]!))
        : table.rows
            .get(s.id)!
            .map(([x, y]) => [
              x! * (spacingMm?.[0] ?? s.spacingMm[0]! * s.letterbox.scaleX),
              y! * (spacingMm?.[1] ?? s.spacingMm[1]! * s.letterbox.scaleY),
            ]),
    );
    const shapeJson =
      shapes.length >= 3
        ? serialiseShapeModel(fitShapeModel(shapes, { landmarkNames }))
        : undefined;
    const maps =
      validation.length > 0
        ? await mapDiagnostics(model, validation, preset.inputShape)
        : undefined;
    if (maps) process.stdout.write(`validation heatmaps: ${formatMapDiagnostics(maps)}\n`);
    const metadata: LandmarkModelMetadata = {
      format: METADATA_FORMAT,
      version: 1,
      landmarkNames,
      network: config,
      method: o.method,
      seed: o.seed,
      preset: o.preset,
      training: {
        labelled: labelled.length,
        unlabelled: unlabelled.length,
        validation: validation.length,
        backend: o.backend,
        seconds: Math.round((Date.now() - started) / 1000),
        history: result.state.history,
        best: result.state.best,
        ...(spacingMm ? { spacingMm } : {}),
        ...(schedule.heatmapTarget ? { heatmapTarget: schedule.heatmapTarget } : {}),
        ...(maps ? { maps } : {}),
      },
    };
    await saveLandmarkModel(o.out, model, metadata, shapeJson);
    await removeTrainingState(o.out);
    const best = result.state.best
      ? `; best validation MRE ${result.state.best.validationMreMm.toFixed(2)} mm (${result.state.best.stage} epoch ${result.state.best.epoch + 1})`
      : '';
    process.stdout.write(`model saved in ${o.out}${best}\n`);
    return 'completed';
  } finally {
    bar.stop();
    process.removeListener('SIGINT', onSigint);
    model.dispose();
    optimizer.dispose();
    tf.disposeVariables();
  }
}
