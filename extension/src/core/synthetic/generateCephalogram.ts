/**
 * Seeded synthetic lateral cephalogram: 19 ISBI landmarks drawn from the ISBI-derived shape model,
 * placed by a random similarity transform, rendered as anatomy-like structures and "acquired" by a
 * device preset.
 */
import drawCephalogramAnatomy from './cephalogramAnatomy.ts';
import { resolveDevice } from './devices.ts';
import { CEPHALOGRAM_LANDMARKS } from './landmarks.ts';
import { CEPH_SHAPE_MODEL } from './models/shapeModels.ts';
import createRandom, { deriveSeed } from './random.ts';
import type { Vec2 } from './raster2d.ts';
import renderStudy2D from './renderStudy2D.ts';
import { placePoint, samplePose, sampleShape } from './sampleShape.ts';
import type { CephalogramOptions, SyntheticImage } from './types.ts';
import validateOptions from './validateOptions.ts';

/** Defaults of {@link generateCephalogram}. */
export const CEPHALOGRAM_DEFAULTS = {
  width: 256,
  height: 320,
  spacingMm: [0.8, 0.8] as [number, number],
  device: 'ceph-a',
};

/**
 * Generates one synthetic cephalogram (lateral view, face to the right, bone bright).
 * Deterministic: the same options give identical pixels and landmarks.
 *
 * @returns pixels (Uint16, row-major), landmarks in pixel coordinates (pixel centres at integers),
 *   spacing [x, y] in mm, and the drawn shape parameters and pose.
 * @throws Error on invalid sizes, spacing, seed or device.
 */
export default function generateCephalogram(options: CephalogramOptions = {}): SyntheticImage {
  const o = validateOptions(options, CEPHALOGRAM_DEFAULTS, 2);
  const { width, height } = o;
  const spacingMm = o.spacingMm as [number, number];
  const device = resolveDevice(o.device, 2);
  const shapeRng = createRandom(deriveSeed(o.seed, 1));
  const drawRng = createRandom(deriveSeed(o.seed, 2));
  const acquireRng = createRandom(deriveSeed(o.seed, 3));
  const shape = sampleShape(CEPH_SHAPE_MODEL, shapeRng, o.shapeSigmaLimit, o.residualSdMm);
  const pose = samplePose(shapeRng, o.pose, device, CEPH_SHAPE_MODEL);
  // The landmarks' centroid sits a little below the field centre: the vault above needs the room.
  const centre = [(width - 1) * spacingMm[0] * 0.5, (height - 1) * spacingMm[1] * 0.5 + 10];
  const pointsMm = shape.shapeMm.map((p) => placePoint(p, pose, centre) as Vec2);
  return renderStudy2D({
    kind: 'cephalogram',
    id: o.id ?? `cephalogram-${device.name}-${o.seed}`,
    width,
    height,
    spacingMm,
    device,
    acquireRng,
    pointsMm,
    landmarkNames: CEPHALOGRAM_LANDMARKS,
    seed: o.seed,
    shapeParams: shape.params,
    pose,
    draw: (raster) =>
      drawCephalogramAnatomy(
        raster,
        pointsMm,
        pose.rotationRad[0],
        pose.scale,
        drawRng,
        o.distractors,
      ),
  });
}
