/**
 * Clinical CBCT drawing, part 1: soft-tissue envelope, cranial vault (cortical tables around diploë),
 * cranial base with the sella turcica, clivus and foramen magnum, orbits, nasal cavity and sinuses,
 * maxilla and palate, ear canals, cervical vertebrae and the airway. Every structure is placed from
 * the landmarks, so the anatomy follows the shape model, and the landmarks sit where a radiologist
 * would click: Sella at the centre of the drawn pituitary fossa, Nasion on the front of the
 * frontonasal junction, Basion on the anterior rim of the foramen magnum, Orbitale at the lowest point
 * of the orbital rim, Porion on top of the bony ear canal, ANS / PNS at the tips of the palate.
 * Coordinates below are head-frame model mm relative to Sella (u left, v posterior, w superior).
 */
import type { Random } from './random.ts';
import {
  sdCone,
  sdTorus,
  scale3,
  setSdf3,
  type Raster3D,
  type Sdf3,
  type Vec3,
} from './raster3d.ts';
import {
  ANS,
  BA,
  CO_L,
  CO_R,
  N,
  OR_L,
  OR_R,
  PNS,
  PO_L,
  PO_R,
  S,
  ME,
  UIT,
  TISSUE,
  at,
  ellipse2,
  ellipsoid3,
  inFrame,
  put,
  putBone,
  putCavity,
  sdFlatCapsule,
  sdRoundCone,
  toFrame,
  union,
  type HeadFrame,
} from './clinicalCbctShapes.ts';

const smooth = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** Local (Sella-relative, model mm) coordinates of every landmark. */
export const localPoints = (f: HeadFrame): Vec3[] =>
  f.points.map((p) => toFrame(f, f.points[S], p[0], p[1], p[2]));

/** Vault ellipsoid centre and outer radii (local), fitted so the frontal bone passes by Nasion. */
function vaultGeometry(q: Vec3[]) {
  const centre: Vec3 = [0, 32, -10];
  const radii: Vec3 = [Math.abs(q[PO_R][0] - q[PO_L][0]) / 2 + 12, 0, 100];
  const dz = (q[N][2] + 12 - centre[2]) / radii[2];
  radii[1] = (centre[1] - (q[N][1] - 2)) / Math.sqrt(Math.max(0.2, 1 - dz * dz));
  return { centre, radii };
}

/** Skin envelope: cranium, face, chin, nose and neck (local SDF). */
function envelope(q: Vec3[]) {
  const { centre: c, radii: r } = vaultGeometry(q);
  const me = q[ME];
  return (u: number, v: number, w: number): number =>
    Math.min(
      ellipsoid3(u - c[0], v - c[1], w - c[2], r[0] + 6, r[1] + 6, r[2] + 6),
      ellipsoid3(u, v + 25, w - (q[UIT][2] + 12), 55, 45, 55),
      ellipsoid3(u, v - (me[1] - 6), w - (me[2] + 8), 26, 20, 18),
      ellipsoid3(u, v - 28, w - (me[2] - 40), 52, 55, 90),
    );
}

