/**
 * Minimal 3D rasteriser of signed-distance shapes, in millimetres, into a Float32Array attenuation
 * volume (x fastest, then y, then z). Same approach as raster2d.ts: anti-aliased coverage, 4³ blocks
 * skipped or filled whole when their centre is far from the boundary.
 */

export type Vec3 = [number, number, number];

/** Float volume whose voxel (i, j, k) centre is at (i · sx, j · sy, k · sz) mm. */
export interface Raster3D {
  data: Float32Array;
  dims: [number, number, number];
  spacingMm: [number, number, number];
}

/** Signed distance in mm: negative inside. */
export type Sdf3 = (x: number, y: number, z: number) => number;

const BLOCK = 4;

export const createRaster3D = (
  dims: [number, number, number],
  spacingMm: [number, number, number],
): Raster3D => ({ data: new Float32Array(dims[0] * dims[1] * dims[2]), dims, spacingMm });

/** Index range [lo, hi] of voxel centres within [minMm, maxMm] along an axis. */
function range(r: Raster3D, axis: number, minMm: number, maxMm: number): [number, number] {
  const s = r.spacingMm[axis];
  return [Math.max(0, Math.ceil(minMm / s)), Math.min(r.dims[axis] - 1, Math.floor(maxMm / s))];
}

/**
 * Adds value × coverage, coverage = clamp(0.5 − d / edge, 0, 1), over voxels within `reachMm` of
 * `centre` (a cube); the SDFs used are (close to) 1-Lipschitz, which the block skipping relies on.
 */
export function paintSdf3(
  r: Raster3D,
  sdf: Sdf3,
  centre: Vec3,
  reachMm: number,
  value: number,
): void {
  const [sx, sy, sz] = r.spacingMm;
  const edge = Math.max(sx, sy, sz);
  const [[i0, i1], [j0, j1], [k0, k1]] = [0, 1, 2].map((a) =>
    range(r, a, centre[a] - reachMm - edge, centre[a] + reachMm + edge),
  );
  const blockReach = 1.5 * Math.hypot(BLOCK * sx, BLOCK * sy, BLOCK * sz) * 0.5 + edge;
  const [nx, ny] = r.dims;
  for (let bk = k0; bk <= k1; bk += BLOCK) {
    const bkEnd = Math.min(k1, bk + BLOCK - 1);
    for (let bj = j0; bj <= j1; bj += BLOCK) {
      const bjEnd = Math.min(j1, bj + BLOCK - 1);
      for (let bi = i0; bi <= i1; bi += BLOCK) {
        const biEnd = Math.min(i1, bi + BLOCK - 1);
        const dc = sdf(((bi + biEnd) / 2) * sx, ((bj + bjEnd) / 2) * sy, ((bk + bkEnd) / 2) * sz);
        if (dc > blockReach) continue;
        const uniform = dc < -blockReach;
        for (let k = bk; k <= bkEnd; k++) {
          for (let j = bj; j <= bjEnd; j++) {
            const row = (k * ny + j) * nx;
            for (let i = bi; i <= biEnd; i++) {
              const c = uniform ? 1 : 0.5 - sdf(i * sx, j * sy, k * sz) / edge;
              if (c > 0) r.data[row + i] += value * (c > 1 ? 1 : c);
            }
          }
        }
      }
    }
  }
}

/** Adds value · exp(−|p − c|² / 2σ²), cut at 3.5 σ (separable). */
export function paintGaussian3(r: Raster3D, c: Vec3, sigmaMm: number, value: number): void {
  const reach = 3.5 * sigmaMm;
  const k2 = -0.5 / (sigmaMm * sigmaMm);
  const ranges = [0, 1, 2].map((a) => range(r, a, c[a] - reach, c[a] + reach));
  const factors = ranges.map(([lo, hi], a) =>
    Float32Array.from({ length: Math.max(0, hi - lo + 1) }, (_, t) =>
      Math.exp(k2 * ((lo + t) * r.spacingMm[a] - c[a]) ** 2),
    ),
  );
  const [nx, ny] = r.dims;
  const [[i0, i1], [j0, j1], [k0, k1]] = ranges;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      const f = value * factors[2][k - k0] * factors[1][j - j0];
      const row = (k * ny + j) * nx;
      for (let i = i0; i <= i1; i++) r.data[row + i] += f * factors[0][i - i0];
    }
  }
}

export const add3 = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub3 = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale3 = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const len3 = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);
export const unit3 = (a: Vec3): Vec3 => scale3(a, 1 / (len3(a) || 1));

/** Ball of radius r. */
export const sdSphere =
  (c: Vec3, radius: number): Sdf3 =>
  (x, y, z) =>
    Math.hypot(x - c[0], y - c[1], z - c[2]) - radius;

/** Hollow sphere: radius r, wall thickness t. */
export const sdSphereShell =
  (c: Vec3, radius: number, thickness: number): Sdf3 =>
  (x, y, z) =>
    Math.abs(Math.hypot(x - c[0], y - c[1], z - c[2]) - radius) - thickness / 2;

/** Segment a–b thickened to diameter w. */
export function sdCapsule3(a: Vec3, b: Vec3, width: number): Sdf3 {
  const d = sub3(b, a);
  const l2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2 || 1e-12;
  return (x, y, z) => {
    const px = x - a[0];
    const py = y - a[1];
    const pz = z - a[2];
    const t = Math.min(1, Math.max(0, (px * d[0] + py * d[1] + pz * d[2]) / l2));
    return Math.hypot(px - t * d[0], py - t * d[1], pz - t * d[2]) - width / 2;
  };
}

