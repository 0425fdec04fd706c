/**
 * Simulated CBCT reconstruction of a clinical-size attenuation volume (μ / μ_water, see
 * clinicalCbctShapes.ts) into stored 12-bit values, value − 1024 ≈ HU. In order: blur of the
 * reconstruction, beam-hardening streaks (a dark band between every two metal objects of one axial
 * slice, thin bright and dark rays out of each), cupping (the centre of the field darker), brightening
 * next to the edge of a field that cuts the head (truncation), Gaussian noise, and the cylindrical
 * field of view: outside it the unit stores its padding value. These are image-domain imitations of
 * the artefacts, not a projection and reconstruction; cheap enough for 30 M voxels.
 */
import { gaussianBlur } from './acquire.ts';
import type { DenseObject } from './clinicalCbctShapes.ts';
import type { Random } from './random.ts';
import type { CbctArtefacts, DeviceProfile } from './types.ts';

/** Artefacts of a device without a `cbct` block (a custom profile). */
export const DEFAULT_CBCT_ARTEFACTS: CbctArtefacts = {
  noiseHu: 40,
  streakHu: 400,
  cuppingHu: 60,
  truncationHu: 80,
  fovRadiusFraction: 1,
  outsideHu: -1024,
  blurMm: 0.35,
};

const NOISE_TABLE_SIZE = 1 << 16;

/**
 * Blur by σ per axis (voxels): a 3-tap kernel [a, 1 − 2a, a] with a = σ² / 2 (same variance) when
 * σ < 0.9, which is 3× cheaper than the Gaussian of acquire.ts; that one otherwise.
 */
function blur(data: Float32Array, dims: number[], sigma: number[]): void {
  if (sigma.some((s) => s >= 0.9)) {
    gaussianBlur(data, dims, sigma);
    return;
  }
  const [nx, ny, nz] = dims;
  const strides = [1, nx, nx * ny];
  const starts = [
    Array.from({ length: ny * nz }, (_, k) => k * nx),
    Array.from({ length: nx * nz }, (_, k) => (k % nx) + Math.floor(k / nx) * nx * ny),
    Array.from({ length: nx * ny }, (_, k) => k),
  ];
  dims.forEach((n, axis) => {
    const a = (sigma[axis] * sigma[axis]) / 2;
    if (a < 0.01 || n < 3) return;
    const st = strides[axis];
    const c = 1 - 2 * a;
    for (const start of starts[axis]) {
      let prev = data[start];
      for (let i = 0, k = start; i < n; i++, k += st) {
        const cur = data[k];
        const next = i + 1 < n ? data[k + st] : cur;
        data[k] = a * (prev + next) + c * cur;
        prev = cur;
      }
    }
  });
}

/** Streak HU added to one axial slice at height zMm (row-major x fastest), in place. */
function addStreaks(
  slice: Float32Array,
  dims: number[],
  spacing: number[],
  zMm: number,
  dense: DenseObject[],
  amplitude: number,
  angles: number[][],
): void {
  const cut = dense
    .map((d, k) => ({ d, k, w: 1 - Math.abs(d.centre[2] - zMm) / d.radiusMm }))
    .filter((c) => c.w > 0);
  if (cut.length === 0) return;
  const [nx, ny] = dims;
  const [sx, sy] = spacing;
  const lines: { px: number; py: number; dx: number; dy: number; len: number; a: number }[] = [];
  for (let i = 0; i < cut.length; i++) {
    for (let j = i + 1; j < cut.length; j++) {
      const [a, b] = [cut[i].d.centre, cut[j].d.centre];
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
      const w = -amplitude * Math.min(cut[i].w, cut[j].w);
      lines.push({ px: a[0], py: a[1], dx: (b[0] - a[0]) / len, dy: (b[1] - a[1]) / len, len, a: w }); // prettier-ignore
    }
    for (const [k, angle] of angles[cut[i].k].entries()) {
      const c = cut[i].d.centre;
      const w = amplitude * 0.5 * cut[i].w * (k % 2 === 0 ? 1 : -1);
      lines.push({ px: c[0], py: c[1], dx: Math.cos(angle), dy: Math.sin(angle), len: 0, a: w });
    }
  }
  for (const l of lines) {
    const width = l.len > 0 ? 1.6 : 0.7;
    const k2 = -0.5 / (width * width);
    const band = 4 * width;
    for (let y = 0; y < ny; y++) {
      const ry = y * sy - l.py;
      // d = rx · dy − ry · dx is linear in rx: only the columns with |d| < band are visited.
      let x0 = 0;
      let x1 = nx - 1;
      if (Math.abs(l.dy) > 1e-6) {
        const [ra, rb] = [(ry * l.dx - band) / l.dy, (ry * l.dx + band) / l.dy];
        x0 = Math.max(0, Math.floor((Math.min(ra, rb) + l.px) / sx));
        x1 = Math.min(nx - 1, Math.ceil((Math.max(ra, rb) + l.px) / sx));
      } else if (Math.abs(ry * l.dx) > band) continue;
      for (let x = x0; x <= x1; x++) {
        const rx = x * sx - l.px;
        const t = rx * l.dx + ry * l.dy;
        const d = rx * l.dy - ry * l.dx;
        if (d * d > band * band) continue;
        const beyond = l.len > 0 ? Math.max(0, -t, t - l.len) : t < 0 ? Infinity : t;
        const fade = l.len > 0 ? Math.exp(-beyond / 25) : Math.exp(-beyond / 45);
        slice[y * nx + x] += l.a * fade * Math.exp(k2 * d * d);
      }
    }
  }
}

