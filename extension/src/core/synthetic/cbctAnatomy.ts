/**
 * Draws a CBCT-like attenuation volume around the 18 CBCT landmarks (mm, LPS volume frame): each
 * landmark sits on a structure that identifies it locally (shell centre, cone tip, torus top, box
 * vertex, small dense ball), inside context (soft tissue, vault, palate, mandible, orbits, vertebrae).
 * Attenuation scale: soft tissue ≈ 0.3, bone adds ≈ 0.4–0.7 (see acquire.ts).
 */
import type { Random } from './random.ts';
import {
  add3,
  paintGaussian3,
  paintSdf3,
  scale3,
  sdBox,
  sdCapsule3,
  sdCone,
  sdEllipsoid,
  sdSphere,
  sdSphereShell,
  sdTorus,
  sub3,
  unit3,
  len3,
  type Raster3D,
  type Sdf3,
  type Vec3,
} from './raster3d.ts';

/** Landmark indices in CBCT_LANDMARKS order. */
const S = 0, N = 1, BA = 2, ANS = 3, PNS = 4, A = 5, B = 6, POG = 7, ME = 8, OR_R = 9, OR_L = 10; // prettier-ignore
const PO_R = 11, PO_L = 12, GO_R = 13, GO_L = 14, CO_R = 15, CO_L = 16, UIT = 17; // prettier-ignore

interface Frame {
  points: Vec3[];
  /** Rotated x (patient left), y (posterior), z (superior) axes. */
  axes: Vec3[];
  scale: number;
}

/** Offset given in the model frame (x left, y posterior, z superior; mm), rotated and scaled. */
const off = (f: Frame, dx: number, dy: number, dz: number): Vec3 =>
  [0, 1, 2].map(
    (a) => f.scale * (dx * f.axes[0][a] + dy * f.axes[1][a] + dz * f.axes[2][a]),
  ) as Vec3;
const at = (f: Frame, i: number, dx = 0, dy = 0, dz = 0): Vec3 =>
  add3(f.points[i], off(f, dx, dy, dz));
const mid = (a: Vec3, b: Vec3): Vec3 => scale3(add3(a, b), 0.5);
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

function paint(r: Raster3D, sdf: Sdf3, centre: Vec3, reach: number, value: number): void {
  paintSdf3(r, sdf, centre, reach, value);
}

function capsule(r: Raster3D, a: Vec3, b: Vec3, width: number, value: number): void {
  paint(r, sdCapsule3(a, b, width), mid(a, b), len3(sub3(b, a)) / 2 + width, value);
}

/** Soft tissue, vault, vertebrae and smooth texture. */
function drawContext(r: Raster3D, f: Frame, rng: Random): void {
  const s = f.scale;
  const head = at(f, S, 0, 22, -15);
  paint(r, sdEllipsoid(head, [78 * s, 100 * s, 115 * s], f.axes), head, 120 * s, 0.3);
  const vaultCentre = at(f, S, 0, 24, 11);
  const vault = sdEllipsoid(vaultCentre, [70 * s, 90 * s, 85 * s], f.axes);
  const cut = at(f, S, 0, 0, -3);
  const up = f.axes[2];
  const below: Sdf3 = (x, y, z) =>
    -((x - cut[0]) * up[0] + (y - cut[1]) * up[1] + (z - cut[2]) * up[2]);
  paint(r, (x, y, z) => Math.max(vault(x, y, z), below(x, y, z)), vaultCentre, 95 * s, 0.05);
  const rim: Sdf3 = (x, y, z) => Math.max(Math.abs(vault(x, y, z)) - 3 * s, below(x, y, z));
  paint(r, rim, vaultCentre, 95 * s, 0.55);
  const goMid = mid(f.points[GO_R], f.points[GO_L]);
  for (let k = 0; k < 3; k++) {
    const c = add3(goMid, off(f, 0, 22, 12 - 15 * k));
    paint(r, sdBox(c, [8 * s, 7 * s, 5 * s], f.axes), c, 12 * s, 0.45);
  }
  for (let k = 0; k < 5; k++) {
    const c: Vec3 = [0, 1, 2].map((a) => rng.uniform(0, r.dims[a] * r.spacingMm[a])) as Vec3;
    paintGaussian3(r, c, rng.uniform(20, 40), rng.uniform(-0.04, 0.05));
  }
}

