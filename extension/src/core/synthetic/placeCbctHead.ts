/**
 * The part both CBCT generators share: the 18 landmarks drawn from the 3D shape model and placed in
 * the volume by a random pose (the same seed stream, so a seed gives the same shape in both), the
 * head's axes for drawing, and the generator's output record.
 */
import { CBCT_LANDMARKS } from './landmarks.ts';
import { CBCT_SHAPE_MODEL } from './models/shapeModels.ts';
import createRandom, { deriveSeed } from './random.ts';
import type { Vec3 } from './raster3d.ts';
import {
  placePoint,
  rotationMatrix,
  samplePose,
  sampleShape,
  type ShapeSample,
} from './sampleShape.ts';
import type { DeviceProfile, Pose, SyntheticVolume } from './types.ts';
import type { ResolvedOptions } from './validateOptions.ts';

export interface PlacedHead {
  shape: ShapeSample;
  pose: Pose;
  /** Landmarks in volume mm (voxel centres at integer multiples of the spacing). */
  pointsMm: Vec3[];
  /** The head's x, y, z axes in the volume (columns of the pose's rotation). */
  axes: Vec3[];
}

/**
 * @param fieldCentre model point (mm) put at the volume centre
 * @param translationSdMm SD of the random translation unless the options' pose jitter sets it
 */
export function placeCbctHead(
  o: ResolvedOptions,
  device: DeviceProfile,
  fieldCentre: readonly number[],
  translationSdMm: number,
): PlacedHead {
  const dims = [o.width, o.height, o.depth];
  const shapeRng = createRandom(deriveSeed(o.seed, 11));
  const shape = sampleShape(CBCT_SHAPE_MODEL, shapeRng, o.shapeSigmaLimit, o.residualSdMm);
  const pose = samplePose(shapeRng, { translationSdMm, ...o.pose }, device, CBCT_SHAPE_MODEL);
  const centre = dims.map((d, a) => (d - 1) * o.spacingMm[a]! * 0.5);
  const pointsMm = shape.shapeMm.map(
    (p) =>
      placePoint(
        p.map((v, a) => v - fieldCentre[a]!),
        pose,
        centre,
      ) as Vec3,
  );
  const rot = rotationMatrix(pose.rotationRad);
  const axes = [0, 1, 2].map((c) => [rot[0]![c]!, rot[1]![c]!, rot[2]![c]!] as Vec3);
  return { shape, pose, pointsMm, axes };
}

/** The generators' output record for `pixels` of the head `head`. */
export function cbctVolume(
  id: string,
  pixels: Uint16Array,
  o: ResolvedOptions,
  device: DeviceProfile,
  head: PlacedHead,
): SyntheticVolume {
  const spacingMm = o.spacingMm;
  return {
    kind: 'cbct',
    id,
    pixels,
    width: o.width,
    height: o.height,
    depth: o.depth,
    bitsStored: device.bitsStored,
    spacingMm: [spacingMm[0]!, spacingMm[1]!, spacingMm[2]!],
    landmarksPx: head.pointsMm.map((p) => p.map((v, a) => v / spacingMm[a]!)),
    landmarkNames: CBCT_LANDMARKS,
    device: device.name,
    seed: o.seed,
    shapeParams: head.shape.params,
    pose: head.pose,
  };
}
