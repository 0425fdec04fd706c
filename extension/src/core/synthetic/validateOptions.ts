/**
 * Checks generator options and fills defaults, without mutating the caller's object.
 */
import type { DeviceProfile, GeneratorOptions, PoseJitter } from './types.ts';

/** Options after defaults (sizes as a flat record so 2D and 3D share the checks). */
export interface ResolvedOptions {
  seed: number;
  id: string | undefined;
  device: string | DeviceProfile;
  width: number;
  height: number;
  depth: number;
  spacingMm: number[];
  shapeSigmaLimit: number;
  residualSdMm: number;
  pose: PoseJitter;
  distractors: number;
}

interface Defaults {
  width: number;
  height: number;
  depth?: number;
  spacingMm: number[];
  device: string;
}

type Sized = GeneratorOptions & {
  width?: number;
  height?: number;
  depth?: number;
  spacingMm?: number[];
};

function positiveInteger(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 8 || v > 4096) {
    throw new Error(`synthetic: ${name} must be an integer in 8..4096, got ${v}`);
  }
  return v;
}

/**
 * Default spacing: the preset spacing for the default size; for another size, the isotropic spacing
 * that keeps the default field of view (size × spacing, mm) inside the new grid along every axis, so
 * the whole anatomy stays in the image.
 */
function fittedSpacing(size: number[], defaults: Defaults): number[] {
  const defaultSize = [defaults.width, defaults.height, defaults.depth ?? 1];
  if (size.every((n, a) => n === defaultSize[a])) return defaults.spacingMm;
  const s = Math.max(...size.map((n, a) => (defaultSize[a] * defaults.spacingMm[a]) / n));
  return size.map(() => s);
}

/**
 * @throws Error naming the option and the bad value.
 */
export default function validateOptions(
  options: Sized,
  defaults: Defaults,
  dimension: 2 | 3,
): ResolvedOptions {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`synthetic: seed must be an integer in 0..2^32-1, got ${seed}`);
  }
  const width = positiveInteger('width', options.width ?? defaults.width);
  const height = positiveInteger('height', options.height ?? defaults.height);
  const depth =
    dimension === 3 ? positiveInteger('depth', options.depth ?? defaults.depth ?? 48) : 1;
  const spacingMm = [
    ...(options.spacingMm ?? fittedSpacing([width, height, depth].slice(0, dimension), defaults)),
  ];
  if (spacingMm.length !== dimension || spacingMm.some((s) => !Number.isFinite(s) || s <= 0)) {
    throw new Error(
      `synthetic: spacingMm must be ${dimension} positive numbers, got [${spacingMm}]`,
    );
  }
  const nonNegative = (name: string, v: number) => {
    if (!Number.isFinite(v) || v < 0) throw new Error(`synthetic: ${name} must be ≥ 0, got ${v}`);
    return v;
  };
  return {
    seed,
    id: options.id,
    device: options.device ?? defaults.device,
    width,
    height,
    depth,
    spacingMm,
    shapeSigmaLimit: nonNegative('shapeSigmaLimit', options.shapeSigmaLimit ?? 3),
    residualSdMm: nonNegative('residualSdMm', options.residualSdMm ?? 0.5),
    pose: { ...options.pose },
    distractors: Math.floor(nonNegative('distractors', options.distractors ?? 3)),
  };
}
