/**
 * Clinical CBCT drawing, part 2: the mandible (cortical shell around cancellous bone), the maxillary
 * alveolar process, 28 teeth (enamel caps over dentin, roots in the alveolar bone, pulp canals) and a
 * few metal fillings. Landmarks on these structures: Menton at the lowest point of the symphysis,
 * Pogonion at the most anterior point of the chin, B and A points on the anterior alveolar contours,
 * Gonion on the outer contour of the mandibular angle (on the bisector of the ramus and lower-border
 * tangents), Condylion on top of the condylar head, upper incisal incision on the edge of the upper
 * central incisors. Coordinates: head-frame model mm relative to Sella (u left, v posterior, w up).
 */
import type { Random } from './random.ts';
import type { Raster3D, Sdf3, Vec3 } from './raster3d.ts';
import {
  A,
  B,
  CO_L,
  CO_R,
  GO_L,
  GO_R,
  ME,
  POG,
  S,
  UIT,
  TISSUE,
  at,
  ellipsoid3,
  inFrame,
  put,
  putBone,
  bound,
  flat,
  sdFlatCapsule,
  sdRoundCone,
  union,
  type Bounded,
  type DenseObject,
  type HeadFrame,
} from './clinicalCbctShapes.ts';
import { localPoints } from './clinicalCbctSkull.ts';

/** Per tooth from the midline: mesiodistal width, buccolingual width, crown height, root length, roots. */
const UPPER = [[8.5, 7, 10.5, 13, 1], [6.5, 6, 9, 13, 1], [7.5, 8, 10, 17, 1], [7, 9, 8.5, 14, 1], [6.5, 9, 8, 14, 1], [10, 11, 7.5, 12, 2], [9, 11, 7, 11, 2]]; // prettier-ignore
const LOWER = [[5.5, 6, 9, 12.5, 1], [6, 6.5, 9, 14, 1], [7, 7.5, 11, 16, 1], [7, 7.5, 8.5, 14, 1], [7, 8, 8, 14.5, 1], [11, 10.5, 7.5, 14, 2], [10.5, 10, 7, 13, 2]]; // prettier-ignore
/** Occlusal plane rise per mm posterior (curve of Spee, simplified to a tilt). */
const OCCLUSAL_TILT = 0.15;

interface ArchTooth {
  /** Local (u ≥ 0 side), v relative to the incisal point. */
  u: number;
  v: number;
  /** Unit tangent of the arch (u, v). */
  tangent: [number, number];
}

/** Tooth centres along a half-ellipse arch u = W sin θ, v = D (1 − cos θ), spaced by width. */
function archPositions(widths: number[], halfWidth: number, depth: number): ArchTooth[] {
  const steps = 400;
  const pts = Array.from({ length: steps + 1 }, (_, k) => {
    const t = (k / steps) * 1.7;
    return [halfWidth * Math.sin(t), depth * (1 - Math.cos(t))];
  });
  const cum = [0];
  for (let k = 1; k <= steps; k++) {
    cum.push(cum[k - 1] + Math.hypot(pts[k][0] - pts[k - 1][0], pts[k][1] - pts[k - 1][1]));
  }
  let start = 0;
  return widths.map((w) => {
    const target = start + w / 2;
    start += w;
    const k = Math.max(
      1,
      Math.min(
        steps,
        cum.findIndex((c) => c >= target),
      ),
    );
    const [du, dv] = [pts[k][0] - pts[k - 1][0], pts[k][1] - pts[k - 1][1]];
    const l = Math.hypot(du, dv) || 1;
    return { u: pts[k][0], v: pts[k][1], tangent: [du / l, dv / l] };
  });
}

