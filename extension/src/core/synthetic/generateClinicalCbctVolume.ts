/**
 * Seeded synthetic CBCT volume at clinical size and spacing (default 336 × 336 × 304 voxels of
 * 0.5 mm): the 18 landmarks come from the same 3D shape model and pose sampling as
 * generateCbctVolume (same seed, same shape), and a head is drawn from them (clinicalCbctSkull.ts,
 * clinicalCbctJaws.ts): soft tissue, vault, cranial base, face, teeth, airway, vertebrae. The device
 * preset's `cbct` block then adds blur, metal streaks, cupping, noise and a cylindrical field of view
 * (acquireClinicalCbct.ts).
 */
import acquireClinicalCbct from './acquireClinicalCbct.ts';
import drawClinicalJaws from './clinicalCbctJaws.ts';
import { addTrabeculae } from './clinicalCbctShapes.ts';
import drawClinicalSkull from './clinicalCbctSkull.ts';
import { resolveDevice } from './devices.ts';
import { CBCT_SHAPE_MODEL } from './models/shapeModels.ts';
import createRandom, { deriveSeed } from './random.ts';
import { cbctVolume, placeCbctHead } from './placeCbctHead.ts';
import { createRaster3D } from './raster3d.ts';
import type { ClinicalCbctOptions, SyntheticVolume } from './types.ts';
import validateOptions from './validateOptions.ts';

/** Defaults of {@link generateClinicalCbctVolume}: a 16.8 × 16.8 × 15.2 cm field of 0.5 mm voxels. */
export const CLINICAL_CBCT_DEFAULTS = {
  width: 336,
  height: 336,
  depth: 304,
  spacingMm: [0.5, 0.5, 0.5] as [number, number, number],
  device: 'cbct-a',
};

/**
 * Model point (mm) put at the volume centre: the mean shape's bounding-box midpoint, 8 mm further
 * back and 3 mm higher, so that Nasion and the Porions are about as far from the axis of the
 * cylindrical field and Sella keeps room above it.
 */
const FIELD_CENTRE = [0, 1, 2].map((a) => {
  const v = CBCT_SHAPE_MODEL.mean.map((p) => p[a]);
  return (Math.min(...v) + Math.max(...v)) / 2 + [0, 8, 3][a];
});

/**
 * Generates one clinical-size synthetic CBCT volume. Stored value − 1024 ≈ HU (air ≈ 0, soft tissue
 * ≈ 1064, cancellous bone ≈ 1500, cortical bone ≈ 2300, enamel ≈ 3500, metal clipped at 4095; the
 * device's contrast and offset apply). `distractors` is ignored: the anatomy is the distraction.
 * Deterministic for the options.
 *
 * @returns voxels (Uint16, x fastest, then y, then z), landmarks in voxel coordinates (voxel centres at
 *   integers; LPS axes, slice index inferior → superior), spacing [x, y, z] mm.
 * @throws Error on invalid sizes, spacing, seed or device.
 */
export default function generateClinicalCbctVolume(
  options: ClinicalCbctOptions = {},
): SyntheticVolume {
  const o = validateOptions(options, CLINICAL_CBCT_DEFAULTS, 3);
  const dims: [number, number, number] = [o.width, o.height, o.depth];
  const spacingMm = o.spacingMm as [number, number, number];
  const device = resolveDevice(o.device, 3);
  // An operator centres the head: a smaller translation than the small generator's 4 mm.
  const head = placeCbctHead(o, device, FIELD_CENTRE, 2.5);
  const drawRng = createRandom(deriveSeed(o.seed, 22));
  const raster = createRaster3D(dims, spacingMm);
  const frame = { points: head.pointsMm, axes: head.axes, scale: head.pose.scale };
  drawClinicalSkull(raster, frame, drawRng);
  const dense = drawClinicalJaws(raster, frame, drawRng);
  addTrabeculae(raster, drawRng);
  const acquireRng = createRandom(deriveSeed(o.seed, 23));
  const pixels = acquireClinicalCbct(raster.data, dims, spacingMm, device, dense, acquireRng);
  return cbctVolume(o.id ?? `cbct-clinical-${device.name}-${o.seed}`, pixels, o, device, head);
}
