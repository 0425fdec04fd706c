/**
 * Writes PNG previews of synthetic studies with their landmarks marked, for eyeballing the generator.
 *   npx tsx scripts/previewSynthetic.ts [outDir=artifacts/synthetic-preview] [count=4]
 * Cephalograms: one PNG per study and device. CBCT volumes: three orthogonal maximum-intensity
 * projections side by side (landmarks projected likewise).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import {
  CBCT_DEVICES,
  CEPHALOGRAM_DEVICES,
  generateCbctVolume,
  generateCephalogram,
  generateHandRadiograph,
} from '../extension/src/core/synthetic/index.ts';

type Rgb = [number, number, number];
const COLOURS: Rgb[] = [
  [255, 40, 40],
  [40, 220, 40],
  [60, 120, 255],
  [255, 200, 0],
  [255, 0, 255],
  [0, 230, 230],
];

function toPng(
  grey: Float32Array,
  width: number,
  height: number,
  marks: number[][],
  zoom = 1,
): PNG {
  let max = 0;
  for (const v of grey) max = Math.max(max, v);
  const png = new PNG({ width: width * zoom, height: height * zoom });
  for (let k = 0; k < width * height * zoom * zoom; k++) {
    const x = Math.floor((k % (width * zoom)) / zoom);
    const y = Math.floor(Math.floor(k / (width * zoom)) / zoom);
    const g = Math.round((255 * grey[y * width + x]) / (max || 1));
    png.data.set([g, g, g, 255], 4 * k);
  }
  marks.forEach(([mx, my], i) => {
    const [x, y] = [(mx + 0.5) * zoom - 0.5, (my + 0.5) * zoom - 0.5];
    const c = COLOURS[i % COLOURS.length];
    for (let d = -2; d <= 2; d++) {
      for (const [px, py] of [
        [Math.round(x) + d, Math.round(y)],
        [Math.round(x), Math.round(y) + d],
      ]) {
        if (px >= 0 && py >= 0 && px < width * zoom && py < height * zoom && d !== 0) {
          png.data.set([...c, 255], 4 * (py * width * zoom + px));
        }
      }
    }
  });
  return png;
}

/** Maximum-intensity projection of a volume along an axis (0 = x, 1 = y, 2 = z). */
function mip(
  v: Uint16Array,
  dims: number[],
  axis: number,
): { img: Float32Array; w: number; h: number } {
  const [nx, ny, nz] = dims;
  const keep = [0, 1, 2].filter((a) => a !== axis);
  const w = dims[keep[0]];
  const h = dims[keep[1]];
  const img = new Float32Array(w * h);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        // Superior up: the slice index (z) grows upward in patient space, so flip it on screen.
        const idx = [x, y, nz - 1 - z];
        const k = idx[keep[1]] * w + idx[keep[0]];
        img[k] = Math.max(img[k], v[(z * ny + y) * nx + x]);
      }
    }
  }
  return { img, w, h };
}

function main(): void {
  const outDir = process.argv[2] ?? 'artifacts/synthetic-preview';
  const count = Number(process.argv[3] ?? 4);
  const zoom = Number(process.argv[4] ?? 1);
  mkdirSync(outDir, { recursive: true });
  for (const device of Object.keys(CEPHALOGRAM_DEVICES)) {
    for (let seed = 1; seed <= count; seed++) {
      const s = generateCephalogram({ seed, device });
      const png = toPng(Float32Array.from(s.pixels), s.width, s.height, s.landmarksPx, zoom);
      writeFileSync(
        join(outDir, `${s.id}-plain.png`),
        PNG.sync.write(toPng(Float32Array.from(s.pixels), s.width, s.height, [], zoom)),
      );
      writeFileSync(join(outDir, `${s.id}.png`), PNG.sync.write(png));
    }
  }
  for (let seed = 1; seed <= count; seed++) {
    const s = generateHandRadiograph({ seed, device: Object.keys(CEPHALOGRAM_DEVICES)[seed % 3] });
    const grey = Float32Array.from(s.pixels);
    writeFileSync(join(outDir, `${s.id}.png`), PNG.sync.write(toPng(grey, s.width, s.height, s.landmarksPx, zoom))); // prettier-ignore
    writeFileSync(join(outDir, `${s.id}-plain.png`), PNG.sync.write(toPng(grey, s.width, s.height, [], zoom))); // prettier-ignore
  }
  for (const device of Object.keys(CBCT_DEVICES)) {
    for (let seed = 1; seed <= Math.min(count, 2); seed++) {
      const s = generateCbctVolume({ seed, device });
      const dims = [s.width, s.height, s.depth];
      // Mid-sagittal slice through the first landmark, superior up.
      const x0 = Math.round(s.landmarksPx[0][0]);
      const slice = new Float32Array(s.height * s.depth);
      for (let z = 0; z < s.depth; z++) {
        for (let y = 0; y < s.height; y++) {
          slice[(s.depth - 1 - z) * s.height + y] = s.pixels[(z * s.height + y) * s.width + x0];
        }
      }
      const near = s.landmarksPx.filter(([x]) => Math.abs(x - x0) < 2);
      const sliceMarks = near.map(([, y, z]) => [y, s.depth - 1 - z]);
      writeFileSync(
        join(outDir, `${s.id}-sagittal.png`),
        PNG.sync.write(toPng(slice, s.height, s.depth, sliceMarks, zoom)),
      );
      [0, 1, 2].forEach((axis) => {
        const { img, w, h } = mip(s.pixels, dims, axis);
        const marks = s.landmarksPx
          .map(([x, y, z]) => [x, y, s.depth - 1 - z])
          .map((p) => p.filter((_, a) => a !== axis));
        writeFileSync(
          join(outDir, `${s.id}-mip${'xyz'[axis]}.png`),
          PNG.sync.write(toPng(img, w, h, marks, zoom)),
        );
      });
    }
  }
  process.stdout.write(`previews written to ${outDir}\n`);
}

main();
