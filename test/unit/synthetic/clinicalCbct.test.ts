// The clinical-size synthetic CBCT (issue 16 item 2): determinism, geometry, landmarks on the drawn
// anatomy (bone, enamel, airway, sella), the cylindrical field of view, and the devices' artefacts.
import { describe, expect, it } from 'vitest';
import {
  CBCT_DEVICES,
  CBCT_LANDMARKS,
  CLINICAL_CBCT_DEFAULTS,
  generateCbctVolume,
  generateClinicalCbctVolume,
  type DeviceProfile,
  type SyntheticVolume,
} from '../../../extension/src/core/synthetic/index.ts';

const same = (a: Uint16Array, b: Uint16Array) =>
  Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

/** HU (stored − 1024) at a voxel. */
const hu = (v: SyntheticVolume, x: number, y: number, z: number) =>
  v.pixels[(z * v.height + y) * v.width + x] - 1024;

/** Max and min HU over the (2r+1)³ voxels around a point given in voxels. */
function around(v: SyntheticVolume, p: number[], r = 1): { max: number; min: number } {
  const [x0, y0, z0] = p.map(Math.round);
  let [max, min] = [-Infinity, Infinity];
  for (let z = z0 - r; z <= z0 + r; z++) {
    for (let y = y0 - r; y <= y0 + r; y++) {
      for (let x = x0 - r; x <= x0 + r; x++) {
        const h = hu(v, x, y, z);
        max = Math.max(max, h);
        min = Math.min(min, h);
      }
    }
  }
  return { max, min };
}

/** Mean HU over the 3³ voxels around a point given in voxels. */
function mean3(v: SyntheticVolume, p: number[]): number {
  const [x0, y0, z0] = p.map(Math.round);
  let t = 0;
  for (let z = z0 - 1; z <= z0 + 1; z++) {
    for (let y = y0 - 1; y <= y0 + 1; y++) {
      for (let x = x0 - 1; x <= x0 + 1; x++) t += hu(v, x, y, z);
    }
  }
  return t / 27;
}

const point = (v: SyntheticVolume, name: string) => v.landmarksPx[CBCT_LANDMARKS.indexOf(name)];

/**
 * Landmarks defined as an extreme point of a bony contour, with the direction (volume axes, head
 * only slightly rotated) that points into the structure and how many voxels out the soft side is.
 */
const ON_SURFACE: [string, number[], number][] = [
  ['Menton', [0, 0, 1], 4], // lowest point of the symphysis: bone above, soft tissue below
  ['Pogonion', [0, 1, 0], 4], // most anterior point of the chin: bone behind
  ['Nasion', [0, 1, 0], 4], // frontonasal notch: bone behind, soft tissue in front
  ['Orbitale R', [0, 0, -1], 4], // lowest point of the orbital rim: orbit above
  ['Orbitale L', [0, 0, -1], 4],
  ['Condylion R', [0, 0, -1], 2], // top of the condyle: joint space above
  ['Condylion L', [0, 0, -1], 2],
  ['Gonion R', [0, -0.7, 0.7], 4], // corner of the angle: bone anterior-superior
  ['Gonion L', [0, -0.7, 0.7], 4],
  ['Basion', [0, -0.7, 0.7], 4], // anterior rim of the foramen magnum: the canal behind and below
  ['Upper incisal incision', [0, 0, 1], 4], // incisal edge: the crown above
];

/** 210 × 210 × 190 voxels: the default 16.8 × 16.8 × 15.2 cm field at 0.8 mm. */
const MEDIUM = { width: 210, height: 210, depth: 190 };

// Every landmark but Sella (in the fossa, on soft tissue over bone) and the incisal edge (on enamel).
const BONY = CBCT_LANDMARKS.filter((n) => n !== 'Sella' && n !== 'Upper incisal incision');