/** Solid cone with its apex at `apex`, pointing along unit `dir`, length L, half-angle α (rad). */
export function sdCone(apex: Vec3, dir: Vec3, length: number, alpha: number): Sdf3 {
  const [ca, sa] = [Math.cos(alpha), Math.sin(alpha)];
  return (x, y, z) => {
    const q: Vec3 = [x - apex[0], y - apex[1], z - apex[2]];
    const h = -(q[0] * dir[0] + q[1] * dir[1] + q[2] * dir[2]); // depth behind the apex
    const rho = Math.hypot(q[0] + h * dir[0], q[1] + h * dir[1], q[2] + h * dir[2]);
    return Math.max(rho * ca - h * sa, -h, h - length);
  };
}

/** Torus: circle of radius R around unit `axis` through c, tube radius t. */
export function sdTorus(c: Vec3, axis: Vec3, radius: number, tube: number): Sdf3 {
  return (x, y, z) => {
    const q: Vec3 = [x - c[0], y - c[1], z - c[2]];
    const h = q[0] * axis[0] + q[1] * axis[1] + q[2] * axis[2];
    const radial = Math.hypot(q[0] - h * axis[0], q[1] - h * axis[1], q[2] - h * axis[2]);
    return Math.hypot(radial - radius, h) - tube;
  };
}

/** Coordinates of p − c along three orthonormal axes. */
const local = (axes: Vec3[], c: Vec3, x: number, y: number, z: number) =>
  axes.map((a) => (x - c[0]) * a[0] + (y - c[1]) * a[1] + (z - c[2]) * a[2]);

/** Box centred at c with half extents h along orthonormal axes (exact distance). */
export function sdBox(c: Vec3, half: Vec3, axes: Vec3[]): Sdf3 {
  return (x, y, z) => {
    const u = local(axes, c, x, y, z);
    const q = u.map((v, a) => Math.abs(v) - half[a]);
    const outside = Math.hypot(Math.max(q[0], 0), Math.max(q[1], 0), Math.max(q[2], 0));
    return outside + Math.min(Math.max(q[0], q[1], q[2]), 0);
  };
}

/** Ellipsoid centred at c with radii along orthonormal axes (first-order distance f / |∇f|). */
export function sdEllipsoid(c: Vec3, radii: Vec3, axes: Vec3[]): Sdf3 {
  return (x, y, z) => {
    const u = local(axes, c, x, y, z).map((v, a) => v / radii[a]);
    const k = Math.hypot(u[0], u[1], u[2]);
    const g = Math.hypot(u[0] / radii[0], u[1] / radii[1], u[2] / radii[2]) / (k || 1e-12);
    return (k - 1) / (g || 1e-12);
  };
}

/**
 * Like {@link paintSdf3} but replaces instead of adding, in layers from one SDF evaluation: for each
 * layer in order, data ← data + (value − data) · coverage of {d + inset < 0}, so later structures
 * overwrite earlier ones (painter's order) and a shell (inset 0) can hold a softer core (inset > 0).
 */
export function setSdf3(
  r: Raster3D,
  sdf: Sdf3,
  centre: Vec3,
  reachMm: number,
  layers: { inset: number; value: number }[],
): void {
  const [sx, sy, sz] = r.spacingMm;
  const edge = Math.max(sx, sy, sz);
  const [[i0, i1], [j0, j1], [k0, k1]] = [0, 1, 2].map((a) =>
    range(r, a, centre[a] - reachMm - edge, centre[a] + reachMm + edge),
  );
  const deepest = Math.max(0, ...layers.map((l) => l.inset));
  const last = layers[layers.length - 1].value;
  const insets = Float64Array.from(layers, (l) => l.inset);
  const values = Float64Array.from(layers, (l) => l.value);
  const [nx, ny] = r.dims;
  const d = r.data;
  // Blocks of 8³ voxels, then 2³: skipped when the centre is farther than 1.5 × the half-diagonal
  // (+ one voxel of anti-aliasing) outside, filled whole when as far inside, else split.
  const block = (a0: number, a1: number, b0: number, b1: number, c0: number, c1: number) => {
    const dc = sdf(((a0 + a1) / 2) * sx, ((b0 + b1) / 2) * sy, ((c0 + c1) / 2) * sz);
    const reach = 0.75 * Math.hypot((a1 - a0 + 1) * sx, (b1 - b0 + 1) * sy, (c1 - c0 + 1) * sz) + edge; // prettier-ignore
    if (dc > reach) return;
    const uniform = dc < -reach - deepest;
    if (!uniform && a1 - a0 > 1) {
      for (let c = c0; c <= c1; c += 2) {
        for (let b = b0; b <= b1; b += 2) {
          for (let a = a0; a <= a1; a += 2) {
            block(a, Math.min(a1, a + 1), b, Math.min(b1, b + 1), c, Math.min(c1, c + 1));
          }
        }
      }
      return;
    }
    for (let k = c0; k <= c1; k++) {
      for (let j = b0; j <= b1; j++) {
        const row = (k * ny + j) * nx;
        for (let i = a0; i <= a1; i++) {
          if (uniform) {
            d[row + i] = last;
            continue;
          }
          const dist = sdf(i * sx, j * sy, k * sz);
          for (let l = 0; l < insets.length; l++) {
            const cov = 0.5 - (dist + insets[l]) / edge;
            if (cov > 0) d[row + i] += (values[l] - d[row + i]) * (cov > 1 ? 1 : cov);
          }
        }
      }
    }
  };
  const B = 8;
  for (let k = k0; k <= k1; k += B) {
    for (let j = j0; j <= j1; j += B) {
      for (let i = i0; i <= i1; i += B) {
        block(i, Math.min(i1, i + B - 1), j, Math.min(j1, j + B - 1), k, Math.min(k1, k + B - 1));
      }
    }
  }
}