/** Soft tissue (subcutaneous fat under the skin, muscle inside), the nose, and the vault. */
function drawHead(r: Raster3D, f: HeadFrame, q: Vec3[]): void {
  const o = f.points[S];
  const mid = at(f, S, 0, 10, -40);
  setSdf3(r, inFrame(f, o, envelope(q)), mid, 200 * f.scale, [
    { inset: 0, value: TISSUE.fat },
    { inset: 4, value: TISSUE.soft },
  ]);
  const noseTip = at(f, ANS, 0, -21, 4);
  put(r, sdRoundCone(at(f, N, 0, -6, -6), noseTip, 4 * f.scale, 9 * f.scale), noseTip, 40 * f.scale, TISSUE.soft); // prettier-ignore
  for (const side of [-1, 1]) {
    const nostril = at(f, ANS, side * 6, -18, -1);
    put(r, sdRoundCone(nostril, at(f, ANS, side * 5, -3, 3), 3 * f.scale, 4 * f.scale), nostril, 20 * f.scale, TISSUE.air); // prettier-ignore
  }
  const { centre, radii } = vaultGeometry(q);
  const vc = at(f, S, ...centre);
  // Lower limit of the cranium: a plane from below Nasion to 1.5 mm below Basion, raised laterally
  // (temporal fossae).
  const baseW = (u: number, v: number) => {
    const t = (v - q[N][1]) / (q[BA][1] - q[N][1]);
    const plane = q[N][2] - 12 + t * (q[BA][2] - 1.5 - q[N][2] + 12);
    const condyle = q[u < 0 ? CO_R : CO_L][2];
    return Math.max(plane, plane + smooth(22, 34, Math.abs(u)) * (condyle + 3 - plane));
  };
  const skull = inFrame(f, o, (u, v, w) =>
    Math.max(
      ellipsoid3(u - centre[0], v - centre[1], w - centre[2], radii[0], radii[1], radii[2]),
      (baseW(u, v) - w) * 0.7,
    ),
  );
  putBone(r, skull, vc, 130 * f.scale, 1.8, TISSUE.diploe);
  // Brain floor: anterior fossa, sella rim, posterior fossa sloping to the foramen magnum, and the
  // middle cranial fossae lower at the sides.
  const floorW = (u: number, v: number) => {
    let w = 4 + smooth(8, q[BA][1] + 8, v) * (q[BA][2] + 3 - 4);
    w += smooth(8, 20, -v) * (q[N][2] + 6 - 4);
    const middle = smooth(15, 30, Math.abs(u)) * (smooth(-35, -22, v) - smooth(q[PO_R][1] + 2, q[PO_R][1] + 10, v)); // prettier-ignore
    return w + middle * (q[u < 0 ? CO_R : CO_L][2] + 7 - w);
  };
  const brain = inFrame(f, o, (u, v, w) =>
    Math.max(
      ellipsoid3(u - centre[0], v - centre[1], w - centre[2], radii[0] - 7, radii[1] - 7, radii[2] - 7), // prettier-ignore
      (floorW(u, v) - w) * 0.6,
    ),
  );
  putCavity(r, brain, vc, 130 * f.scale, 1.5, TISSUE.brain);
}

/** Sella turcica, sphenoid sinus, foramen magnum (Basion on its anterior rim), frontal sinus. */
function drawCranialBase(r: Raster3D, f: HeadFrame): void {
  const o = f.points[S];
  const s = f.scale;
  // Pituitary fossa: a 5 mm ball centred on Sella, lined with cortex, open into the brain above.
  put(
    r,
    inFrame(f, o, (u, v, w) => ellipsoid3(u, v, w, 6.5, 6.3, 6.3)),
    o,
    9 * s,
    TISSUE.cortical,
  );
  const fossa = inFrame(f, o, (u, v, w) =>
    Math.min(ellipsoid3(u, v, w, 5.5, 5, 5), ellipsoid3(u, v, w - 8, 4, 3.3, 4.5)),
  );
  put(r, fossa, o, 14 * s, TISSUE.soft);
  const sphenoid = at(f, S, 0, -8, -19);
  putCavity(r, inFrame(f, sphenoid, (u, v, w) => ellipsoid3(u, v, w, 12, 8, 7.5)), sphenoid, 15 * s, 1, TISSUE.air); // prettier-ignore
  // Foramen magnum: its anterior margin at Basion.
  const fm = at(f, BA, 0, 16, 0);
  const canal = inFrame(f, fm, (u, v, w) => Math.max(ellipse2(u, v, 14, 16), Math.abs(w + 5) - 30)); // prettier-ignore
  put(r, canal, fm, 40 * s, TISSUE.brain);
  const frontal = at(f, N, 0, 9, 16);
  putCavity(r, inFrame(f, frontal, (u, v, w) => ellipsoid3(u, v, w, 12, 4.5, 9)), frontal, 14 * s, 1, TISSUE.air); // prettier-ignore
  // Nasion: front of a bony frontonasal mass whose most anterior midline point it is.
  const nasal = at(f, N, 0, 6, 0);
  putBone(
    r,
    inFrame(f, nasal, (u, v, w) => ellipsoid3(u, v, w, 12, 6, 8)),
    nasal,
    14 * s,
    1.5,
  );
  const nasalBoneEnd = at(f, N, 0, -9, -22);
  put(r, sdFlatCapsule(f.points[N], nasalBoneEnd, f.axes[0], [6 * s, 8 * s], [2 * s, 1.2 * s]), nasalBoneEnd, 26 * s, TISSUE.cortical); // prettier-ignore
  // Soft tissue in front of Nasion: the frontonasal concavity's deepest point is the landmark.
  const notch = at(f, N, 0, -6, -1);
  put(
    r,
    inFrame(f, notch, (u, v, w) => ellipsoid3(u, v, w, 10, 6, 5)),
    notch,
    11 * s,
    TISSUE.soft,
  );
}

