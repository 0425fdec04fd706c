/**
 * Writes slices of a clinical-size synthetic CBCT (generateClinicalCbctVolume) with its landmarks
 * marked, and prints the generation time:
 *   npx tsx scripts/previewClinicalCbct.ts [outDir=artifacts/clinical-cbct-preview] [seed=1] [device=cbct-a] [size=336]
 * One PNG per view: the mid-sagittal slice through Sella, a sagittal slice through the right ramus,
 * axial slices through the upper incisor
 * tip, Porion and Sella, a coronal slice through the condyles, and the first four side by side
 * (`<id>-montage.png`). Window −1000..2500 HU. Landmarks
 * within 3 voxels of the slice are drawn as crosses.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import {
  CBCT_LANDMARKS,
  generateClinicalCbctVolume,
  type SyntheticVolume,
} from '../extension/src/core/synthetic/index.ts';

type Axis = 0 | 1 | 2;

/** Slice perpendicular to `axis` at index `at`, superior up, as a PNG with landmark crosses. */
function slicePng(v: SyntheticVolume, axis: Axis, at: number): PNG {
  const dims = [v.width, v.height, v.depth];
  const [a, b] = axis === 2 ? [0, 1] : axis === 1 ? [0, 2] : [1, 2];
  const [w, h] = [dims[a], dims[b]];
  const png = new PNG({ width: w, height: h });
  const flip = b === 2;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const idx = [0, 0, 0];
      idx[axis] = at;
      idx[a] = i;
      idx[b] = flip ? h - 1 - j : j;
      const value = v.pixels[(idx[2] * v.height + idx[1]) * v.width + idx[0]] - 1024;
      const g = Math.round(Math.min(255, Math.max(0, ((value + 1000) / 3500) * 255)));
      png.data.set([g, g, g, 255], 4 * (j * w + i));
    }
  }
  v.landmarksPx.forEach((p) => {
    if (Math.abs(p[axis] - at) > 3) return;
    const x = Math.round(p[a]);
    const y = Math.round(flip ? h - 1 - p[b] : p[b]);
    for (let d = -4; d <= 4; d++) {
      for (const [px, py] of [
        [x + d, y],
        [x, y + d],
      ]) {
        if (d !== 0 && px >= 0 && py >= 0 && px < w && py < h) {
          png.data.set([255, 60, 40, 255], 4 * (py * w + px));
        }
      }
    }
  });
  return png;
}

/** The images side by side, top-aligned on black. */
function montage(images: PNG[]): PNG {
  const out = new PNG({
    width: images.reduce((w, p) => w + p.width, 0),
    height: Math.max(...images.map((p) => p.height)),
  });
  out.data.fill(0);
  for (let k = 3; k < out.data.length; k += 4) out.data[k] = 255;
  let left = 0;
  for (const p of images) {
    PNG.bitblt(p, out, 0, 0, p.width, p.height, left, 0);
    left += p.width;
  }
  return out;
}

function main(): void {
  const outDir = process.argv[2] ?? 'artifacts/clinical-cbct-preview';
  const seed = Number(process.argv[3] ?? 1);
  const device = process.argv[4] ?? 'cbct-a';
  const size = Number(process.argv[5] ?? 336);
  mkdirSync(outDir, { recursive: true });
  const t0 = performance.now();
  const depth = Math.round((size * 304) / 336);
  const v = generateClinicalCbctVolume({ seed, device, width: size, height: size, depth });
  const seconds = (performance.now() - t0) / 1000;
  const index = (name: string) => CBCT_LANDMARKS.indexOf(name);
  const p = (name: string) => v.landmarksPx[index(name)].map(Math.round);
  const views: [string, Axis, number][] = [
    ['sagittal', 0, p('Sella')[0]],
    ['sagittal-ramus', 0, p('Gonion R')[0] + 3],
    ['axial-incisor', 2, p('Upper incisal incision')[2] + 3],
    ['axial-porion', 2, p('Porion R')[2] - 2],
    ['axial-sella', 2, p('Sella')[2]],
    ['coronal-condyle', 1, p('Condylion R')[1]],
    ['axial-gonion', 2, p('Gonion R')[2]],
  ];
  const pngs = views.map(([name, axis, at]) => {
    const png = slicePng(v, axis, at);
    writeFileSync(join(outDir, `${v.id}-${name}.png`), PNG.sync.write(png));
    return png;
  });
  writeFileSync(join(outDir, `${v.id}-montage.png`), PNG.sync.write(montage(pngs.slice(0, 4))));
  const voxels = v.width * v.height * v.depth;
  process.stdout.write(
    `${v.id}: ${v.width}×${v.height}×${v.depth} at ${v.spacingMm[0].toFixed(3)} mm (${(voxels / 1e6).toFixed(1)} M voxels) in ${seconds.toFixed(2)} s; previews in ${outDir}\n`,
  );
}

main();
