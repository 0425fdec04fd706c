// Real ISBI 2015 images (../shared/data/isbi2015, absent outside CI and dev machines: skipped then):
// the image reader and letterbox must place the doctors' landmarks on the same structures in the
// network input, with spacing 0.1 mm / scale, and the mapping back must be exact.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLandmarkTable } from '../../../extension/src/core/data/landmarkTable.ts';
import { toOriginalPixels } from '../../../extension/src/core/data/computeLetterbox.ts';
import loadSamples from '../../../extension/src/node/loadSamples.ts';
import { readImage } from '../../../extension/src/node/imageFolder.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const DIR = path.resolve('../shared/data/isbi2015');

describe.skipIf(!existsSync(DIR))('ISBI 2015 images through the data pipeline', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('reads 1935×2400 greyscale JPEGs and letterboxes them with landmarks and spacing', async () => {
    const table = parseLandmarkTable(readFileSync(path.join(DIR, 'landmarks_mean.csv'), 'utf8'), {
      source: 'landmarks_mean.csv',
    });
    const { image } = await readImage(path.join(DIR, 'images', '001.jpg'));
    expect([image.width, image.height]).toEqual([1935, 2400]);
    const [sample] = await loadSamples({
      imagesDir: path.join(DIR, 'images'),
      ids: ['001'],
      inputShape: [160, 128],
      spacingMm: [0.1, 0.1],
      landmarks: table.rows,
    });
    const s = sample!;
    expect(s.image.length).toBe(160 * 128);
    expect(Math.min(...s.image)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...s.image)).toBeLessThanOrEqual(1);
    // One scale for both axes (≈ 0.066), so one input pixel is ≈ 1.5 mm along x and y alike.
    expect(s.spacingMm[0]).toBeCloseTo(s.spacingMm[1]!, 1);
    expect(s.spacingMm[0]).toBeGreaterThan(1.4);
    expect(s.spacingMm[0]).toBeLessThan(1.6);
    // Landmarks inside the input, and mapped back exactly.
    for (const [x, y] of s.landmarks!) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(128);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(160);
    }
    const back = toOriginalPixels(s.landmarks!, s.letterbox);
    back.forEach((p, l) => {
      expect(p[0]).toBeCloseTo(table.rows.get('001')![l]![0]!, 6);
      expect(p[1]).toBeCloseTo(table.rows.get('001')![l]![1]!, 6);
    });
    // Image and labels line up: the soft-tissue profile landmarks (13 upper lip, 14 lower lip,
    // 16 soft-tissue pogonion) sit on the skin edge: brighter tissue 2 input pixels behind them (−x),
    // darker air 1 pixel in front (+x). Measured on 001: 0.17/0.09, 0.19/0.08, 0.23/0.05.
    const at = (x: number, y: number) => s.image[Math.floor(y) * 128 + Math.floor(x)]!;
    for (const l of [12, 13, 15]) {
      const [x, y] = s.landmarks![l]!;
      expect(at(x! - 2, y!)).toBeGreaterThan(at(x! + 1, y!) + 0.05);
    }
  });
});

const DICOM = path.resolve('../shared/data/dicom-samples');

describe.skipIf(!existsSync(DICOM))('DICOM images through the image reader', () => {
  it('decodes JPEG Lossless CR with its pixel spacing, and reports none where the file has none', async () => {
    const cr = await readImage(path.join(DICOM, 'CR-ModalitySequenceLUT.dcm'));
    expect([cr.image.width, cr.image.height]).toEqual([1976, 1576]);
    expect(cr.spacingMm).toEqual([0.15, 0.15]);
    expect(cr.image.pixels.every(Number.isFinite)).toBe(true);
    const chest = await readImage(path.join(DICOM, 'CR-MONO1-10-chest.dcm'));
    expect([chest.image.width, chest.image.height]).toEqual([440, 440]);
    expect(chest.spacingMm).toBeUndefined();
  });

  it('a file that is not an image fails with its name', async () => {
    await expect(readImage(path.join(DICOM, 'test-SR.dcm'))).rejects.toThrow(
      /test-SR\.dcm: cannot decode/,
    );
  });
});