/** Maxilla and zygomas, orbits (Orbitale at the bottom of the rim), nose, sinuses, palate. */
function drawMidface(r: Raster3D, f: HeadFrame, q: Vec3[]): void {
  const o = f.points[S];
  const s = f.scale;
  const width = Math.abs(q[OR_R][0] - q[OR_L][0]) / 2;
  const palateW = (q[ANS][2] + q[PNS][2]) / 2;
  const mxc: Vec3 = [0, (q[ANS][1] + q[PNS][1]) / 2 + 4, (q[OR_R][2] + palateW) / 2 - 2];
  const half: Vec3 = [width + 14, (q[PNS][1] - q[ANS][1]) / 2 + 2, (q[OR_R][2] - palateW) / 2 + 9];
  const maxilla = inFrame(f, o, (u, v, w) =>
    ellipsoid3(u - mxc[0], (v - mxc[1]) * 0.85, w - mxc[2], half[0], half[1], half[2]),
  );
  putBone(r, maxilla, at(f, S, ...mxc), 80 * s, 1.6);
  for (const [or, side] of [
    [OR_R, -1],
    [OR_L, 1],
  ]) {
    const ms = at(f, or, -side * 8, 14, -14.5);
    putCavity(r, inFrame(f, ms, (u, v, w) => ellipsoid3(u, v, w, 12, 15, 12.5)), ms, 18 * s, 1, TISSUE.air); // prettier-ignore
    const orbit = at(f, or, side * 2, 14, 17);
    putCavity(r, inFrame(f, orbit, (u, v, w) => ellipsoid3(u, v, w, 16, 21, 15.5)), orbit, 25 * s, 1.2, TISSUE.fat); // prettier-ignore
    const globe = at(f, or, side * 2, 4, 18);
    put(
      r,
      inFrame(f, globe, (u, v, w) => ellipsoid3(u, v, w, 12, 12, 12)),
      globe,
      14 * s,
      1.01,
    );
    // Orbitale 1 mm inside the top of the rim's lowest point.
    const rimCentre = at(f, or, 0, 0, 16 - 2.4 + 1);
    put(r, sdTorus(rimCentre, f.axes[1], 16 * s, 2.4 * s), rimCentre, 20 * s, TISSUE.cortical);
    const arch0 = at(f, or, side * 10, 6, -6);
    put(r, sdFlatCapsule(arch0, at(f, S, side * 58, 2, -22), f.axes[2], [5 * s, 4 * s], [3 * s, 2.5 * s]), arch0, 60 * s, TISSUE.cortical); // prettier-ignore
  }
  // Nasal cavity: from the piriform aperture back to the choanae, narrowing upwards; septum, turbinates.
  const floor = (v: number) => q[ANS][2] + 2 + ((v - q[ANS][1]) / (q[PNS][1] - q[ANS][1])) * (q[PNS][2] - q[ANS][2]); // prettier-ignore
  const roof = q[N][2] - 8;
  const nasalLocal = (u: number, v: number, w: number) => {
    const fl = floor(v);
    const halfWidth = 12 - (0.35 * (w - fl) * 12) / (roof - fl);
    return Math.max(fl - w, w - roof, Math.abs(u) - halfWidth, q[ANS][1] - 3 - v, v - q[PNS][1]);
  };
  const nasal = inFrame(f, o, nasalLocal);
  const nc = at(f, S, 0, (q[ANS][1] + q[PNS][1]) / 2, (roof + palateW) / 2);
  put(r, nasal, nc, 60 * s, TISSUE.air);
  const septum = inFrame(f, o, (u, v, w) => Math.max(nasalLocal(u, v, w), Math.abs(u) - 1, q[ANS][1] + 4 - v)); // prettier-ignore
  put(r, septum, nc, 60 * s, TISSUE.diploe);
  // Ethmoid air cells between the orbits, above the nasal cavity.
  for (let k = 0; k < 90; k++) {
    const [side, across, along, up] = [k % 2 ? 1 : -1, (k >> 1) % 3, Math.floor(k / 6) % 5, Math.floor(k / 30)]; // prettier-ignore
    const cell = at(f, S, side * (4.5 + 3.5 * across), q[N][1] + 9 + 5.5 * along, q[N][2] - 16 + 5 * up); // prettier-ignore
    put(
      r,
      inFrame(f, cell, (u, v, w) => ellipsoid3(u, v, w, 1.5, 2.2, 2)),
      cell,
      3 * s,
      TISSUE.air,
    );
  }
  for (const side of [-1, 1]) {
    for (const [dw, rad] of [
      [7, 4.5],
      [17, 3.5],
    ]) {
      const front = at(f, ANS, side * 10, 8, dw);
      put(r, sdFlatCapsule(front, at(f, PNS, side * 10, -4, dw), f.axes[2], [rad * s, rad * s], [2.5 * s, 2.5 * s]), nc, 60 * s, TISSUE.soft); // prettier-ignore
    }
  }
  // Hard palate from PNS to ANS (a spine ending at ANS in front, a tip at PNS behind).
  const back = at(f, PNS, 0, -3, 0);
  put(r, sdFlatCapsule(back, at(f, ANS, 0, 6, -1), f.axes[0], [16 * s, 12 * s], [2.6 * s, 3 * s]), back, 60 * s, TISSUE.cortical); // prettier-ignore
  // The spine's apex 1 mm beyond ANS, so the landmark sits where the spine is still a voxel thick.
  const ansTip = at(f, ANS, 0, -1, 0);
  put(r, sdCone(ansTip, scale3(f.axes[1], -1), 10 * s, 0.5), ansTip, 11 * s, TISSUE.cortical);
  put(r, sdCone(f.points[PNS], f.axes[1], 6 * s, 0.45), f.points[PNS], 7 * s, TISSUE.cortical);
}

