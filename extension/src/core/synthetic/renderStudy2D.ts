/**
 * The tail both 2D generators share: rasterise the anatomy, "acquire" it with the device preset, and
 * package the study with its landmarks in pixels (pixel centres at integer coordinates).
 */
import acquire from './acquire.ts';
import type { Random } from './random.ts';
import { createRaster2D, type Raster2D, type Vec2 } from './raster2d.ts';
import type { DeviceProfile, Pose, SyntheticHandImage, SyntheticImage } from './types.ts';

/** What a 2D generator has decided before rendering. */
export interface Study2DPlan<K extends 'cephalogram' | 'hand'> {
  kind: K;
  id: string;
  width: number;
  height: number;
  spacingMm: [number, number];
  device: DeviceProfile;
  acquireRng: Random;
  /** Landmarks in field millimetres. */
  pointsMm: Vec2[];
  landmarkNames: readonly string[];
  seed: number;
  shapeParams: number[];
  pose: Pose;
  /** Paints the anatomy into the blank raster. */
  draw: (raster: Raster2D) => void;
}

type Study2D<K> = K extends 'hand' ? SyntheticHandImage : SyntheticImage;

/** Renders and packages a planned 2D study. */
export default function renderStudy2D<K extends 'cephalogram' | 'hand'>(
  plan: Study2DPlan<K>,
): Study2D<K> {
  const { width, height, spacingMm, device } = plan;
  const raster = createRaster2D(width, height, spacingMm);
  plan.draw(raster);
  return {
    kind: plan.kind,
    id: plan.id,
    pixels: acquire(raster.data, [width, height], spacingMm, device, plan.acquireRng),
    width,
    height,
    bitsStored: device.bitsStored,
    spacingMm: [spacingMm[0], spacingMm[1]],
    landmarksPx: plan.pointsMm.map((p) => [p[0] / spacingMm[0], p[1] / spacingMm[1]]),
    landmarkNames: plan.landmarkNames,
    device: device.name,
    seed: plan.seed,
    shapeParams: plan.shapeParams,
    pose: plan.pose,
  } as Study2D<K>;
}