/** One tooth: occlusal point, unit axis towards the apex (local), table row, arch tangent. */
function drawTooth(
  r: Raster3D,
  f: HeadFrame,
  o: Vec3,
  axis: Vec3,
  row: number[],
  tangent: Vec3,
  incisor: boolean,
): void {
  const s = f.scale;
  const [md, bl, crownH, rootL, roots] = row;
  const p = (t: number, side = 0): Vec3 =>
    at(f, S, ...([0, 1, 2].map((a) => o[a] + axis[a] * t + tangent[a] * side) as Vec3));
  const wide: Vec3 = [0, 1, 2].map((a) => f.axes.reduce((t, ax, b) => t + ax[a] * tangent[b], 0)) as Vec3; // prettier-ignore
  const radius = Math.max(md, bl) / 2;
  const crown: Sdf3 = incisor
    ? sdFlatCapsule(p(-0.3), p(crownH), wide, [(md / 2 + 0.3) * s, md * 0.37 * s], [1.3 * s, (bl / 2) * s]) // prettier-ignore
    : union(
        sdRoundCone(p(radius * 0.7), p(crownH * 0.55), radius * 0.7 * s, radius * s),
        sdRoundCone(p(crownH * 0.55), p(crownH), radius * s, radius * 0.8 * s),
      );
  const mid = p(crownH / 2);
  put(r, crown, mid, (crownH + radius + 2) * s, TISSUE.enamel);
  put(r, (x, y, z) => crown(x, y, z) + 1.2 * s, mid, (crownH + radius) * s, TISSUE.dentin);
  const apex = crownH + rootL;
  const rootSdf =
    roots === 1
      ? sdRoundCone(p(crownH - 1), p(apex), radius * 0.75 * s, 1 * s)
      : union(
          sdRoundCone(
            p(crownH - 1, radius * 0.4),
            p(apex, radius * 0.6),
            radius * 0.45 * s,
            0.9 * s,
          ),
          sdRoundCone(p(crownH - 1, -radius * 0.4), p(apex, -radius * 0.6), radius * 0.45 * s, 0.9 * s), // prettier-ignore
        );
  const rootMid = p(crownH + rootL / 2);
  put(r, rootSdf, rootMid, (rootL / 2 + radius + 2) * s, TISSUE.dentin);
  const pulp = sdRoundCone(p(crownH * 0.45), p(apex - 1.5), 1.1 * s, 0.35 * s);
  put(r, pulp, rootMid, (apex / 2 + 3) * s, TISSUE.soft);
}

/** Squared distance of (v, w) to t · dir (dir's v, w components). */
const dist2 = (v: number, w: number, t: number, dir: Vec3): number =>
  (v - t * dir[1]) ** 2 + (w - t * dir[2]) ** 2;

const unit = (v: Vec3): Vec3 => {
  const l = Math.hypot(...v) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
};

/** Both dental arches; returns the metal fillings placed in random posterior teeth. */
function drawTeeth(r: Raster3D, f: HeadFrame, q: Vec3[], rng: Random): DenseObject[] {
  const uit = q[UIT];
  const lit: Vec3 = [0, uit[1] + 3.5, uit[2] + 2.5];
  const apexUpper: Vec3 = [0, q[A][1] + 6, q[A][2] + 2];
  const tiltUp = (apexUpper[1] - uit[1]) / Math.max(5, apexUpper[2] - uit[2]);
  const bCentre: Vec3 = [0, q[B][1] + 4.5, q[B][2]];
  const tiltLow = (bCentre[1] - lit[1]) / Math.max(5, lit[2] - bCentre[2]);
  const fillings = new Set<number>();
  const count = 2 + rng.int(2);
  while (fillings.size < count) fillings.add(rng.int(2) * 100 + rng.int(2) * 10 + 3 + rng.int(4));
  const dense: DenseObject[] = [];
  for (const [jaw, table, arch, tip, tilt, dir] of [
    [
      0,
      UPPER,
      archPositions(
        UPPER.map((t) => t[0]),
        27,
        42,
      ),
      uit,
      tiltUp,
      1,
    ],
    [
      1,
      LOWER,
      archPositions(
        LOWER.map((t) => t[0]),
        24,
        38,
      ),
      lit,
      tiltLow,
      -1,
    ],
  ] as const) {
    for (const side of [-1, 1]) {
      arch.forEach((t, k) => {
        const incisor = k < 2;
        const w = incisor ? tip[2] + (k === 1 ? dir * 0.7 : 0) : uit[2] + OCCLUSAL_TILT * t.v;
        const o: Vec3 = [side * t.u, tip[1] + t.v, w];
        const lean = [tilt, tilt * 0.9, tilt * 0.6, 0.15, 0.1, 0.05, 0.05][k];
        const axis = unit([0, lean, dir]);
        const tangent: Vec3 = [side * t.tangent[0], t.tangent[1], 0];
        drawTooth(r, f, o, axis, table[k], tangent, incisor);
        if (fillings.has(jaw * 100 + (side > 0 ? 10 : 0) + k)) {
          const c = at(f, S, o[0] + axis[0] * 2.2, o[1] + axis[1] * 2.2, o[2] + axis[2] * 2.2);
          const rad = 2.2 * f.scale;
          put(r, inFrame(f, c, (u, v, ww) => ellipsoid3(u, v, ww, 2.4, 2, 1.6)), c, rad + 2, TISSUE.metal); // prettier-ignore
          dense.push({ centre: c, radiusMm: rad });
        }
      });
    }
  }
  return dense;
}

