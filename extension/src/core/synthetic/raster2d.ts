/**
 * Minimal 2D rasteriser of signed-distance shapes, in millimetres, into a Float32Array attenuation map.
 * Hand-written: no canvas exists in Node's pure core, and the shapes need sub-pixel (anti-aliased)
 * placement so that a landmark's structure moves with its sub-pixel coordinates.
 */

/** A point or vector in millimetres (x right, y down). */
export type Vec2 = [number, number];

/** Float map whose pixel (i, j) centre is at (i · sx, j · sy) mm. */
export interface Raster2D {
  data: Float32Array;
  width: number;
  height: number;
  spacingMm: [number, number];
}

/** Signed distance in mm: negative inside, positive outside. */
export type Sdf2 = (x: number, y: number) => number;

/** Axis-aligned box in mm: [xMin, yMin, xMax, yMax]. */
export type Box2 = [number, number, number, number];

export const createRaster2D = (width: number, height: number, spacingMm: [number, number]) => ({
  data: new Float32Array(width * height),
  width,
  height,
  spacingMm,
});

const BLOCK = 4;

/**
 * Adds `value` × coverage of the shape, coverage = clamp(0.5 − d / edge, 0, 1): a linear ramp one
 * edge-width wide, i.e. box-filter anti-aliasing when edge ≈ pixel size. Works in 4 × 4 pixel blocks:
 * the SDFs here are (close to) 1-Lipschitz, so a block whose centre is farther from the boundary than
 * its half-diagonal (with a 1.5× safety factor) is uniformly inside or outside and is filled without
 * evaluating the SDF per pixel.
 */
export function paintSdf(r: Raster2D, sdf: Sdf2, box: Box2, value: number, edgeMm?: number): void {
  const [sx, sy] = r.spacingMm;
  const edge = edgeMm ?? Math.max(sx, sy);
  const i0 = Math.max(0, Math.ceil((box[0] - edge) / sx));
  const i1 = Math.min(r.width - 1, Math.floor((box[2] + edge) / sx));
  const j0 = Math.max(0, Math.ceil((box[1] - edge) / sy));
  const j1 = Math.min(r.height - 1, Math.floor((box[3] + edge) / sy));
  const reach = 1.5 * Math.hypot((BLOCK * sx) / 2, (BLOCK * sy) / 2) + edge;
  for (let bj = j0; bj <= j1; bj += BLOCK) {
    const bjEnd = Math.min(j1, bj + BLOCK - 1);
    for (let bi = i0; bi <= i1; bi += BLOCK) {
      const biEnd = Math.min(i1, bi + BLOCK - 1);
      const dc = sdf(((bi + biEnd) / 2) * sx, ((bj + bjEnd) / 2) * sy);
      if (dc > reach) continue;
      const uniform = dc < -reach;
      for (let j = bj; j <= bjEnd; j++) {
        for (let i = bi; i <= biEnd; i++) {
          const c = uniform ? 1 : 0.5 - sdf(i * sx, j * sy) / edge;
          if (c > 0) r.data[j * r.width + i] += value * (c > 1 ? 1 : c);
        }
      }
    }
  }
}

/** Adds an isotropic Gaussian bump exp(−|p − c|² / 2σ²) · value, cut at 3.5 σ (separable). */
export function paintGaussian(r: Raster2D, c: Vec2, sigmaMm: number, value: number): void {
  const [sx, sy] = r.spacingMm;
  const reach = 3.5 * sigmaMm;
  const k = -0.5 / (sigmaMm * sigmaMm);
  const i0 = Math.max(0, Math.ceil((c[0] - reach) / sx));
  const i1 = Math.min(r.width - 1, Math.floor((c[0] + reach) / sx));
  const j0 = Math.max(0, Math.ceil((c[1] - reach) / sy));
  const j1 = Math.min(r.height - 1, Math.floor((c[1] + reach) / sy));
  const gx = new Float32Array(Math.max(0, i1 - i0 + 1));
  for (let i = i0; i <= i1; i++) gx[i - i0] = Math.exp(k * (i * sx - c[0]) ** 2);
  for (let j = j0; j <= j1; j++) {
    const gy = value * Math.exp(k * (j * sy - c[1]) ** 2);
    const row = j * r.width;
    for (let i = i0; i <= i1; i++) r.data[row + i] += gy * gx[i - i0];
  }
}

/** Bounding box of points, grown by a margin (mm). */
export function boxOf(points: Vec2[], margin = 0): Box2 {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [
    Math.min(...xs) - margin,
    Math.min(...ys) - margin,
    Math.max(...xs) + margin,
    Math.max(...ys) + margin,
  ];
}

/** Disk of radius r. */
export const sdCircle =
  (c: Vec2, radius: number): Sdf2 =>
  (x, y) =>
    Math.hypot(x - c[0], y - c[1]) - radius;

/** Annulus: circle of radius r drawn with the given thickness. */
export const sdRing =
  (c: Vec2, radius: number, thickness: number): Sdf2 =>
  (x, y) =>
    Math.abs(Math.hypot(x - c[0], y - c[1]) - radius) - thickness / 2;

/** Distance to segment a–b minus half the width (a capsule). */
export function sdCapsule(a: Vec2, b: Vec2, width: number): Sdf2 {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy || 1e-12;
  return (x, y) => {
    const t = Math.min(1, Math.max(0, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
    return Math.hypot(x - a[0] - t * dx, y - a[1] - t * dy) - width / 2;
  };
}

/** Exact signed distance to a simple polygon (any winding; even–odd rule for the inside). */
export function sdPolygon(vertices: Vec2[]): Sdf2 {
  const n = vertices.length;
  return (x, y) => {
    let d2 = Infinity;
    let inside = false;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [ax, ay] = vertices[j];
      const [bx, by] = vertices[i];
      const ex = bx - ax;
      const ey = by - ay;
      const t = Math.min(1, Math.max(0, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
      d2 = Math.min(d2, (x - ax - t * ex) ** 2 + (y - ay - t * ey) ** 2);
      if (ay > y !== by > y && x < ax + ((y - ay) * ex) / ey) inside = !inside;
    }
    return inside ? -Math.sqrt(d2) : Math.sqrt(d2);
  };
}

/**
 * Ellipse with semi-axes (a, b) rotated by θ, first-order distance (f / |∇f|), exact on the boundary;
 * good enough for anti-aliasing and for drawing the ellipse as a shell with |d| − t/2.
 */
export function sdEllipse(c: Vec2, a: number, b: number, theta: number): Sdf2 {
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  return (x, y) => {
    const u = (x - c[0]) * cos + (y - c[1]) * sin;
    const v = -(x - c[0]) * sin + (y - c[1]) * cos;
    const k = Math.hypot(u / a, v / b);
    const grad = Math.hypot(u / (a * a), v / (b * b)) / (k || 1e-12);
    return (k - 1) / (grad || 1e-12);
  };
}

/** Shell of an SDF: |d| − thickness / 2. */
export const shell =
  (sdf: Sdf2, thickness: number): Sdf2 =>
  (x, y) =>
    Math.abs(sdf(x, y)) - thickness / 2;

/** Union of SDFs (minimum). */
export const union =
  (...sdfs: Sdf2[]): Sdf2 =>
  (x, y) =>
    Math.min(...sdfs.map((f) => f(x, y)));
