/**
 * Draws a lateral cephalogram-like attenuation map around 19 ISBI landmarks (mm, image frame, face to
 * the right). Every landmark sits on a structure that identifies it locally (a ring centre, a wedge tip,
 * a corner, a cross, a blob on an edge), inside anatomy-like context (vault, cranial base, palate,
 * mandible, teeth, ear rod, vertebrae, soft-tissue profile) that tells similar markers apart.
 */
import type { Random } from './random.ts';
import {
  boxOf,
  paintGaussian,
  paintSdf,
  sdCapsule,
  sdCircle,
  sdEllipse,
  sdPolygon,
  sdRing,
  type Raster2D,
  type Sdf2,
  type Vec2,
} from './raster2d.ts';

/** Landmark indices (ISBI order, 0-based). */
const S = 0,
  N = 1,
  OR = 2,
  PO = 3,
  A = 4,
  B = 5,
  POG = 6,
  ME = 7,
  GN = 8,
  GO = 9,
  LIT = 10;
const UIT = 11, UL = 12, LL = 13, SN = 14, SPOG = 15, PNS = 16, ANS = 17, AR = 18; // prettier-ignore

/** Landmarks plus the pose's rotation and scale, to place offsets given in the model frame. */
interface Frame {
  points: Vec2[];
  cos: number;
  sin: number;
  scale: number;
}

/** Offset (dx, dy) mm in the model frame (x anterior, y down), rotated and scaled into the image. */
const offset = (f: Frame, dx: number, dy: number): Vec2 => [
  f.scale * (f.cos * dx - f.sin * dy),
  f.scale * (f.sin * dx + f.cos * dy),
];
const at = (f: Frame, i: number, dx = 0, dy = 0): Vec2 => {
  const o = offset(f, dx, dy);
  return [f.points[i][0] + o[0], f.points[i][1] + o[1]];
};
const unit = (v: Vec2): Vec2 => {
  const n = Math.hypot(v[0], v[1]) || 1;
  return [v[0] / n, v[1] / n];
};
const sub = (a: Vec2, b: Vec2): Vec2 => [a[0] - b[0], a[1] - b[1]];

/** Filled isosceles wedge with its apex at `apex`, pointing along unit `dir`. */
function wedge(apex: Vec2, dir: Vec2, length: number, halfAngleDeg: number): Vec2[] {
  const w = length * Math.tan((halfAngleDeg * Math.PI) / 180);
  const base: Vec2 = [apex[0] - dir[0] * length, apex[1] - dir[1] * length];
  return [
    apex,
    [base[0] - dir[1] * w, base[1] + dir[0] * w],
    [base[0] + dir[1] * w, base[1] - dir[0] * w],
  ];
}

/** Square of side `side` with one corner at `corner`, spanning unit directions u and v. */
function cornerSquare(corner: Vec2, u: Vec2, v: Vec2, side: number): Vec2[] {
  const p = (a: number, b: number): Vec2 => [
    corner[0] + side * (a * u[0] + b * v[0]),
    corner[1] + side * (a * u[1] + b * v[1]),
  ];
  return [p(0, 0), p(1, 0), p(1, 1), p(0, 1)];
}

function paintPolygon(r: Raster2D, vertices: Vec2[], value: number): void {
  paintSdf(r, sdPolygon(vertices), boxOf(vertices), value);
}

function paintCross(r: Raster2D, c: Vec2, d1: Vec2, d2: Vec2, half: number, w: number, v: number) {
  for (const d of [d1, d2]) {
    const a: Vec2 = [c[0] - d[0] * half, c[1] - d[1] * half];
    const b: Vec2 = [c[0] + d[0] * half, c[1] + d[1] * half];
    paintSdf(r, sdCapsule(a, b, w), boxOf([a, b], w), v);
  }
}

const paintShape = (r: Raster2D, sdf: Sdf2, points: Vec2[], margin: number, v: number) =>
  paintSdf(r, sdf, boxOf(points, margin), v);

