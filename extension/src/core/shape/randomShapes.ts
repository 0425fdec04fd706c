/**
 * A seeded generator of shape populations: a random base shape, a few random modes of variation with
 * decreasing amplitude, isotropic landmark noise, and a random similarity placement per shape. For
 * demos, benchmarks and tests; real populations come from landmark tables.
 */
import { applySimilarity, type Similarity } from './similarity.ts';
import type { Dimension, Shape } from './types.ts';

export interface PopulationOptions {
  landmarks: number;
  dimension: Dimension;
  count: number;
  /** Number of true modes of variation (default 4). */
  modes?: number;
  /** Per-coordinate SD (mm) of the first mode; later ones decrease linearly to a fifth of it (default 5). */
  modeSdMm?: number;
  /** SD of the independent per-coordinate noise, mm (default 0.2). */
  noiseMm?: number;
  /** Size of the base shape's bounding box, mm (default 100). */
  extentMm?: number;
  /** Random placement: scale in [0.8, 1.25], any rotation, translation within ±50 mm (default true). */
  place?: boolean;
  seed?: number;
}

/** Mulberry32: a small, fast, seedable PRNG returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller from a uniform source. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A uniformly random rotation (det +1) in 2D or 3D, from a random unit quaternion in 3D. */
export function randomRotation(dimension: Dimension, normal: () => number): number[][] {
  if (dimension === 2) {
    const a = Math.atan2(normal(), normal());
    return [
      [Math.cos(a), -Math.sin(a)],
      [Math.sin(a), Math.cos(a)],
    ];
  }
  const q = [normal(), normal(), normal(), normal()];
  const n = Math.hypot(...q);
  const [w, x, y, z] = q.map((v) => v / n) as [number, number, number, number];
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
    [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
    [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
  ];
}

/** A random similarity: scale in [0.8, 1.25], uniform rotation, translation within ±50 mm. */
export function randomSimilarity(dimension: Dimension, random: () => number): Similarity {
  const normal = gaussian(random);
  return {
    scale: 0.8 * 1.5625 ** random(),
    rotation: randomRotation(dimension, normal),
    translation: Array.from({ length: dimension }, () => 100 * random() - 50),
  };
}

/** Generates `count` shapes (n × d, mm) of one random population; same seed, same shapes. */
export function makeShapePopulation(options: PopulationOptions): Shape[] {
  const { landmarks: n, dimension: d, count, modes = 4, modeSdMm = 5, noiseMm = 0.2 } = options;
  const random = seededRandom(options.seed ?? 1);
  const normal = gaussian(random);
  const extent = options.extentMm ?? 100;
  const base = Array.from({ length: n }, () => Array.from({ length: d }, () => extent * random()));
  const directions = Array.from({ length: modes }, () =>
    Array.from({ length: n }, () => Array.from({ length: d }, () => normal())),
  );
  return Array.from({ length: count }, () => {
    const b = directions.map(
      (_, k) => normal() * modeSdMm * (1 - (0.8 * k) / Math.max(1, modes - 1)),
    );
    const shape = base.map((p, i) =>
      p.map(
        (v, a) =>
          v + b.reduce((s, bk, k) => s + bk * directions[k]![i]![a]!, 0) + noiseMm * normal(),
      ),
    );
    return options.place === false ? shape : applySimilarity(randomSimilarity(d, random), shape);
  });
}
