/**
 * Input checks for shapes entering the shape model: dimensions, finiteness, degeneracy. Every error
 * names the shape (`label`) and what is wrong, so that a CLI user can find the bad row.
 */
import { SVD } from 'ml-matrix';
import { centroid } from './similarity.ts';

/** Relative size under which a shape's spread along an axis counts as zero (collinear/coincident). */
const DEGENERATE_RATIO = 1e-9;

/**
 * Checks that `shape` is `landmarkCount` rows of `dimension` numbers, all finite or (when
 * `allowMissing`) whole rows of NaN. Returns the visible (finite) row indices.
 */
export function checkShapeValues(
  shape: readonly (readonly number[])[],
  landmarkCount: number,
  dimension: number,
  label: string,
  allowMissing: boolean,
): number[] {
  if (!Array.isArray(shape) || shape.length !== landmarkCount) {
    throw new Error(`${label}: has ${shape?.length} landmarks, the model has ${landmarkCount}`);
  }
  const visible: number[] = [];
  shape.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== dimension) {
      throw new Error(
        `${label}: landmark ${i + 1} has ${p?.length} coordinates, expected ${dimension}`,
      );
    }
    const finite = p.filter((v) => Number.isFinite(v)).length;
    if (finite === dimension) {
      visible.push(i);
      return;
    }
    const allNaN = p.every((v) => Number.isNaN(v));
    if (!allowMissing || !allNaN) {
      throw new Error(
        `${label}: landmark ${i + 1} is ${JSON.stringify(p.map(String))}, coordinates must be finite numbers`,
      );
    }
  });
  return visible;
}

/**
 * Throws if the given rows are coincident (no spread) or collinear (spread along one axis only), in
 * which case no rotation can be determined.
 */
export function checkNotDegenerate(points: readonly (readonly number[])[], label: string): void {
  const c = centroid(points);
  const centred = points.map((p) => p.map((v, a) => v - c[a]!));
  const s = new SVD(centred, { computeLeftSingularVectors: false, autoTranspose: true }).diagonal;
  if (!(s[0]! > 0)) throw new Error(`${label}: all landmarks coincide (degenerate shape)`);
  if (!(s[1]! > DEGENERATE_RATIO * s[0]!)) {
    throw new Error(`${label}: landmarks are collinear (degenerate shape)`);
  }
}
