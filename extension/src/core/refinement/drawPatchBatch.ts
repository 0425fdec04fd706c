/**
 * Random training patches for the refiner: each entry picks an image and a labelled landmark, centres a
 * patch on truth + offset (drawOffsetMm: a two-component normal mixture per axis, clipped so that the
 * truth stays at least an eighth of the field inside the patch), rotates it by a random angle, and jitters intensities and
 * adds noise. Seeded through `rng`, so a run is reproducible.
 */
import type { Random } from '../data/createRandom.ts';
import extractPatch from './extractPatch.ts';
import { imageToPatch } from './patchGeometry.ts';
import { toLevelPixels } from './prepareRefinerImage.ts';
import type { RefinerSample, RefinerTrainingOptions } from './types.ts';

/** A batch: B patches (row-major, concatenated), which landmark each one is for, targets in patch pixels. */
export interface PatchBatch {
  images: Float32Array;
  landmark: number[];
  /** Truth in patch pixels (x, y), continuous pixel-corner coordinates. */
  targets: number[][];
}

/** Every (sample, landmark) pair with a finite label. */
export function labelledPairs(samples: readonly RefinerSample[]): [number, number][] {
  const pairs: [number, number][] = [];
  samples.forEach((s, i) =>
    s.landmarks.forEach((p, l) => {
      if (Number.isFinite(p[0]!) && Number.isFinite(p[1]!)) pairs.push([i, l]);
    }),
  );
  return pairs;
}

type OffsetOptions = Pick<
  RefinerTrainingOptions,
  'offsetSdMm' | 'offsetTailSdMm' | 'offsetTailFraction'
>;

/**
 * One training offset (mm, x and y, unclipped): N(0, offsetSdMm²) per axis, or with probability
 * offsetTailFraction N(0, offsetTailSdMm²) for both axes (the coarse network's errors have a heavier
 * tail than a normal: ISBI, 20–150 labels, 15–21 % above 8 mm at per-axis SD 4–4.8 mm). No tail
 * (fraction 0 or undefined) draws nothing extra, so the random stream is the one of a plain normal.
 */
export function drawOffsetMm(rng: Random, o: Partial<OffsetOptions>): [number, number] {
  const fraction = o.offsetTailFraction ?? 0;
  const sd = fraction > 0 && rng.next() < fraction ? (o.offsetTailSdMm ?? 0) : (o.offsetSdMm ?? 0);
  return [rng.normal() * sd, rng.normal() * sd];
}

type Options = Partial<OffsetOptions> &
  Pick<
    RefinerTrainingOptions,
    | 'patchShape'
    | 'mmPerPixel'
    | 'offsetSdMm'
    | 'batchSize'
    | 'rotationDeg'
    | 'intensityJitter'
    | 'noiseSd'
  >;

/** Draws one batch (see the file comment). */
export default function drawPatchBatch(
  samples: readonly RefinerSample[],
  pairs: readonly [number, number][],
  rng: Random,
  o: Options,
): PatchBatch {
  const [h, w] = o.patchShape as [number, number];
  const limitMm = (Math.min(h, w) * o.mmPerPixel * 3) / 8;
  const clip = (v: number) => Math.max(-limitMm, Math.min(limitMm, v));
  const images = new Float32Array(o.batchSize * h * w);
  const landmark: number[] = [];
  const targets: number[][] = [];
  for (let b = 0; b < o.batchSize; b++) {
    const [i, l] = pairs[rng.int(pairs.length)]!;
    const { image } = samples[i]!;
    const truth = toLevelPixels(samples[i]!.landmarks[l]!, image);
    const offset = drawOffsetMm(rng, o).map(clip) as [number, number];
    const geometry = {
      centre: [
        truth[0]! + offset[0]! / image.spacingMm[0]!,
        truth[1]! + offset[1]! / image.spacingMm[1]!,
      ],
      patchShape: o.patchShape,
      mmPerPixel: o.mmPerPixel,
      spacingMm: image.spacingMm,
      angleRad: ((2 * rng.next() - 1) * o.rotationDeg * Math.PI) / 180,
    };
    const patch = extractPatch(image, geometry, images.subarray(b * h * w, (b + 1) * h * w));
    const gain = 1 + (2 * rng.next() - 1) * o.intensityJitter;
    const shift = (2 * rng.next() - 1) * o.intensityJitter;
    const noiseSd = rng.next() * o.noiseSd;
    for (let k = 0; k < patch.length; k++) {
      const v = patch[k]! * gain + shift + (noiseSd > 0 ? noiseSd * rng.normal() : 0);
      patch[k] = Math.min(1, Math.max(0, v));
    }
    landmark.push(l);
    targets.push(imageToPatch(truth, geometry));
  }
  return { images, landmark, targets };
}