/** Ear canals (Porion on top of the bony canal's lateral opening), mastoids, zygomatic arches. */
function drawEars(r: Raster3D, f: HeadFrame, rng: Random): void {
  const s = f.scale;
  for (const [po, side] of [
    [PO_R, -1],
    [PO_L, 1],
  ]) {
    const lateral = at(f, po, 0, 0, -4);
    const medial = at(f, po, -side * 22, 2, -4);
    put(r, sdFlatCapsule(lateral, medial, f.axes[2], [6.5 * s, 6.5 * s], [6.5 * s, 6.5 * s]), medial, 30 * s, TISSUE.cortical); // prettier-ignore
    const mastoid = at(f, po, -side * 3, 12, -14);
    putBone(r, inFrame(f, mastoid, (u, v, w) => ellipsoid3(u, v, w, 9, 11, 15)), mastoid, 18 * s, 1.2); // prettier-ignore
    for (let k = 0; k < 6; k++) {
      const cell = at(f, po, -side * rng.uniform(1, 7), rng.uniform(8, 16), rng.uniform(-20, -8));
      put(
        r,
        inFrame(f, cell, (u, v, w) => ellipsoid3(u, v, w, 2, 2, 2)),
        cell,
        3 * s,
        TISSUE.air,
      );
    }
    // Petrous ridge: dense bone from the ear towards the apex beside the dorsum sellae.
    const apex = at(f, S, side * 15, 14, -20);
    put(r, sdFlatCapsule(at(f, po, -side * 4, 0, -4), apex, f.axes[2], [7 * s, 4 * s], [6 * s, 3.5 * s]), apex, 60 * s, TISSUE.cortical); // prettier-ignore
    const skin = at(f, po, side * 30, 0, -4);
    put(r, sdFlatCapsule(skin, medial, f.axes[1], [4 * s, 4 * s], [4 * s, 4 * s]), medial, 60 * s, TISSUE.air); // prettier-ignore
  }
}

