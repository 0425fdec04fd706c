/**
 * Seeded synthetic CBCT volume: 18 skull landmarks from the 3D shape model, placed by a random
 * similarity transform, rendered as bone-like structures and "acquired" by a CBCT device preset.
 */
import acquire from './acquire.ts';
import drawCbctAnatomy from './cbctAnatomy.ts';
import { resolveDevice } from './devices.ts';
import { CBCT_LANDMARKS } from './landmarks.ts';
import { CBCT_SHAPE_MODEL } from './models/shapeModels.ts';
import createRandom, { deriveSeed } from './random.ts';
import { createRaster3D, type Vec3 } from './raster3d.ts';
import { placePoint, rotationMatrix, samplePose, sampleShape } from './sampleShape.ts';
import type { CbctOptions, SyntheticVolume } from './types.ts';
import validateOptions from './validateOptions.ts';

/** Defaults of {@link generateCbctVolume}. */
export const CBCT_DEFAULTS = {
  width: 64,
  height: 64,
  depth: 56,
  spacingMm: [3, 3, 3] as [number, number, number],
  device: 'cbct-a',
};

/** Midpoint of the mean shape's bounding box (model mm): the volume centre is put there. */
const MODEL_BOX_CENTRE = [0, 1, 2].map((a) => {
  const v = CBCT_SHAPE_MODEL.mean.map((p) => p[a]);
  return (Math.min(...v) + Math.max(...v)) / 2;
});

/**
 * Generates one synthetic CBCT volume (bone bright; soft tissue ≈ 1/4 of full scale, air ≈ 0, so
 * value − 1024 reads as rough Hounsfield units at 12 bits). Deterministic for the options.
 *
 * @returns voxels (Uint16, x fastest, then y, then z), landmarks in voxel coordinates (voxel centres at
 *   integers; LPS axes, slice index inferior → superior), spacing [x, y, z] mm.
 * @throws Error on invalid sizes, spacing, seed or device.
 */
export default function generateCbctVolume(options: CbctOptions = {}): SyntheticVolume {
  const o = validateOptions(options, CBCT_DEFAULTS, 3);
  const dims: [number, number, number] = [o.width, o.height, o.depth];
  const spacingMm = o.spacingMm as [number, number, number];
  const device = resolveDevice(o.device, 3);
  const shapeRng = createRandom(deriveSeed(o.seed, 11));
  const drawRng = createRandom(deriveSeed(o.seed, 12));
  const acquireRng = createRandom(deriveSeed(o.seed, 13));
  const shape = sampleShape(CBCT_SHAPE_MODEL, shapeRng, o.shapeSigmaLimit, o.residualSdMm);
  const pose = samplePose(shapeRng, { translationSdMm: 4, ...o.pose }, device, CBCT_SHAPE_MODEL);
  const centre = dims.map((d, a) => (d - 1) * spacingMm[a] * 0.5);
  const centred = shape.shapeMm.map((p) => p.map((v, a) => v - MODEL_BOX_CENTRE[a]));
  const pointsMm = centred.map((p) => placePoint(p, pose, centre) as Vec3);
  const rot = rotationMatrix(pose.rotationRad);
  const axes = [0, 1, 2].map((c) => [rot[0][c], rot[1][c], rot[2][c]] as Vec3);
  const raster = createRaster3D(dims, spacingMm);
  drawCbctAnatomy(raster, pointsMm, axes, pose.scale, drawRng, o.distractors);
  const pixels = acquire(raster.data, dims, spacingMm, device, acquireRng);
  return {
    kind: 'cbct',
    id: o.id ?? `cbct-${device.name}-${o.seed}`,
    pixels,
    width: dims[0],
    height: dims[1],
    depth: dims[2],
    bitsStored: device.bitsStored,
    spacingMm: [spacingMm[0], spacingMm[1], spacingMm[2]],
    landmarksPx: pointsMm.map((p) => p.map((v, a) => v / spacingMm[a])),
    landmarkNames: CBCT_LANDMARKS,
    device: device.name,
    seed: o.seed,
    shapeParams: shape.params,
    pose,
  };
}
