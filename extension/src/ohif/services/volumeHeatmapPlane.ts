/**
 * Samples a volume heatmap (grid D × H × W, x fastest, values in [0, 1]) on the plane a viewport shows:
 * sample (i, j) sits at canvas (i + 0.5, j + 0.5)·step CSS px, mapped to grid coordinates by the
 * canvas → grid affine (services/volumeHeatmapGrid.ts). Trilinear between cell centres (the centre of
 * cell k is k + 0.5) of the cells inside a box (the volume inside the letterbox; default the whole grid
 * [0, W] × [0, H] × [0, D]); between the outermost centres and the box's faces the edge value is kept;
 * outside the box the value is 0 (nothing is drawn outside the volume, and the zero padding around it
 * never bleeds into its edge).
 *
 * Hand-written (no library does trilinear lookups on a Float32Array grid): one pass over the samples.
 * Trilinear keeps a map's maximum at a cell centre, so the brightest sample lies over the brightest
 * cell's centre (the e2e test relies on that).
 */
import type { Affine3 } from './volumeHeatmapGrid.ts';

/** What one plane sampling produces: `cols × rows` values, row-major. */
export interface PlaneSamples {
  cols: number;
  rows: number;
  values: Float32Array;
}

/**
 * A box of the grid (continuous coordinates, x y z): the volume inside the letterbox. Only cells whose
 * centre lies inside count, and nothing is drawn outside it.
 */
export interface GridBox {
  lo: readonly [number, number, number];
  hi: readonly [number, number, number];
}

/** The whole grid as a box. */
export const wholeGrid = (dims: readonly [number, number, number]): GridBox => ({
  lo: [0, 0, 0],
  hi: [dims[2], dims[1], dims[0]],
});

/** Per axis (x, y, z): the box's faces and the first and last cell whose centre lies inside. */
interface Bounds {
  lo: number[];
  hi: number[];
  first: number[];
  last: number[];
}

function boundsOf(dims: readonly [number, number, number], box: GridBox): Bounds {
  const sizes = [dims[2], dims[1], dims[0]];
  return {
    lo: [...box.lo],
    hi: [...box.hi],
    first: sizes.map((_, a) => Math.max(0, Math.ceil(box.lo[a]! - 0.5))),
    last: sizes.map((n, a) => Math.min(n - 1, Math.floor(box.hi[a]! - 0.5))),
  };
}

/** Lower cell index and weight along one axis (clamped between the first and last cell centres). */
function axisCell(v: number, first: number, last: number): [number, number] {
  const c = Math.min(Math.max(v - 0.5, first), last);
  const i0 = Math.min(Math.floor(c), last);
  return [i0, c - i0];
}

/** Trilinear lookup with precomputed bounds (no allocation per sample beyond the axis pairs). */
function lookup(
  map: ArrayLike<number>,
  h: number,
  w: number,
  b: Bounds,
  x: number,
  y: number,
  z: number,
): number {
  if (!(x >= b.lo[0]! && x <= b.hi[0]! && y >= b.lo[1]! && y <= b.hi[1]!)) return 0;
  if (!(z >= b.lo[2]! && z <= b.hi[2]!)) return 0;
  const [x0, fx] = axisCell(x, b.first[0]!, b.last[0]!);
  const [y0, fy] = axisCell(y, b.first[1]!, b.last[1]!);
  const [z0, fz] = axisCell(z, b.first[2]!, b.last[2]!);
  const x1 = Math.min(x0 + 1, b.last[0]!);
  const y1 = Math.min(y0 + 1, b.last[1]!);
  const z1 = Math.min(z0 + 1, b.last[2]!);
  const r00 = (z0 * h + y0) * w;
  const r01 = (z0 * h + y1) * w;
  const r10 = (z1 * h + y0) * w;
  const r11 = (z1 * h + y1) * w;
  const v00 = map[r00 + x0]! + (map[r00 + x1]! - map[r00 + x0]!) * fx;
  const v01 = map[r01 + x0]! + (map[r01 + x1]! - map[r01 + x0]!) * fx;
  const v10 = map[r10 + x0]! + (map[r10 + x1]! - map[r10 + x0]!) * fx;
  const v11 = map[r11 + x0]! + (map[r11 + x1]! - map[r11 + x0]!) * fx;
  const p0 = v00 + (v01 - v00) * fy;
  const p1 = v10 + (v11 - v10) * fy;
  return p0 + (p1 - p0) * fz;
}

/**
 * Trilinear value of `map` at continuous grid point (x, y, z) between the centres of the cells inside
 * `box` (the edge value kept up to the box's faces); 0 outside the box.
 */
export function trilinear(
  map: ArrayLike<number>,
  dims: readonly [number, number, number],
  x: number,
  y: number,
  z: number,
  box: GridBox = wholeGrid(dims),
): number {
  return lookup(map, dims[1], dims[2], boundsOf(dims, box), x, y, z);
}

/**
 * @param map grid values, D × H × W, x fastest
 * @param dims [D, H, W]
 * @param toGrid canvas CSS px (cx, cy, 0) → grid
 * @param width canvas width, CSS px
 * @param height canvas height, CSS px
 * @param step CSS px between samples (≥ 1)
 * @param box the part of the grid to draw (default: all of it)
 */
export default function volumeHeatmapPlane(
  map: ArrayLike<number>,
  dims: readonly [number, number, number],
  toGrid: Affine3,
  width: number,
  height: number,
  step: number,
  box: GridBox = wholeGrid(dims),
): PlaneSamples {
  if (map.length !== dims[0] * dims[1] * dims[2])
    throw new Error(`volumeHeatmapPlane: ${map.length} values for a [${dims.join(', ')}] grid`);
  if (!(step >= 1)) throw new Error(`volumeHeatmapPlane: step ${step} is below 1 px`);
  const cols = Math.max(0, Math.ceil(width / step));
  const rows = Math.max(0, Math.ceil(height / step));
  const values = new Float32Array(cols * rows);
  const { origin: o, axes } = toGrid;
  const [u, v] = axes;
  const bounds = boundsOf(dims, box);
  for (let j = 0; j < rows; j++) {
    const cy = (j + 0.5) * step;
    for (let i = 0; i < cols; i++) {
      const cx = (i + 0.5) * step;
      const value = lookup(
        map,
        dims[1],
        dims[2],
        bounds,
        o[0] + cx * u[0]! + cy * v[0]!,
        o[1] + cx * u[1]! + cy * v[1]!,
        o[2] + cx * u[2]! + cy * v[2]!,
      );
      values[j * cols + i] = Number.isFinite(value) ? value : 0;
    }
  }
  return { cols, rows, values };
}

/** The centre (grid coordinates, x y z) of the largest cell of a D × H × W map (first one on ties). */
export function peakCell(
  map: ArrayLike<number>,
  dims: readonly [number, number, number],
): [number, number, number] {
  const [, h, w] = dims;
  let best = 0;
  for (let i = 1; i < map.length; i++) if (map[i]! > map[best]!) best = i;
  return [(best % w) + 0.5, (Math.floor(best / w) % h) + 0.5, Math.floor(best / (w * h)) + 0.5];
}