/** Cervical vertebrae C1–C5 below Basion (dens tip 6 mm below it) and the pharyngeal airway. */
function drawNeck(r: Raster3D, f: HeadFrame, q: Vec3[]): void {
  const s = f.scale;
  const top: Vec3 = [0, q[BA][1] - 2, q[BA][2] - 6];
  const bodies: Sdf3[] = [];
  for (let k = 0; k < 5; k++) {
    const c = at(f, S, 0, top[1] + 1.5 * k, top[2] - 14 - 15 * k);
    const height = k === 0 ? 9 : 6;
    bodies.push(inFrame(f, c, (u, v, w) => Math.max(ellipse2(u, v, 9, 8), Math.abs(w) - height)));
    const canal = at(f, S, 0, top[1] + 1.5 * k + 18, top[2] - 14 - 15 * k);
    put(r, sdTorus(canal, f.axes[2], 11 * s, 2.8 * s), canal, 15 * s, TISSUE.cortical);
    const spine = at(f, S, 0, top[1] + 1.5 * k + 29, top[2] - 14 - 15 * k);
    put(r, sdFlatCapsule(spine, at(f, S, 0, top[1] + 1.5 * k + 48, top[2] - 22 - 15 * k), f.axes[2], [4 * s, 3 * s], [2.5 * s, 2 * s]), spine, 25 * s, TISSUE.cortical); // prettier-ignore
  }
  const dens = at(f, S, ...top);
  bodies.push(sdRoundCone(dens, at(f, S, 0, top[1], top[2] - 16), 4.5 * s, 5.5 * s));
  putBone(r, union(...bodies), at(f, S, 0, top[1], top[2] - 45), 75 * s, 1.2);
  // Airway: choanae → nasopharynx → oropharynx → hypopharynx, in front of the prevertebral tissue.
  const front = top[1] - 8 - 12;
  const path: Vec3[] = [
    [0, q[PNS][1] - 2, q[PNS][2] + 9],
    [0, front, q[PNS][2] + 7],
    [0, front + 1, q[PNS][2] - 25],
    [0, front + 2, q[ME][2] - 5],
    [0, front + 6, q[ME][2] - 70],
  ];
  const widths = [10, 9, 8, 9, 8];
  const pieces = path.slice(1).map(
    (p, k) =>
    sdFlatCapsule(at(f, S, ...path[k]), at(f, S, ...p), f.axes[0], [widths[k] * s, widths[k + 1] * s], [5.5 * s, 5 * s]), // prettier-ignore
  );
  put(r, union(...pieces), at(f, S, 0, front, q[PNS][2] - 40), 90 * s, TISSUE.air);
  // A thin air layer between the tongue and the palate.
  const oral = at(f, ANS, 0, 16, -6);
  put(r, sdFlatCapsule(oral, at(f, PNS, 0, 2, -7), f.axes[0], [11 * s, 9 * s], [1.2 * s, 1.5 * s]), oral, 40 * s, TISSUE.air); // prettier-ignore
}

/**
 * Draws everything but the jaws and teeth (clinicalCbctJaws.ts), in painter's order.
 * @param f landmarks (volume mm) and pose axes.
 */
export default function drawClinicalSkull(r: Raster3D, f: HeadFrame, rng: Random): void {
  const q = localPoints(f);
  drawHead(r, f, q);
  drawMidface(r, f, q);
  drawCranialBase(r, f);
  drawEars(r, f, rng);
  drawNeck(r, f, q);
}
