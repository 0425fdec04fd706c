/** refiner.json: the serialised description of a trained refiner (read without tfjs). */
import type { RefinerMetadata } from './types.ts';
import validateRefinerConfig from './validateRefinerConfig.ts';

export const REFINER_FORMAT = 'landmarks-refiner';

/** Checks a parsed refiner.json; errors name `source` and what is wrong. */
export function checkRefinerMetadata(value: unknown, source: string): RefinerMetadata {
  const m = value as Partial<RefinerMetadata> | undefined;
  if (!m || m.format !== REFINER_FORMAT)
    throw new Error(`${source}: not a refiner description (format "${m?.format}")`);
  if (m.version !== 1) throw new Error(`${source}: unsupported version ${m.version}`);
  if (!m.config) throw new Error(`${source}: no refiner config`);
  let config;
  try {
    config = validateRefinerConfig(m.config);
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`);
  }
  if (!m.network || m.network.landmarkCount !== config.landmarkCount)
    throw new Error(`${source}: network and refiner landmark counts differ`);
  return { ...(m as RefinerMetadata), config };
}
