/**
 * Metadata stored with a trained landmark network (in model.json's userDefinedMetadata and, readable
 * without tfjs, in landmarks-model.json).
 */
import type { MapDiagnostics } from '../heatmap/mapDiagnostics.ts';
import type { EpochRecord, HeatmapTarget, LoopState, Method } from '../selfTraining/types.ts';
import type { ResolvedModelConfig } from './types.ts';

export const METADATA_FORMAT = 'landmarks-heatmap-model';

export interface LandmarkModelMetadata {
  format: typeof METADATA_FORMAT;
  version: 1;
  landmarkNames: string[];
  /** Network configuration, including inputShape [H, W] in pixels. */
  network: ResolvedModelConfig;
  method: Method;
  seed: number;
  preset?: string;
  training: {
    labelled: number;
    unlabelled: number;
    validation: number;
    backend: string;
    seconds: number;
    history: EpochRecord[];
    best?: LoopState['best'];
    /** mm per original pixel of the training images when all shared one (e.g. ISBI's 0.1 mm). */
    spacingMm?: number[];
    /** The fixed-target loss it was trained with (absent: integral L1 alone). */
    heatmapTarget?: HeatmapTarget;
    /** Heatmap diagnostics of the final network on the validation images. */
    maps?: MapDiagnostics;
  };
}

/** Checks a parsed metadata object; errors name `source` and what is wrong. */
export function checkMetadata(value: unknown, source: string): LandmarkModelMetadata {
  const m = value as Partial<LandmarkModelMetadata> | undefined;
  if (!m || m.format !== METADATA_FORMAT)
    throw new Error(`${source}: not a landmark model (format "${m?.format}")`);
  if (m.version !== 1) throw new Error(`${source}: unsupported version ${m.version}`);
  if (!Array.isArray(m.landmarkNames) || m.landmarkNames.length === 0)
    throw new Error(`${source}: no landmark names`);
  if (!m.network || !Array.isArray(m.network.inputShape))
    throw new Error(`${source}: no network input shape`);
  if (m.network.landmarkCount !== m.landmarkNames.length) {
    throw new Error(
      `${source}: ${m.landmarkNames.length} names for ${m.network.landmarkCount} heatmaps`,
    );
  }
  return m as LandmarkModelMetadata;
}
