/**
 * A folder the CLI reads: `images/001.png …` (generated cephalograms, 96 × 120 at 1.6 mm) and
 * `landmarks.csv` with their landmarks (pixel-corner convention), for CLI tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { generateCephalogram } from '../../extension/src/core/synthetic/index.ts';

/** Zero-padded ids `001` … of images a … b, one per line. */
export const idList = (a: number, b: number): string =>
  Array.from({ length: b - a + 1 }, (_, i) => String(a + i).padStart(3, '0')).join('\n');

/** Writes images 001 … `count` (generator seeds 1 … count) and landmarks.csv into `dir`. */
export async function writeCephalogramFolder(dir: string, count: number): Promise<void> {
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const rows: string[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const s = generateCephalogram({ seed, width: 96, height: 120, spacingMm: [1.6, 1.6] });
    const png = new PNG({ width: s.width, height: s.height });
    const max = 2 ** s.bitsStored - 1;
    s.pixels.forEach((v, i) => {
      const g = Math.round((255 * v) / max);
      png.data.set([g, g, g, 255], 4 * i);
    });
    const id = String(seed).padStart(3, '0');
    await writeFile(path.join(dir, 'images', `${id}.png`), PNG.sync.write(png));
    rows.push([id, ...s.landmarksPx.flatMap(([x, y]) => [x! + 0.5, y! + 0.5])].join(','));
  }
  const header = ['image', ...Array.from({ length: 19 }, (_, i) => `x${i + 1},y${i + 1}`)];
  await writeFile(path.join(dir, 'landmarks.csv'), [header.join(','), ...rows].join('\n') + '\n');
}
