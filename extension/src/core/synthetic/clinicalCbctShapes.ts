/**
 * Shared pieces of the clinical CBCT drawing (clinicalCbctSkull.ts, clinicalCbctJaws.ts): tissue
 * attenuations, the head frame the landmarks are placed in, and a few signed-distance shapes the
 * generic raster3d.ts does not have. Attenuation is relative to water (μ / μ_water), so
 * HU = 1000 · (μ − 1); acquireClinicalCbct.ts turns it into stored values.
 */
import type { Random } from './random.ts';
import { add3, scale3, setSdf3, type Raster3D, type Sdf3, type Vec3 } from './raster3d.ts';

/** μ / μ_water of each tissue class (HU = 1000 · (value − 1)). */
export const TISSUE = {
  air: 0,
  fat: 0.9,
  soft: 1.04,
  brain: 1.035,
  cancellous: 1.45,
  diploe: 1.6,
  cortical: 2.3,
  dentin: 2.8,
  enamel: 3.5,
  metal: 8,
} as const;

/** Landmark indices in CBCT_LANDMARKS order. */
export const S = 0, N = 1, BA = 2, ANS = 3, PNS = 4, A = 5, B = 6, POG = 7, ME = 8, OR_R = 9, OR_L = 10; // prettier-ignore
export const PO_R = 11, PO_L = 12, GO_R = 13, GO_L = 14, CO_R = 15, CO_L = 16, UIT = 17; // prettier-ignore

/** The placed landmarks and the pose's axes: everything is drawn relative to them. */
export interface HeadFrame {
  /** 18 landmarks, volume mm. */
  points: Vec3[];
  /** Rotated x (patient left), y (posterior), z (superior) axes. */
  axes: Vec3[];
  /** Pose scale (model mm → volume mm). */
  scale: number;
}

/** A very dense object (metal filling) the acquisition draws streaks between, volume mm. */
export interface DenseObject {
  centre: Vec3;
  radiusMm: number;
}

/** Offset given in the head frame (x left, y posterior, z superior; model mm), rotated and scaled. */
export const off = (f: HeadFrame, dx: number, dy: number, dz: number): Vec3 =>
  [0, 1, 2].map(
    (a) => f.scale * (dx * f.axes[0][a] + dy * f.axes[1][a] + dz * f.axes[2][a]),
  ) as Vec3;

/** Landmark i moved by a head-frame offset (model mm). */
export const at = (f: HeadFrame, i: number, dx = 0, dy = 0, dz = 0): Vec3 =>
  add3(f.points[i], off(f, dx, dy, dz));

/** Head-frame coordinates (model mm) of a volume point relative to `origin`. */
export function toFrame(f: HeadFrame, origin: Vec3, x: number, y: number, z: number): Vec3 {
  const [px, py, pz] = [x - origin[0], y - origin[1], z - origin[2]];
  const [ax, ay, az] = f.axes;
  const s = 1 / f.scale;
  return [
    (px * ax[0] + py * ax[1] + pz * ax[2]) * s,
    (px * ay[0] + py * ay[1] + pz * ay[2]) * s,
    (px * az[0] + py * az[1] + pz * az[2]) * s,
  ];
}

/**
 * A shape given in head-frame model mm around `origin`, as a volume-mm SDF (distances scaled back).
 */
export function inFrame(
  f: HeadFrame,
  origin: Vec3,
  local: (u: number, v: number, w: number) => number,
): Sdf3 {
  const [[a0, a1, a2], [b0, b1, b2], [c0, c1, c2]] = f.axes;
  const [o0, o1, o2] = origin;
  const inv = 1 / f.scale;
  return (x, y, z) => {
    const px = x - o0;
    const py = y - o1;
    const pz = z - o2;
    return (
      local(
        (px * a0 + py * a1 + pz * a2) * inv,
        (px * b0 + py * b1 + pz * b2) * inv,
        (px * c0 + py * c1 + pz * c2) * inv,
      ) * f.scale
    );
  };
}

/** Ellipse-ish distance of (u, v) to an axis-aligned ellipse with semi-axes a, b (underestimates). */
export const ellipse2 = (u: number, v: number, a: number, b: number): number => {
  const x = u / a;
  const y = v / b;
  return (Math.sqrt(x * x + y * y) - 1) * (a < b ? a : b);
};

/** Ellipsoid in head-frame model mm, centred at the origin (underestimated distance). */
export const ellipsoid3 = (u: number, v: number, w: number, a: number, b: number, c: number) => {
  const x = u / a;
  const y = v / b;
  const z = w / c;
  return (Math.sqrt(x * x + y * y + z * z) - 1) * Math.min(a, b, c);
};

/**
 * Segment a–b (volume mm) with an elliptical section and flat ends: half-width `wide` along `wideDir`
 * (made perpendicular to the segment), `thin` across; [at a, at b], linearly in between.
 */
