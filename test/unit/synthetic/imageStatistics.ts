/**
 * Test helpers: simple image statistics computed independently of the generator (patch extraction,
 * normalised cross-correlation template search, noise estimate).
 */

/** Image as float values. */
export interface Grey {
  data: Float32Array;
  width: number;
  height: number;
}

export const toGrey = (s: { pixels: Uint16Array; width: number; height: number }): Grey => ({
  data: Float32Array.from(s.pixels),
  width: s.width,
  height: s.height,
});

/** (2r+1)² patch centred on the rounded point, or undefined when it leaves the image. */
export function patch(g: Grey, x: number, y: number, r: number): Float32Array | undefined {
  const cx = Math.round(x);
  const cy = Math.round(y);
  if (cx - r < 0 || cy - r < 0 || cx + r >= g.width || cy + r >= g.height) return undefined;
  const out = new Float32Array((2 * r + 1) ** 2);
  let k = 0;
  for (let j = cy - r; j <= cy + r; j++) {
    for (let i = cx - r; i <= cx + r; i++) out[k++] = g.data[j * g.width + i];
  }
  return out;
}

/** Zero-mean, unit-norm copy (NCC normalisation); a flat patch becomes all zeros. */
export function normalise(p: Float32Array): Float32Array {
  const mean = p.reduce((a, b) => a + b, 0) / p.length;
  const centred = p.map((v) => v - mean);
  const norm = Math.sqrt(centred.reduce((a, v) => a + v * v, 0)) || 1;
  return centred.map((v) => v / norm);
}

/**
 * Position (pixel) of the best normalised cross-correlation of `template` (zero-mean, unit-norm,
 * side 2r+1) within ±search pixels of (x0, y0).
 */
export function bestMatch(
  g: Grey,
  template: Float32Array,
  r: number,
  x0: number,
  y0: number,
  search: number,
): [number, number] {
  const side = 2 * r + 1;
  const n = side * side;
  let best = -Infinity;
  let at: [number, number] = [Math.round(x0), Math.round(y0)];
  for (let cy = Math.round(y0) - search; cy <= Math.round(y0) + search; cy++) {
    for (let cx = Math.round(x0) - search; cx <= Math.round(x0) + search; cx++) {
      if (cx - r < 0 || cy - r < 0 || cx + r >= g.width || cy + r >= g.height) continue;
      let sum = 0;
      let sum2 = 0;
      let dot = 0;
      for (let j = 0, k = 0; j < side; j++) {
        const row = (cy - r + j) * g.width + cx - r;
        for (let i = 0; i < side; i++, k++) {
          const v = g.data[row + i];
          sum += v;
          sum2 += v * v;
          dot += v * template[k];
        }
      }
      // Σ t = 0, so Σ (v − mean) t = Σ v t; divide by ‖v − mean‖.
      const norm = Math.sqrt(Math.max(1e-12, sum2 - (sum * sum) / n));
      if (dot / norm > best) {
        best = dot / norm;
        at = [cx, cy];
      }
    }
  }
  return at;
}

/**
 * Noise SD estimate (Immerkær 1996, "Fast noise variance estimation"): the Laplacian-difference mask
 * [1 −2 1; −2 4 −2; 1 −2 1] over the image, σ = sqrt(π/2) / (6 (W−2)(H−2)) Σ|response|.
 */
export function noiseSd(g: Grey): number {
  const { data, width: w, height: h } = g;
  let sum = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const at = (dx: number, dy: number) => data[(y + dy) * w + x + dx];
      const v =
        at(-1, -1) +
        at(1, -1) +
        at(-1, 1) +
        at(1, 1) -
        2 * (at(0, -1) + at(0, 1) + at(-1, 0) + at(1, 0)) +
        4 * at(0, 0);
      sum += Math.abs(v);
    }
  }
  return (Math.sqrt(Math.PI / 2) * sum) / (6 * (w - 2) * (h - 2));
}

/** Volume as float values (x fastest). */
export interface Volume {
  data: Float32Array;
  dims: [number, number, number];
}

export const toVolume = (s: {
  pixels: Uint16Array;
  width: number;
  height: number;
  depth: number;
}): Volume => ({ data: Float32Array.from(s.pixels), dims: [s.width, s.height, s.depth] });

/** (2r+1)³ patch centred on the rounded point, or undefined when it leaves the volume. */
export function patch3(v: Volume, p: number[], r: number): Float32Array | undefined {
  const c = p.map(Math.round);
  if (c.some((x, a) => x - r < 0 || x + r >= v.dims[a])) return undefined;
  const out = new Float32Array((2 * r + 1) ** 3);
  let k = 0;
  for (let z = c[2] - r; z <= c[2] + r; z++) {
    for (let y = c[1] - r; y <= c[1] + r; y++) {
      for (let x = c[0] - r; x <= c[0] + r; x++) {
        out[k++] = v.data[(z * v.dims[1] + y) * v.dims[0] + x];
      }
    }
  }
  return out;
}

/** Voxel of the best NCC of a zero-mean unit-norm template within ±search voxels of p0. */
export function bestMatch3(
  v: Volume,
  template: Float32Array,
  r: number,
  p0: number[],
  search: number,
): number[] {
  const c0 = p0.map(Math.round);
  let best = -Infinity;
  let at = c0;
  for (let dz = -search; dz <= search; dz++) {
    for (let dy = -search; dy <= search; dy++) {
      for (let dx = -search; dx <= search; dx++) {
        const c = [c0[0] + dx, c0[1] + dy, c0[2] + dz];
        const p = patch3(v, c, r);
        if (!p) continue;
        let sum = 0;
        let sum2 = 0;
        let dot = 0;
        for (let k = 0; k < p.length; k++) {
          sum += p[k];
          sum2 += p[k] * p[k];
          dot += p[k] * template[k];
        }
        const score = dot / Math.sqrt(Math.max(1e-12, sum2 - (sum * sum) / p.length));
        if (score > best) {
          best = score;
          at = c;
        }
      }
    }
  }
  return at;
}