/** Soft tissue, vault, cranial base, vertebrae and a smooth random texture. */
function drawContext(r: Raster2D, f: Frame, rng: Random): void {
  const profile = [
    at(f, N, -30, -130), at(f, N, 14, -110), at(f, N, 10, -45), at(f, N, 8, -2), at(f, ANS, 30, -4), at(f, SN),
    at(f, UL), at(f, UL, -4, 10), at(f, LL), at(f, LL, -8, 10), at(f, SPOG), at(f, ME, 3, 9),
    at(f, ME, -15, 18), at(f, ME, -28, 40), at(f, ME, -26, 160), at(f, GO, -80, 160), at(f, PO, -110, 0),
    at(f, S, -130, -110),
  ]; // prettier-ignore
  paintPolygon(r, profile, 0.18);
  // Vault: an ellipse around the brain, cut below the cranial base (half-plane just below S).
  const centre = at(f, S, -24, -11);
  const theta = Math.atan2(f.sin, f.cos);
  const vault = sdEllipse(centre, 90 * f.scale, 85 * f.scale, theta);
  const down = offset(f, 0, 1 / f.scale);
  const cut = at(f, S, 0, 3);
  const below: Sdf2 = (x, y) => (x - cut[0]) * down[0] + (y - cut[1]) * down[1];
  const vaultBox = boxOf([centre], 95 * f.scale);
  paintSdf(r, (x, y) => Math.max(vault(x, y), below(x, y)), vaultBox, 0.05);
  const rim: Sdf2 = (x, y) => Math.max(Math.abs(vault(x, y)) - 3 * f.scale, below(x, y));
  paintSdf(r, rim, vaultBox, 0.35);
  paintShape(
    r,
    sdCapsule(at(f, N, -1, -2), at(f, N, 4, -32), 5),
    [at(f, N), at(f, N, 4, -32)],
    5,
    0.3,
  );
  const base = [at(f, S, 7, -5), at(f, N, -5, 3)];
  paintShape(r, sdCapsule(base[0], base[1], 3), base, 3, 0.2);
  const clivus = [at(f, S, -3, 6), at(f, AR, 12, 14)];
  paintShape(r, sdCapsule(clivus[0], clivus[1], 5), clivus, 5, 0.2);
  for (let k = 0; k < 7; k++) {
    // Cervical vertebral bodies: rounded blocks down the neck, behind the ramus.
    const c = at(f, GO, -22 - 2 * k, -12 + 14 * k);
    const corners = [[-5, -4], [5, -4], [5, 4], [-5, 4]].map(([dx, dy]) => {
      const o = offset(f, dx, dy);
      return [c[0] + o[0], c[1] + o[1]] as Vec2;
    }); // prettier-ignore
    const body = sdPolygon(corners);
    paintShape(r, (x, y) => body(x, y) - 1.5, corners, 3, 0.22);
  }
  for (let k = 0; k < 6; k++) {
    const c: Vec2 = [
      rng.uniform(0, r.width * r.spacingMm[0]),
      rng.uniform(0, r.height * r.spacingMm[1]),
    ];
    paintGaussian(r, c, rng.uniform(15, 35), rng.uniform(-0.04, 0.06));
  }
}

/** Palate, maxilla, mandible, teeth, orbit and ear rod. */
function drawSkeleton(r: Raster2D, f: Frame): void {
  const p = f.points;
  const palate = [
    p[PNS],
    at(f, PNS, 12, -3),
    at(f, ANS, -8, -2),
    p[ANS],
    at(f, ANS, -8, 4),
    at(f, PNS, 12, 4),
  ];
  paintPolygon(r, palate, 0.35);
  const maxilla = [
    at(f, ANS, -6, 3),
    p[A],
    at(f, UIT, -2, -9),
    at(f, UIT, -12, -8),
    at(f, PNS, 6, 5),
  ];
  paintPolygon(r, maxilla, 0.15);
  const mandible = [p[AR], p[GO], p[ME], p[GN], p[POG], p[B]];
  for (let k = 0; k + 1 < mandible.length; k++) {
    const seg = [mandible[k], mandible[k + 1]];
    paintShape(r, sdCapsule(seg[0], seg[1], 4.5 * f.scale), seg, 5, 0.28);
  }
  paintPolygon(r, [p[B], p[POG], p[GN], p[ME], at(f, ME, -14, -4), at(f, B, -10, 0)], 0.15);
  const ramus = [at(f, AR, 2, 2), at(f, GO, 10, -4), at(f, GO, 16, 2), at(f, AR, 12, 6)];
  paintPolygon(r, ramus, 0.12);
  const upper = unit(sub(p[UIT], p[A]));
  const lower = unit(sub(p[LIT], p[B]));
  paintPolygon(r, wedge(p[UIT], upper, 22 * f.scale, 13), 0.5);
  paintGaussian(r, p[UIT], 0.7, 0.35); // enamel tip: tells the two incisal points apart
  paintPolygon(r, wedge(p[LIT], lower, 20 * f.scale, 7), 0.3);
  for (const c of [at(f, PNS, 14, 12), at(f, GO, 28, -6)]) {
    paintShape(r, sdCircle(c, 4.5 * f.scale), [c], 5 * f.scale, 0.25); // molars
  }
  const orbit = at(f, OR, 0, -13);
  paintShape(r, sdRing(orbit, 13 * f.scale, 1.5), [orbit], 15 * f.scale, 0.14);
  const rod = at(f, PO, 0, 4.5);
  paintShape(r, sdRing(rod, 4.5 * f.scale, 1.6), [rod], 6 * f.scale, 0.7);
}