/** Maxillary alveolar process: a bony arch around the upper roots, its midline front through A. */
function drawUpperAlveolus(r: Raster3D, f: HeadFrame, q: Vec3[]): void {
  const s = f.scale;
  const uit = q[UIT];
  const arch = archPositions(
    UPPER.map((t) => t[0]),
    27,
    42,
  );
  const parts: (Sdf3 | Bounded)[] = [];
  const aCentre = at(f, A, 0, 5, 0);
  const crest = at(f, UIT, 0, 5.5, 12.5);
  parts.push(flat(aCentre, crest, f.axes[0], [12 * s, 10 * s], [5 * s, 4.5 * s]));
  for (const side of [-1, 1]) {
    const pts = arch.map((t, k) =>
      at(f, S, side * t.u, uit[1] + t.v + 1, uit[2] + OCCLUSAL_TILT * t.v + UPPER[k][2] + 8),
    );
    for (let k = 1; k < pts.length; k++) {
      const bl = (UPPER[k][1] / 2 + 2.5) * s;
      parts.push(flat(pts[k - 1], pts[k], f.axes[2], [9 * s, 9 * s], [bl, bl]));
    }
  }
  putBone(r, union(...parts), at(f, S, 0, uit[1] + 25, uit[2] + 18), 50 * s, 1.5);
}

type Part = Sdf3 | Bounded;

/**
 * The mandibular angle in the sagittal (v, w) plane: unit directions up the ramus border (towards
 * the condyle) and along the lower border (towards Menton), their inward normals, and the apex of the
 * inner wedge whose ρ-rounding puts the outer corner, on the bisector, exactly on Gonion.
 */
function angleGeometry(g: Vec3, c: Vec3, me: Vec3, rho: number) {
  const rHat = unit([0, c[1] + 3 - g[1], c[2] - 8 - g[2]]);
  const bHat = unit([0, me[1] - g[1], me[2] - g[2]]);
  const out = unit([0, -(rHat[1] + bHat[1]), -(rHat[2] + bHat[2])]);
  const vin: Vec3 = [0, g[1] - out[1] * rho, g[2] - out[2] * rho];
  let nR: [number, number] = [-rHat[2], rHat[1]];
  if (nR[0] * bHat[1] + nR[1] * bHat[2] < 0) nR = [-nR[0], -nR[1]];
  let nB: [number, number] = [-bHat[2], bHat[1]];
  if (nB[0] * rHat[1] + nB[1] * rHat[2] < 0) nB = [-nB[0], -nB[1]];
  return { rHat, bHat, nR, nB, vin };
}

/** Chin (its front on Pogonion, its bottom at Menton's height) and symphysis up to the crest. */
function symphysis(f: HeadFrame, q: Vec3[], lit: Vec3): Part[] {
  const s = f.scale;
  const [me, pog, b] = [q[ME], q[POG], q[B]];
  const loc = (p: Vec3) => at(f, S, ...p);
  const chin: Vec3 = [0, pog[1] + 5, pog[2]];
  const chinSdf = inFrame(f, f.points[S], (u, v, w) => ellipsoid3(u, v - chin[1], w - chin[2], 13, 5, Math.max(3, pog[2] - me[2]))); // prettier-ignore
  const bC: Vec3 = [0, b[1] + 4.5, b[2]];
  const crest: Vec3 = [0, lit[1] + 3.5, lit[2] - 10];
  return [
    bound(chinSdf, loc(chin), loc(chin), 14 + pog[2] - me[2]),
    flat(loc([0, pog[1] + 6.5, pog[2] + 2]), loc(bC), f.axes[0], [13 * s, 13 * s], [6.5 * s, 4.5 * s]), // prettier-ignore
    flat(loc(bC), loc(crest), f.axes[0], [13 * s, 12 * s], [4.5 * s, 4 * s]),
  ];
}