/** Palate, maxilla, mandible, orbits and cranial base. */
function drawSkeleton(r: Raster3D, f: Frame): void {
  const p = f.points;
  const s = f.scale;
  const long = unit3(sub3(p[ANS], p[PNS]));
  const side = unit3(
    sub3(
      f.axes[0],
      scale3(
        long,
        f.axes[0].reduce((t, v, a) => t + v * long[a], 0),
      ),
    ),
  );
  const palateAxes = [long, side, cross(long, side)];
  const half = len3(sub3(p[ANS], p[PNS])) / 2;
  const palate = mid(p[PNS], p[ANS]);
  paint(r, sdEllipsoid(palate, [half, 18 * s, 3 * s], palateAxes), palate, half + 5, 0.5);
  const maxilla = add3(palate, off(f, 0, -5, -12));
  paint(r, sdEllipsoid(maxilla, [25 * s, 22 * s, 11 * s], f.axes), maxilla, 30 * s, 0.2);
  for (const [go, co, sign] of [
    [GO_R, CO_R, 1],
    [GO_L, CO_L, -1],
  ]) {
    capsule(r, p[go], p[ME], 8 * s, 0.4);
    // Ramus up to a condylar head whose top is condylion.
    const head = at(f, co, 0, 0, -5);
    capsule(r, p[go], head, 8 * s, 0.4);
    paint(r, sdSphere(head, 5 * s), head, 7 * s, 0.3);
    // Gonion: vertex of a dense block inside the mandibular angle (medial, anterior, superior).
    const c = at(f, go, sign * 4, -4, 4);
    paint(r, sdBox(c, [4 * s, 4 * s, 4 * s], f.axes), c, 8 * s, 0.45);
  }
  capsule(r, p[B], p[POG], 6 * s, 0.3);
  capsule(r, p[POG], p[ME], 6 * s, 0.3);
  capsule(r, at(f, S, 0, -6, 4), at(f, N, 0, 6, -2), 5 * s, 0.3);
  capsule(r, at(f, S, 0, 6, -6), p[BA], 7 * s, 0.3); // clivus, ending at basion
  const tooth = at(f, UIT, 0, 2, 20);
  capsule(r, tooth, at(f, UIT, 0, 0, 4), 6 * s, 0.35); // upper incisor above its tip
  for (const or of [OR_R, OR_L]) {
    const c = at(f, or, 0, 0, 14);
    paint(r, sdSphereShell(c, 14 * s, 2.5), c, 17 * s, 0.2);
  }
}

/** The per-landmark markers, intensities jittered per study. */
function drawMarkers(r: Raster3D, f: Frame, rng: Random): void {
  const p = f.points;
  const s = f.scale;
  const v = (base: number) => base * rng.uniform(0.85, 1.15);
  const anterior = scale3(f.axes[1], -1);
  paint(r, sdSphereShell(p[S], 6 * s, 3), p[S], 9 * s, v(0.7));
  paint(r, sdCone(p[N], anterior, 10 * s, 0.45), p[N], 11 * s, v(0.6));
  capsule(r, p[N], at(f, N, 0, 4, 35), 6 * s, 0.45);
  paint(r, sdCone(p[ANS], anterior, 9 * s, 0.35), p[ANS], 10 * s, v(0.6));
  paint(r, sdCone(p[PNS], f.axes[1], 9 * s, 0.35), p[PNS], 10 * s, v(0.6));
  paint(r, sdSphere(p[A], 3 * s), p[A], 5 * s, v(0.7));
  paint(r, sdSphereShell(p[B], 4 * s, 2.5), p[B], 7 * s, v(0.6));
  paintGaussian3(r, p[POG], 2.2, v(0.9));
  paint(r, sdCone(p[ME], scale3(f.axes[2], -1), 10 * s, 0.5), p[ME], 11 * s, v(0.6));
  for (const po of [PO_R, PO_L]) {
    const c = at(f, po, 0, 0, -5);
    paint(r, sdTorus(c, f.axes[0], 5 * s, 1.5), c, 8 * s, v(0.8));
  }
  for (const or of [OR_R, OR_L]) paintGaussian3(r, p[or], 2, v(0.8));
  const clivus = unit3(sub3(p[BA], at(f, S, 0, 6, -6)));
  paint(r, sdCone(p[BA], clivus, 9 * s, 0.4), p[BA], 10 * s, v(0.6));
  for (const co of [CO_R, CO_L]) paintGaussian3(r, p[co], 1.8, v(0.6));
  paint(r, sdCone(p[UIT], scale3(f.axes[2], -1), 8 * s, 0.35), p[UIT], 9 * s, v(0.6));
}

/** Distractor balls and shells ≥ 15 mm from every landmark, inside the field. */
function drawDistractors(r: Raster3D, f: Frame, rng: Random, count: number): void {
  for (let k = 0, tries = 0; k < count && tries < 200; tries++) {
    const c = [0, 1, 2].map((a) => rng.uniform(0.15, 0.85) * r.dims[a] * r.spacingMm[a]) as Vec3;
    if (f.points.some((q) => len3(sub3(q, c)) < 15)) continue;
    const radius = rng.uniform(4, 7);
    const sdf = rng.next() < 0.5 ? sdSphere(c, radius / 2) : sdSphereShell(c, radius, 2.5);
    paint(r, sdf, c, radius + 3, rng.uniform(0.3, 0.6));
    k++;
  }
}

/**
 * Paints the whole CBCT attenuation volume.
 * @param points 18 landmarks in volume millimetres (CBCT_LANDMARKS order).
 * @param axes the pose's rotated x, y, z axes; @param scale its scale.
 */
export default function drawCbctAnatomy(
  r: Raster3D,
  points: Vec3[],
  axes: Vec3[],
  scale: number,
  rng: Random,
  distractors: number,
): void {
  const f: Frame = { points, axes, scale };
  drawContext(r, f, rng);
  drawSkeleton(r, f);
  drawMarkers(r, f, rng);
  drawDistractors(r, f, rng, distractors);
}
