/**
 * Draws a hand radiograph-like attenuation map around the 37 hand landmarks (mm, image frame, fingers
 * up). Bones are capsules between landmarks: finger joints sit in the gap between two bone ends,
 * finger tips and metacarpal bases at a bone's rounded end, carpal landmarks at the centre of a ring,
 * the forearm landmarks at the distal ends of the radius and ulna.
 */
import type { Random } from './random.ts';
import {
  boxOf,
  paintGaussian,
  paintSdf,
  sdCapsule,
  sdPolygon,
  sdRing,
  type Raster2D,
  type Vec2,
} from './raster2d.ts';

/** Landmark indices (0-based) of each digit, proximal → distal; the first is the metacarpal base. */
const DIGITS: number[][] = [
  [17, 18, 19, 20], // thumb: base, MCP, IP, tip
  [16, 21, 22, 23, 24], // index: base, MCP, PIP, DIP, tip
  [15, 25, 26, 27, 28], // middle
  [14, 29, 30, 31, 32], // ring
  [13, 33, 34, 35, 36], // little
];
/** Carpal-region landmarks drawn as rings; 0 and 4 are the ulnar and radial distal ends. */
const CARPAL = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12];
const GAP_MM = 1.6;

const sub = (a: Vec2, b: Vec2): Vec2 => [a[0] - b[0], a[1] - b[1]];
const along = (p: Vec2, u: Vec2, t: number): Vec2 => [p[0] + u[0] * t, p[1] + u[1] * t];
const unit = (v: Vec2): Vec2 => {
  const n = Math.hypot(v[0], v[1]) || 1;
  return [v[0] / n, v[1] / n];
};

function capsule(r: Raster2D, a: Vec2, b: Vec2, width: number, value: number): void {
  paintSdf(r, sdCapsule(a, b, width), boxOf([a, b], width), value);
}

/** A bone between two landmarks, with bone ends `startGap`/`endGap` mm short of them. */
function bone(r: Raster2D, a: Vec2, b: Vec2, width: number, startGap: number, endGap: number) {
  const u = unit(sub(b, a));
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const p = along(a, u, startGap + width / 2);
  const q = along(a, u, len - endGap - width / 2);
  capsule(r, p, q, width, 0.35);
  capsule(r, p, q, width * 0.45, -0.12); // medullary cavity: cortex reads brighter
}

/** Soft tissue of the forearm, palm and fingers. */
function drawSoftTissue(r: Raster2D, p: Vec2[], down: Vec2, scale: number): void {
  const wrist = [p[0], p[4]];
  const palm = [
    along(p[0], down, 5),
    p[13],
    p[33],
    p[29],
    p[25],
    p[21],
    p[18],
    p[17],
    along(p[4], down, 5),
  ];
  paintSdf(r, (x, y) => sdPolygon(palm)(x, y) - 8 * scale, boxOf(palm, 10 * scale), 0.18);
  const forearm = [along(wrist[0], down, 0), along(wrist[1], down, 0)];
  const mid: Vec2 = [(forearm[0][0] + forearm[1][0]) / 2, (forearm[0][1] + forearm[1][1]) / 2];
  capsule(r, mid, along(mid, down, 200), 70 * scale, 0.18);
  for (const digit of DIGITS) {
    const tip = p[digit[digit.length - 1]];
    capsule(r, p[digit[1]], tip, 17 * scale, 0.18);
  }
}

/**
 * Paints the hand.
 * @param points 37 landmarks in image millimetres.
 * @param rotationRad pose rotation; @param scale pose scale.
 */
export default function drawHandAnatomy(
  r: Raster2D,
  points: Vec2[],
  rotationRad: number,
  scale: number,
  rng: Random,
  distractors: number,
): void {
  const down: Vec2 = [-Math.sin(rotationRad), Math.cos(rotationRad)];
  drawSoftTissue(r, points, down, scale);
  // Radius and ulna: long bones whose distal rounded ends touch landmarks 5 and 1.
  capsule(r, along(points[4], down, 9 * scale), along(points[4], down, 250), 18 * scale, 0.35);
  capsule(r, along(points[0], down, 6 * scale), along(points[0], down, 250), 12 * scale, 0.35);
  for (const i of CARPAL) {
    paintSdf(r, sdRing(points[i], 3.2 * scale, 1.3), boxOf([points[i]], 5 * scale), 0.3);
  }
  DIGITS.forEach((digit, d) => {
    const widths = d === 0 ? [10, 10, 8] : [8, 8.5, 7.5, 6];
    for (let k = 0; k + 1 < digit.length; k++) {
      const a = points[digit[k]];
      const b = points[digit[k + 1]];
      const last = k + 2 === digit.length;
      // Metacarpal base: bone end touches the landmark; joints: half a gap on each side; tip: touches.
      bone(r, a, b, widths[k] * scale, k === 0 ? 0 : GAP_MM / 2, last ? 0 : GAP_MM / 2);
    }
  });
  const w = r.width * r.spacingMm[0];
  const h = r.height * r.spacingMm[1];
  for (let k = 0, tries = 0; k < distractors && tries < 200; tries++) {
    const c: Vec2 = [rng.uniform(0.1 * w, 0.9 * w), rng.uniform(0.1 * h, 0.9 * h)];
    if (points.some((q) => Math.hypot(q[0] - c[0], q[1] - c[1]) < 12)) continue;
    paintGaussian(r, c, rng.uniform(1, 2), rng.uniform(0.2, 0.4));
    k++;
  }
  for (let k = 0; k < 4; k++) {
    const c: Vec2 = [rng.uniform(0, w), rng.uniform(0, h)];
    paintGaussian(r, c, rng.uniform(20, 40), rng.uniform(-0.03, 0.05));
  }
}
