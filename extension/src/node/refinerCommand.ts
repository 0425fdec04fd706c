/**
 * Node driver of `landmarks refine`: (re)trains only the refiner of an existing model folder. The
 * patch geometry and schedule come from `--preset`, or else from the preset the model was trained with.
 * The gate is decided on the model's coarse estimates on `--validation` images when given, else on a
 * held-out part of the labelled images (runRefinerTraining).
 */
import { readFileSync } from 'node:fs';
import { parseLandmarkTable } from '../core/data/landmarkTable.ts';
import type { OffsetDistribution } from '../core/refinement/offsetDistribution.ts';
import { REFINER_PRESETS } from '../core/refinement/presets.ts';
import type { PresetName } from '../core/selfTraining/presets.ts';
import { loadLandmarkModel } from './modelStore.ts';
import runRefinerTraining from './runRefinerTraining.ts';

export interface RefineCommandOptions {
  model: string;
  images: string;
  landmarks: string;
  labelled: string;
  spacing?: number;
  preset?: PresetName;
  steps?: number;
  /** Training offsets (default: fitted on the validation images, else the preset's). */
  offsets?: OffsetDistribution;
  seed: number;
  backend: string;
}

/** @returns 'cancelled' when interrupted, 'completed' when `<model>/refiner/` was written */
export default async function runRefineCommand(
  o: RefineCommandOptions & { labelledIds: string[]; validationIds?: string[] },
): Promise<'completed' | 'cancelled'> {
  const { model, metadata } = await loadLandmarkModel(o.model);
  model.dispose();
  const table = parseLandmarkTable(readFileSync(o.landmarks, 'utf8'), {
    source: o.landmarks,
    allowMissing: true,
  });
  const n = metadata.landmarkNames.length;
  if (table.dimension !== 2 || table.landmarkCount !== n) {
    throw new Error(
      `${o.landmarks}: ${table.landmarkCount} landmarks in ${table.dimension}D, the model in ${o.model} has ${n} in 2D`,
    );
  }
  const presetName = o.preset ?? (metadata.preset as PresetName | undefined) ?? 'quick';
  const preset = REFINER_PRESETS[presetName];
  if (!preset) throw new Error(`${o.model}: unknown preset "${presetName}"; pass --preset`);
  return runRefinerTraining({
    modelDir: o.model,
    imagesDir: o.images,
    landmarks: table.rows,
    labelledIds: o.labelledIds,
    validationIds: o.validationIds,
    spacingMm: o.spacing === undefined ? undefined : [o.spacing, o.spacing],
    preset,
    steps: o.steps,
    offsets: o.offsets,
    seed: o.seed,
    backend: o.backend,
  });
}