/**
 * Turns an attenuation volume (modified in place) into stored values.
 * @param dense metal objects (volume mm) the streaks run between.
 * @returns Uint16 voxels, x fastest, then y, then z.
 */
export default function acquireClinicalCbct(
  mu: Float32Array,
  dims: [number, number, number],
  spacingMm: [number, number, number],
  device: DeviceProfile,
  dense: DenseObject[],
  rng: Random,
): Uint16Array {
  const art = device.cbct ?? DEFAULT_CBCT_ARTEFACTS;
  blur(
    mu,
    dims,
    spacingMm.map((s) => art.blurMm / s),
  );
  const [nx, ny, nz] = dims;
  const [sx, sy, sz] = spacingMm;
  const cx = ((nx - 1) * sx) / 2;
  const cy = ((ny - 1) * sy) / 2;
  const radius = art.fovRadiusFraction * Math.min(cx + sx / 2, cy + sy / 2);
  // Per column (x, y) of the axial plane: cupping profile, edge brightening, inside the field or not.
  const cupping = new Float32Array(nx * ny);
  const edge = new Float32Array(nx * ny);
  const inside = new Uint8Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const rho = Math.hypot(x * sx - cx, y * sy - cy) / radius;
      inside[y * nx + x] = rho <= 1 ? 1 : 0;
      cupping[y * nx + x] = -art.cuppingHu * Math.max(0, 1 - rho * rho);
      edge[y * nx + x] = art.truncationHu * Math.exp((-(1 - rho) * radius) / 8);
    }
  }
  const angles = dense.map(() => Array.from({ length: 8 }, () => rng.uniform(0, Math.PI * 2)));
  const noise = Float32Array.from({ length: NOISE_TABLE_SIZE }, () => rng.normal(0, art.noiseHu));
  // Table index per voxel from an inline xorshift32 seeded by rng: a closure call per voxel costs more.
  let state = Math.floor(rng.next() * 0xfffffffe) + 1;
  const maxValue = 2 ** device.bitsStored - 1;
  const outside = Math.min(maxValue, Math.max(0, Math.round(1024 + art.outsideHu)));
  const offset = device.offset * maxValue;
  const out = new Uint16Array(mu.length);
  const streaks = new Float32Array(nx * ny);
  for (let z = 0; z < nz; z++) {
    streaks.fill(0);
    addStreaks(streaks, dims, spacingMm, z * sz, dense, art.streakHu, angles);
    const base = z * nx * ny;
    for (let k = 0; k < nx * ny; k++) {
      if (inside[k] === 0) {
        out[base + k] = outside;
        continue;
      }
      const m = mu[base + k];
      const body = m > 0.5 ? 1 : m * 2;
      const hu =
        1000 * (m - 1) +
        body * (cupping[k] + edge[k] + streaks[k]) +
        noise[(state >>> 16) & (NOISE_TABLE_SIZE - 1)];
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const v = 1024 + device.contrast * hu + offset;
      out[base + k] = v <= 0 ? 0 : v >= maxValue ? maxValue : Math.round(v);
    }
  }
  return out;
}
