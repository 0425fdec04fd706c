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
import { CBCT_LANDMARKS } from './landmarks.ts';
import { CBCT_SHAPE_MODEL } from './models/shapeModels.ts';
import createRandom, { deriveSeed } from './random.ts';
import { createRaster3D, type Vec3 } from './raster3d.ts';
import { placePoint, rotationMatrix, samplePose, sampleShape } from './sampleShape.ts';
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
  const shapeRng = createRandom(deriveSeed(o.seed, 11));
  const drawRng = createRandom(deriveSeed(o.seed, 22));
  const acquireRng = createRandom(deriveSeed(o.seed, 23));
  const shape = sampleShape(CBCT_SHAPE_MODEL, shapeRng, o.shapeSigmaLimit, o.residualSdMm);
  const pose = samplePose(shapeRng, { translationSdMm: 2.5, ...o.pose }, device, CBCT_SHAPE_MODEL);
  const centre = dims.map((d, a) => (d - 1) * spacingMm[a] * 0.5);
  const centred = shape.shapeMm.map((p) => p.map((v, a) => v - FIELD_CENTRE[a]));
  const pointsMm = centred.map((p) => placePoint(p, pose, centre) as Vec3);
  const rot = rotationMatrix(pose.rotationRad);
  const axes = [0, 1, 2].map((c) => [rot[0][c], rot[1][c], rot[2][c]] as Vec3);
  const raster = createRaster3D(dims, spacingMm);
  const frame = { points: pointsMm, axes, scale: pose.scale };
  drawClinicalSkull(raster, frame, drawRng);
  const dense = drawClinicalJaws(raster, frame, drawRng);
  addTrabeculae(raster, drawRng);
  const pixels = acquireClinicalCbct(raster.data, dims, spacingMm, device, dense, acquireRng);
  return {
    kind: 'cbct',
    id: o.id ?? `cbct-clinical-${device.name}-${o.seed}`,
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
