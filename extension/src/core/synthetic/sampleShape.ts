/**
 * Draws a landmark configuration from a statistical shape model and places it with a random
 * similarity transform (scale, rotation, translation) in the field of view.
 */
import type { Random } from './random.ts';
import type { DeviceProfile, Pose, PoseJitter, ShapeModelParameters } from './types.ts';

/** A shape drawn from a model, in the model frame (mm, centroid near the origin). */
export interface ShapeSample {
  /** n × d, mm. */
  shapeMm: number[][];
  /** b_k / σ_k after clamping. */
  params: number[];
}

/**
 * x = mean + Σ_k clamp(z_k, ±sigmaLimit) · σ_k · mode_k + residual, z_k ~ N(0, 1), residual ~ N(0, r²)
 * per coordinate.
 */
export function sampleShape(
  model: ShapeModelParameters,
  rng: Random,
  sigmaLimit: number,
  residualSdMm: number,
): ShapeSample {
  const params = model.sdMm.map(() => Math.max(-sigmaLimit, Math.min(sigmaLimit, rng.normal())));
  const shapeMm = model.mean.map((row, i) =>
    row.map((m, a) => {
      let v = m;
      params.forEach((z, k) => (v += z * model.sdMm[k] * model.modes[k][i][a]));
      return v + (residualSdMm > 0 ? rng.normal(0, residualSdMm) : 0);
    }),
  );
  return { shapeMm, params };
}

/** Rotation matrix: 2D by θ; 3D as Rz · Ry · Rx. */
export function rotationMatrix(angles: number[]): number[][] {
  if (angles.length === 1) {
    const [c, s] = [Math.cos(angles[0]), Math.sin(angles[0])];
    return [
      [c, -s],
      [s, c],
    ];
  }
  const [ax, ay, az] = angles;
  const [cx, sx, cy, sy, cz, sz] = [ax, ax, ay, ay, az, az].map((v, i) =>
    i % 2 === 0 ? Math.cos(v) : Math.sin(v),
  );
  return [
    [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx],
    [sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx],
    [-sy, cy * sx, cy * cx],
  ];
}

/** Draws the pose: scale, rotation and translation around the field centre (device offset added). */
export function samplePose(
  rng: Random,
  jitter: PoseJitter,
  device: DeviceProfile,
  model: ShapeModelParameters,
): Pose {
  const d = model.dimension;
  const scaleSd = jitter.scaleSd ?? model.centroidSizeSdMm / model.centroidSizeMm;
  const rotSd = ((jitter.rotationSdDeg ?? 4) * Math.PI) / 180;
  const transSd = jitter.translationSdMm ?? 6;
  const scale = device.magnification * Math.max(0.7, Math.min(1.3, rng.normal(1, scaleSd)));
  const rotationRad = Array.from({ length: d === 2 ? 1 : 3 }, () =>
    Math.max(-3 * rotSd, Math.min(3 * rotSd, rng.normal(0, rotSd))),
  );
  const translationMm = device.fovOffsetMm.map((o) => o + rng.normal(0, transSd));
  return { scale, rotationRad, translationMm };
}

/** Model-frame point (mm) → image-frame point (mm): centre + t + s · R · p. */
export function placePoint(p: number[], pose: Pose, centreMm: number[]): number[] {
  const r = rotationMatrix(pose.rotationRad);
  return centreMm.map(
    (c, a) =>
      c + pose.translationMm[a] + pose.scale * r[a].reduce((sum, v, b) => sum + v * p[b], 0),
  );
}