/** One half of the mandible: angle, ramus, condyle, coronoid, and the body to the midline. */
function mandibleSide(f: HeadFrame, q: Vec3[], go: number, co: number, lit: Vec3): Part[] {
  const s = f.scale;
  const [g, c, me] = [q[go], q[co], q[ME]];
  const side = Math.sign(g[0]) || 1;
  const loc = (p: Vec3) => at(f, S, ...p);
  const rho = 6;
  const { rHat, bHat, nR, nB, vin } = angleGeometry(g, c, me, rho);
  const ramusLength = Math.hypot(c[1] - g[1], c[2] - g[2]) - 14;
  const uPlane = (w: number) =>
    g[0] + (c[0] - g[0]) * Math.min(1, Math.max(0, (w - g[2]) / (c[2] - g[2] || 1)));
  // The angle plate: the rounded wedge, as wide as the ramus (24 + ρ) and as high as the body (20 + ρ).
  const angle = inFrame(f, f.points[S], (u, v, w) => {
    const qv = v - vin[1];
    const qw = w - vin[2];
    const e1 = nR[0] * qv + nR[1] * qw;
    const e2 = nB[0] * qv + nB[1] * qw;
    const tR = qv * rHat[1] + qw * rHat[2];
    const tB = qv * bHat[1] + qw * bHat[2];
    const wedge =
      e1 >= 0 && e2 >= 0
        ? -Math.min(e1, e2)
        : Math.sqrt(Math.min(dist2(qv, qw, Math.max(0, tR), rHat), dist2(qv, qw, Math.max(0, tB), bHat))); // prettier-ignore
    const plate = Math.abs(u - uPlane(w)) - 4.5;
    return Math.max(wedge - rho, Math.min(e1 - 24, e2 - 20), tR - ramusLength, tB - 30, plate);
  });
  const top = (t: number, n: number): Vec3 => {
    const [vv, ww] = [vin[1] + rHat[1] * t + nR[0] * n, vin[2] + rHat[2] * t + nR[1] * n];
    return [uPlane(ww), vv, ww];
  };
  const head: Vec3 = [c[0], c[1], c[2] - 5];
  const headSdf = inFrame(f, f.points[S], (u, v, w) => ellipsoid3(u - head[0], v - head[1], w - head[2], 10, 4.5, 5)); // prettier-ignore
  const tip: Vec3 = [c[0] * 0.88, c[1] - 27, c[2] - 6];
  const parts: Part[] = [
    bound(angle, loc(g), loc(c), 40 * s),
    flat(loc(top(ramusLength - 4, 6)), loc(head), f.axes[1], [5 * s, 4 * s], [4 * s, 4 * s]),
    bound(headSdf, loc(head), loc(head), 11 * s),
    flat(loc(top(ramusLength - 12, 22)), loc(tip), f.axes[1], [7 * s, 2 * s], [3.5 * s, 2 * s]),
  ];
  // Body: from the angle along the lower arch to the symphysis; the lower border rises towards the
  // angle, so Menton stays the lowest point.
  const lowerBorder = (v: number) => {
    const t = Math.min(1, Math.max(0, (v - me[1]) / (g[1] - me[1])));
    return me[2] + (g[2] - me[2]) * t * t;
  };
  const arch = archPositions(
    LOWER.map((t) => t[0]),
    24,
    38,
  );
  const chain: Vec3[] = [
    [uPlane(vin[2]), vin[1] + bHat[1] * 22 + nB[0] * 7, vin[2] + bHat[2] * 22 + nB[1] * 7],
    [side * (arch[5].u + 1), lit[1] + arch[5].v, lowerBorder(lit[1] + arch[5].v) + 12.5],
    [side * (arch[2].u + 0.5), lit[1] + arch[2].v, lowerBorder(lit[1] + arch[2].v) + 13],
    [0, me[1], me[2] + 12],
  ];
  for (let k = 1; k < chain.length; k++) {
    parts.push(flat(loc(chain[k - 1]), loc(chain[k]), f.axes[2], [12.5 * s, 12.5 * s], [5.5 * s, 6 * s])); // prettier-ignore
  }
  return parts;
}

/** Mandible: chin, symphysis, both halves, as one cortical-shelled bone (one union, one paint). */
function drawMandible(r: Raster3D, f: HeadFrame, q: Vec3[]): void {
  const lit: Vec3 = [0, q[UIT][1] + 3.5, q[UIT][2] + 2.5];
  const parts = [
    ...symphysis(f, q, lit),
    ...mandibleSide(f, q, GO_R, CO_R, lit),
    ...mandibleSide(f, q, GO_L, CO_L, lit),
  ];
  putBone(r, union(...parts), at(f, S, 0, -5, -75), 95 * f.scale, 2);
}

/**
 * Draws the jaws and teeth over the skull of clinicalCbctSkull.ts.
 * @returns the metal fillings (volume mm), for the acquisition's streaks.
 */
export default function drawClinicalJaws(r: Raster3D, f: HeadFrame, rng: Random): DenseObject[] {
  const q = localPoints(f);
  drawUpperAlveolus(r, f, q);
  drawMandible(r, f, q);
  return drawTeeth(r, f, q, rng);
}