export function sdFlatCapsule(
  a: Vec3,
  b: Vec3,
  wideDir: Vec3,
  wide: [number, number],
  thin: [number, number],
): Sdf3 {
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const len = Math.hypot(...d) || 1e-6;
  const along = scale3(d, 1 / len);
  const dot = wideDir[0] * along[0] + wideDir[1] * along[1] + wideDir[2] * along[2];
  let w: Vec3 = [0, 1, 2].map((k) => wideDir[k] - dot * along[k]) as Vec3;
  w = scale3(w, 1 / (Math.hypot(...w) || 1));
  const n: Vec3 = [
    along[1] * w[2] - along[2] * w[1],
    along[2] * w[0] - along[0] * w[2],
    along[0] * w[1] - along[1] * w[0],
  ];
  const [a0, a1, a2] = a;
  const [l0, l1, l2] = along;
  const [w0, w1, w2] = w;
  const [n0, n1, n2] = n;
  const [wa, wd, ta, td] = [wide[0], wide[1] - wide[0], thin[0], thin[1] - thin[0]];
  return (x, y, z) => {
    const px = x - a0;
    const py = y - a1;
    const pz = z - a2;
    const h = px * l0 + py * l1 + pz * l2;
    const t = h < 0 ? 0 : h > len ? 1 : h / len;
    const section = ellipse2(px * w0 + py * w1 + pz * w2, px * n0 + py * n1 + pz * n2, wa + wd * t, ta + td * t); // prettier-ignore
    return Math.max(section, -h, h - len);
  };
}

/** Tapered capsule: radius ra at a, rb at b (approximate distance). */
export function sdRoundCone(a: Vec3, b: Vec3, ra: number, rb: number): Sdf3 {
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const l2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] || 1e-12;
  const [a0, a1, a2] = a;
  const [d0, d1, d2] = d;
  return (x, y, z) => {
    const px = x - a0;
    const py = y - a1;
    const pz = z - a2;
    const h = (px * d0 + py * d1 + pz * d2) / l2;
    const t = h < 0 ? 0 : h > 1 ? 1 : h;
    const qx = px - t * d0;
    const qy = py - t * d1;
    const qz = pz - t * d2;
    return Math.sqrt(qx * qx + qy * qy + qz * qz) - (ra + (rb - ra) * t);
  };
}

/** Paints `sdf` with `value` (replacing), searching a cube of half-side `reach` mm around `c`. */
export const put = (r: Raster3D, sdf: Sdf3, c: Vec3, reach: number, value: number): void =>
  setSdf3(r, sdf, c, reach, [{ inset: 0, value }]);

/** A bone: a cortical shell `cortexMm` thick around a softer interior, in one pass. */
export function putBone(
  r: Raster3D,
  sdf: Sdf3,
  c: Vec3,
  reach: number,
  cortexMm: number,
  interior: number = TISSUE.cancellous,
): void {
  setSdf3(r, sdf, c, reach, [
    { inset: 0, value: TISSUE.cortical },
    { inset: cortexMm, value: interior },
  ]);
}

/** A cavity with a cortical lining `liningMm` thick, filled with `content`, in one pass. */
export function putCavity(
  r: Raster3D,
  sdf: Sdf3,
  c: Vec3,
  reach: number,
  liningMm: number,
  content: number,
): void {
  setSdf3(r, (x, y, z) => sdf(x, y, z) - liningMm, c, reach + liningMm, [
    { inset: 0, value: TISSUE.cortical },
    { inset: liningMm, value: content },
  ]);
}

/** A shape with a bounding sphere (volume mm), for {@link union}. */
export interface Bounded {
  sdf: Sdf3;
  centre: Vec3;
  radius: number;
}

/** Bounding sphere of a segment a–b thickened by `thickness`. */
export const bound = (sdf: Sdf3, a: Vec3, b: Vec3, thickness: number): Bounded => ({
  sdf,
  centre: scale3(add3(a, b), 0.5),
  radius: Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) / 2 + thickness,
});

/** Union of SDFs; a part whose bounding sphere is farther than the best distance so far is skipped. */
export const union = (...parts: (Sdf3 | Bounded)[]): Sdf3 => {
  const list = parts.map((p) =>
    typeof p === 'function' ? { sdf: p, centre: [0, 0, 0] as Vec3, radius: Infinity } : p,
  );
  return (x, y, z) => {
    let d = Infinity;
    for (let k = 0; k < list.length; k++) {
      const p = list[k];
      if (p.radius !== Infinity) {
        const dx = x - p.centre[0];
        const dy = y - p.centre[1];
        const dz = z - p.centre[2];
        if (Math.sqrt(dx * dx + dy * dy + dz * dz) - p.radius >= d) continue;
      }
      const v = p.sdf(x, y, z);
      if (v < d) d = v;
    }
    return d;
  };
};

/** {@link sdFlatCapsule} with its bounding sphere, for {@link union}. */
export const flat = (
  a: Vec3,
  b: Vec3,
  wideDir: Vec3,
  wide: [number, number],
  thin: [number, number],
): Bounded => bound(sdFlatCapsule(a, b, wideDir, wide, thin), a, b, Math.max(...wide, ...thin));

/**
 * Trabecular grain: cancellous bone and diploë (μ between soft tissue and cortex) get per-voxel
 * Gaussian variation of `sd` (μ units), which the reconstruction blur turns into a fine texture.
 */
export function addTrabeculae(r: Raster3D, rng: Random, sd = 0.22): void {
  const table = Float32Array.from({ length: 4096 }, () => rng.normal(0, sd));
  const d = r.data;
  for (let k = 0; k < d.length; k++) {
    const m = d[k];
    if (m > 1.25 && m < 1.75) d[k] = m + table[(rng.next() * 4096) | 0];
  }
}
