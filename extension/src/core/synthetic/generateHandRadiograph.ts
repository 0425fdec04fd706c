/**
 * Seeded synthetic hand radiograph (PA view, fingers up): 37 landmarks from the hand shape model,
 * random similarity pose, bone-like capsules and rings, acquired by a 2D device preset.
 */
import { resolveDevice } from './devices.ts';
import drawHandAnatomy from './handAnatomy.ts';
import { HAND_LANDMARKS } from './landmarks.ts';
import { HAND_SHAPE_MODEL } from './models/shapeModels.ts';
import createRandom, { deriveSeed } from './random.ts';
import type { Vec2 } from './raster2d.ts';
import renderStudy2D from './renderStudy2D.ts';
import { placePoint, samplePose, sampleShape } from './sampleShape.ts';
import type { CephalogramOptions, SyntheticHandImage } from './types.ts';
import validateOptions from './validateOptions.ts';

/** Defaults of {@link generateHandRadiograph}: a 256 × 320 mm field at 1 mm. */
export const HAND_DEFAULTS = {
  width: 256,
  height: 320,
  spacingMm: [1, 1] as [number, number],
  device: 'ceph-a',
};

/** Midpoint of the mean shape's bounding box (model mm), put at the field centre. */
const MODEL_BOX_CENTRE = [0, 1].map((a) => {
  const v = HAND_SHAPE_MODEL.mean.map((p) => p[a]);
  return (Math.min(...v) + Math.max(...v)) / 2;
});

/**
 * Generates one synthetic hand radiograph. Same options and conventions as
 * {@link generateCephalogram} (2D device presets, pixel centres at integer coordinates).
 * @throws Error on invalid sizes, spacing, seed or device.
 */
export default function generateHandRadiograph(
  options: CephalogramOptions = {},
): SyntheticHandImage {
  const o = validateOptions(options, HAND_DEFAULTS, 2);
  const { width, height } = o;
  const spacingMm = o.spacingMm as [number, number];
  const device = resolveDevice(o.device, 2);
  const shapeRng = createRandom(deriveSeed(o.seed, 21));
  const drawRng = createRandom(deriveSeed(o.seed, 22));
  const acquireRng = createRandom(deriveSeed(o.seed, 23));
  const shape = sampleShape(HAND_SHAPE_MODEL, shapeRng, o.shapeSigmaLimit, o.residualSdMm);
  const pose = samplePose(shapeRng, o.pose, { ...device, magnification: 1 }, HAND_SHAPE_MODEL);
  const centre = [(width - 1) * spacingMm[0] * 0.5, (height - 1) * spacingMm[1] * 0.5];
  const pointsMm = shape.shapeMm.map(
    (p) =>
      placePoint([p[0] - MODEL_BOX_CENTRE[0], p[1] - MODEL_BOX_CENTRE[1]], pose, centre) as Vec2,
  );
  return renderStudy2D({
    kind: 'hand',
    id: o.id ?? `hand-${device.name}-${o.seed}`,
    width,
    height,
    spacingMm,
    device,
    acquireRng,
    pointsMm,
    landmarkNames: HAND_LANDMARKS,
    seed: o.seed,
    shapeParams: shape.params,
    pose,
    draw: (raster) =>
      drawHandAnatomy(raster, pointsMm, pose.rotationRad[0], pose.scale, drawRng, o.distractors),
  });
}