describe('generateClinicalCbctVolume', () => {
  it('is deterministic for a seed, differs between seeds, and shares the small generator shape', () => {
    const small = { width: 48, height: 48, depth: 44, device: 'cbct-b' };
    const a = generateClinicalCbctVolume({ seed: 4, ...small });
    const b = generateClinicalCbctVolume({ seed: 4, ...small });
    const c = generateClinicalCbctVolume({ seed: 5, ...small });
    expect(same(a.pixels, b.pixels)).toBe(true);
    expect(a.landmarksPx).toEqual(b.landmarksPx);
    expect(same(a.pixels, c.pixels)).toBe(false);
    expect(a.landmarksPx).not.toEqual(c.landmarksPx);
    const ellipsoids = generateCbctVolume({ seed: 4, device: 'cbct-b' });
    expect(a.shapeParams).toEqual(ellipsoids.shapeParams);
    expect(a.pose.scale).toBe(ellipsoids.pose.scale);
    expect(a.pose.rotationRad).toEqual(ellipsoids.pose.rotationRad);
  });

  it('defaults to a 336 × 336 × 304 volume of 0.5 mm voxels, LPS, air outside the field', () => {
    const v = generateClinicalCbctVolume({ seed: 2 });
    expect(v).toMatchObject({
      kind: 'cbct',
      width: 336,
      height: 336,
      depth: 304,
      device: 'cbct-a',
    });
    expect(CLINICAL_CBCT_DEFAULTS.spacingMm).toEqual([0.5, 0.5, 0.5]);
    expect(v.spacingMm).toEqual([0.5, 0.5, 0.5]);
    expect(v.id).toBe('cbct-clinical-cbct-a-2');
    expect(v.pixels.length).toBe(336 * 336 * 304);
    expect(v.bitsStored).toBe(12);
    expect(point(v, 'Porion L')[0]).toBeGreaterThan(point(v, 'Porion R')[0] + 150); // x: right → left
    expect(point(v, 'Nasion')[1]).toBeLessThan(point(v, 'Sella')[1]); // y: anterior → posterior
    expect(point(v, 'Menton')[2]).toBeLessThan(point(v, 'Nasion')[2]); // z: inferior → superior
    // Outside the cylindrical field (a corner of every slice) the unit stores 0 (−1024 HU).
    for (const z of [0, 152, 303]) expect(v.pixels[z * 336 * 336]).toBe(0);
    expect(v.pixels.reduce((m, x) => Math.max(m, x), 0)).toBeLessThanOrEqual(4095);
  });

  it('keeps every landmark inside the field of view for 30 seeds and both devices', () => {
    for (let seed = 0; seed < 30; seed++) {
      const device = seed % 2 ? 'cbct-b' : 'cbct-a';
      const v = generateClinicalCbctVolume({ seed, device, width: 28, height: 28, depth: 25 });
      const fov = CBCT_DEVICES[device].cbct!.fovRadiusFraction * 14;
      for (const p of v.landmarksPx) {
        expect(p[2]).toBeGreaterThan(0.5);
        expect(p[2]).toBeLessThan(v.depth - 1.5);
        expect(Math.hypot(p[0] - 13.5, p[1] - 13.5)).toBeLessThan(fov);
      }
    }
  });

  it('puts the bony landmarks on bone, Sella in the fossa, the incisal edge on enamel, air in the airway', () => {
    for (const seed of [1, 2, 3]) {
      const v = generateClinicalCbctVolume({ seed, ...MEDIUM });
      expect(v.spacingMm).toEqual([0.8, 0.8, 0.8]);
      for (const name of BONY) {
        expect(around(v, point(v, name)).max, `${name}, seed ${seed}`).toBeGreaterThan(400);
      }
      // Extreme points sit on the surface: bone 3 voxels (2.4 mm) in, soft tissue or air a few out.
      for (const [name, d, out] of ON_SURFACE) {
        const p = point(v, name);
        expect(mean3(v, p.map((c, a) => c + 3 * d[a])), `${name} inside, seed ${seed}`).toBeGreaterThan(350); // prettier-ignore
        expect(around(v, p.map((c, a) => c - out * d[a])).min, `${name} outside, seed ${seed}`).toBeLessThan(150); // prettier-ignore
      }
      // Sella: soft tissue (the pituitary) at the point, the bony floor of the fossa 4–9 mm below.
      const s = point(v, 'Sella');
      expect(Math.abs(hu(v, ...(s.map(Math.round) as [number, number, number])))).toBeLessThan(250);
      const floor = [5, 6, 7, 8, 9, 10, 11].map((dz) => around(v, [s[0], s[1], s[2] - dz], 0).max);
      expect(Math.max(...floor)).toBeGreaterThan(700);
      // Enamel at the incisal edge is brighter than any cortical bone at Menton.
      const incisal = around(v, point(v, 'Upper incisal incision'), 2).max;
      expect(incisal).toBeGreaterThan(1800);
      expect(incisal).toBeGreaterThan(around(v, point(v, 'Menton'), 2).max + 400);
      // Nasopharynx halfway between PNS and Basion, and the ear canal 4 mm under Porion, are air.
      const pns = point(v, 'Posterior nasal spine');
      const ba = point(v, 'Basion');
      expect(
        around(
          v,
          pns.map((c, a) => (c + ba[a]) / 2),
        ).min,
      ).toBeLessThan(-800);
      for (const po of ['Porion R', 'Porion L']) {
        const p = point(v, po);
        expect(around(v, [p[0], p[1], p[2] - 4 / 0.8], 0).max, po).toBeLessThan(-500);
      }
    }
  });

  it('draws metal streaks and cupping from the device, and the two devices differ', () => {
    const a = CBCT_DEVICES['cbct-a'];
    const b = CBCT_DEVICES['cbct-b'];
    expect(b.cbct!.noiseHu).toBeGreaterThan(a.cbct!.noiseHu);
    expect(b.cbct!.streakHu).toBeGreaterThan(a.cbct!.streakHu);
    expect(b.cbct!.fovRadiusFraction).toBeLessThan(a.cbct!.fovRadiusFraction);
    const size = { width: 128, height: 128, depth: 116, seed: 6 };
    const plain: DeviceProfile = { ...a, cbct: { ...a.cbct!, streakHu: 0, cuppingHu: 0 } };
    const withArtefacts = generateClinicalCbctVolume({ ...size, device: a });
    const without = generateClinicalCbctVolume({ ...size, device: plain });
    let darkest = 0;
    let changedSlices = 0;
    const slice = 128 * 128;
    for (let z = 0; z < 116; z++) {
      let changed = false;
      for (let k = z * slice; k < (z + 1) * slice; k++) {
        const d = withArtefacts.pixels[k] - without.pixels[k];
        darkest = Math.min(darkest, d);
        if (d !== 0) changed = true;
      }
      if (changed) changedSlices++;
    }
    expect(darkest).toBeLessThan(-100); // a dark streak or the cupped centre
    expect(changedSlices).toBeGreaterThan(10);
    // Padding outside the field: 0 for cbct-a, air (−1000 HU → 24) for cbct-b.
    const vb = generateClinicalCbctVolume({ ...size, device: 'cbct-b' });
    expect(vb.pixels[0]).toBe(24);
    expect(withArtefacts.pixels[0]).toBe(0);
    // Noise: the spread of voxel-to-voxel differences in the brain is larger on cbct-b.
    const spread = (v: SyntheticVolume) => {
      const s = point(v, 'Sella').map(Math.round);
      const diffs: number[] = [];
      for (let dx = -6; dx <= 6; dx++) {
        for (let dy = -6; dy <= 6; dy++) {
          diffs.push(hu(v, s[0] + dx, s[1] + dy + 10, s[2] + 8) - hu(v, s[0] + dx + 1, s[1] + dy + 10, s[2] + 8)); // prettier-ignore
        }
      }
      return Math.sqrt(diffs.reduce((t, d) => t + d * d, 0) / diffs.length);
    };
    expect(spread(vb)).toBeGreaterThan(1.5 * spread(withArtefacts));
  });
});