/** The per-landmark identifying markers, with intensities jittered per study. */
function drawMarkers(r: Raster2D, f: Frame, rng: Random): void {
  const p = f.points;
  const v = (base: number) => base * rng.uniform(0.85, 1.15);
  const dir = (dx: number, dy: number) => unit(offset(f, dx, dy));
  paintShape(r, sdRing(p[S], 5 * f.scale, 1.6), [p[S]], 7 * f.scale, v(0.55));
  paintPolygon(r, wedge(p[N], dir(1, 0), 7 * f.scale, 22), v(0.45));
  paintGaussian(r, p[OR], 1.3, v(0.5));
  paintGaussian(r, p[PO], 0.8, v(0.4));
  paintPolygon(r, cornerSquare(p[A], dir(-1, 0), dir(0, 1), 4 * f.scale), v(0.4));
  paintPolygon(r, cornerSquare(p[B], dir(-1, 0), dir(0, -1), 4 * f.scale), v(0.4));
  paintGaussian(r, p[POG], 1.2, v(0.55));
  paintPolygon(r, wedge(p[ME], dir(0, 1), 6 * f.scale, 25), v(0.45));
  paintCross(r, p[GN], dir(1, 1), dir(1, -1), 2.6 * f.scale, 0.9, v(0.45));
  paintPolygon(r, cornerSquare(p[GO], dir(0, -1), dir(1, 0), 6 * f.scale), v(0.35));
  paintGaussian(r, p[UL], 1.6, v(0.22));
  paintGaussian(r, p[LL], 1.6, v(0.22));
  paintPolygon(r, cornerSquare(p[SN], dir(-1, 0), dir(0, -1), 3 * f.scale), v(0.22));
  paintGaussian(r, p[SPOG], 1.6, v(0.22));
  paintPolygon(r, wedge(p[PNS], dir(-1, 0), 7 * f.scale, 18), v(0.4));
  paintPolygon(r, wedge(p[ANS], dir(1, 0), 7 * f.scale, 18), v(0.4));
  const ramus = unit(sub(p[GO], p[AR]));
  const base = unit(sub(p[S], p[AR]));
  paintCross(r, p[AR], ramus, base, 3 * f.scale, 1, v(0.45));
}

/** Landmark-like distractors (rings, blobs, wedges) at least 12 mm from every landmark. */
function drawDistractors(r: Raster2D, f: Frame, rng: Random, count: number): void {
  const w = r.width * r.spacingMm[0];
  const h = r.height * r.spacingMm[1];
  for (let k = 0, tries = 0; k < count && tries < 200; tries++) {
    const c: Vec2 = [rng.uniform(0.1 * w, 0.9 * w), rng.uniform(0.1 * h, 0.9 * h)];
    if (f.points.some((q) => Math.hypot(q[0] - c[0], q[1] - c[1]) < 12)) continue;
    const type = rng.int(3);
    if (type === 0) paintShape(r, sdRing(c, rng.uniform(3, 5), 1.4), [c], 7, rng.uniform(0.2, 0.5));
    else if (type === 1) paintGaussian(r, c, rng.uniform(1, 1.8), rng.uniform(0.2, 0.5));
    else
      paintPolygon(r, wedge(c, unit([rng.normal(), rng.normal()]), 7, 20), rng.uniform(0.2, 0.4));
    k++;
  }
}

/**
 * Paints the whole cephalogram attenuation map.
 * @param points 19 landmarks in image millimetres (ISBI order).
 * @param rotationRad in-plane rotation of the pose; @param scale its scale (orients and sizes parts).
 */
export default function drawCephalogramAnatomy(
  r: Raster2D,
  points: Vec2[],
  rotationRad: number,
  scale: number,
  rng: Random,
  distractors: number,
): void {
  const f: Frame = { points, cos: Math.cos(rotationRad), sin: Math.sin(rotationRad), scale };
  drawContext(r, f, rng);
  drawSkeleton(r, f);
  drawMarkers(r, f, rng);
  drawDistractors(r, f, rng, distractors);
}
