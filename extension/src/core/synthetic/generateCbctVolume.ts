/**
 * Seeded synthetic CBCT volume: 18 skull landmarks from the 3D shape model, placed by a random
 * similarity transform, rendered as bone-like structures and "acquired" by a CBCT device preset.
 */
import acquire from './acquire.ts';
import drawCbctAnatomy from './cbctAnatomy.ts';
import { resolveDevice } from './devices.ts';
import { CBCT_SHAPE_MODEL } from './models/shapeModels.ts';
import createRandom, { deriveSeed } from './random.ts';
import { cbctVolume, placeCbctHead } from './placeCbctHead.ts';
import { createRaster3D } from './raster3d.ts';
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
  const head = placeCbctHead(o, device, MODEL_BOX_CENTRE, 4);
  const raster = createRaster3D(dims, spacingMm);
  const drawRng = createRandom(deriveSeed(o.seed, 12));
  drawCbctAnatomy(raster, head.pointsMm, head.axes, head.pose.scale, drawRng, o.distractors);
  const pixels = acquire(
    raster.data,
    dims,
    spacingMm,
    device,
    createRandom(deriveSeed(o.seed, 13)),
  );
  return cbctVolume(o.id ?? `cbct-${device.name}-${o.seed}`, pixels, o, device, head);
}
