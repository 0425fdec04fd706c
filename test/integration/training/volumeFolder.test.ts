// Volume folders for the learning commands: `<dir>/<id>/` = the DICOM slices of one CBCT series (written
// here from generated volumes with the DICOM writer), landmarks CSV `image,x1,y1,z1,...` in voxels. The
// loader must give exactly the samples that the generator's own voxels give (independent path: no
// DICOM), predictVolumeFolder must give what the detector gives on those voxels, and broken series must
// fail with the folder and the problem named.
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCbctVolume } from '../../../extension/src/core/synthetic/index.ts';
import type { SyntheticVolume } from '../../../extension/src/core/synthetic/index.ts';
import { syntheticStudyFiles } from '../../../extension/src/dicom/studyFiles.ts';
import {
  formatLandmarkTable,
  parseLandmarkTable,
} from '../../../extension/src/core/data/landmarkTable.ts';
import prepareVolumeSample from '../../../extension/src/core/data/prepareVolumeSample.ts';
import type { GrayVolume } from '../../../extension/src/core/data/types.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import createVolumeDetector from '../../../extension/src/core/models/createVolumeDetector.ts';
import { METADATA_FORMAT } from '../../../extension/src/core/models/landmarkModelMetadata.ts';
import loadSamples from '../../../extension/src/node/loadSamples.ts';
import { folderKind, listVolumes } from '../../../extension/src/node/volumeFolder.ts';
import predictVolumeFolder from '../../../extension/src/node/predictVolumeFolder.ts';
import { loadLandmarkModel, saveLandmarkModel } from '../../../extension/src/node/modelStore.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';

const INPUT = [8, 12, 12];

function generated(seed: number): SyntheticVolume {
  return generateCbctVolume({ seed, width: 24, height: 20, depth: 14, spacingMm: [8, 8, 10] });
}

/** The generator's voxels as a volume (stored values; the DICOM route gives them minus 1024). */
function direct(v: SyntheticVolume): GrayVolume {
  const [width, height, depth] = [v.width, v.height, v.depth];
  return { width, height, depth, voxels: Float32Array.from(v.pixels), spacingMm: v.spacingMm };
}

/** Generator voxel centres are integers; the pipeline's voxel i covers [i, i+1). */
const cornerVoxels = (v: SyntheticVolume) => v.landmarksPx.map((p) => p.map((x) => x + 0.5));

describe('volume folders (DICOM series per volume)', () => {
  let dir: string;
  const volumes = [3, 4, 5].map(generated);
  const ids = ['003', '004', '005'];

  beforeAll(async () => {
    await setupNodeBackend('wasm');
    dir = await mkdtemp(path.join(tmpdir(), 'landmarks-volumes-'));
    const images = path.join(dir, 'volumes');
    for (const [i, v] of volumes.entries()) {
      const folder = path.join(images, ids[i]!);
      await mkdir(folder, { recursive: true });
      const { files } = syntheticStudyFiles(v, false, i + 1);
      // Reverse file names: the slice order must come from the geometry, not from the names.
      for (const [k, bytes] of files.entries())
        await writeFile(path.join(folder, `IM${files.length - k}`), new Uint8Array(bytes));
    }
    const rows = new Map(volumes.map((v, i) => [ids[i]!, cornerVoxels(v)]));
    await writeFile(
      path.join(dir, 'landmarks.csv'),
      formatLandmarkTable({ dimension: 3, landmarkCount: 18, rows }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads series folders with a 3D landmark table into the same samples as the raw voxels', async () => {
    const images = path.join(dir, 'volumes');
    expect(await folderKind(images)).toBe('volume');
    expect([...(await listVolumes(images)).keys()]).toEqual(ids);
    const { readFile } = await import('node:fs/promises');
    const table = parseLandmarkTable(await readFile(path.join(dir, 'landmarks.csv'), 'utf8'));
    expect(table.dimension).toBe(3);
    const samples = await loadSamples({
      imagesDir: images,
      ids: ['3', '004.dcm', '005'],
      inputShape: INPUT,
      landmarks: table.rows,
    });
    samples.forEach((s, i) => {
      const expected = prepareVolumeSample(
        ids[i]!,
        direct(volumes[i]!),
        INPUT,
        cornerVoxels(volumes[i]!),
      );
      expect(s.id).toBe(ids[i]);
      expect(s.spacingMm).toEqual(expected.spacingMm);
      expect(s.letterbox).toEqual(expected.letterbox);
      expect(s.landmarks!.flat().map((v) => +v.toFixed(9))).toEqual(
        expected.landmarks!.flat().map((v) => +v.toFixed(9)),
      );
      // The DICOM route stores HU = value − 1024 (12-bit): after min–max normalisation, the same input.
      let worst = 0;
      s.image.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - expected.image[k]!))));
      expect(worst).toBeLessThan(1e-5);
    });
  });

  it('predicts a volume folder with a saved 3D model exactly as the detector does on the raw voxels', async () => {
    const { model, config } = createHeatmapModel({
      architecture: 'unet3d',
      inputShape: INPUT,
      landmarkCount: 18,
      depth: 2,
      baseFilters: 2,
      seed: 4,
    });
    const modelDir = path.join(dir, 'model');
    await saveLandmarkModel(modelDir, model, {
      format: METADATA_FORMAT,
      version: 1,
      landmarkNames: Array.from({ length: 18 }, (_, i) => `L${i + 1}`),
      network: config,
      method: 'supervised',
      seed: 4,
      training: {
        labelled: 0,
        unlabelled: 0,
        validation: 0,
        backend: 'wasm',
        seconds: 0,
        history: [],
      },
    });
    const { landmarks: predicted, failed } = await predictVolumeFolder(
      modelDir,
      path.join(dir, 'volumes'),
      ['005', '3', '009'],
    );
    // A volume that is not there is reported and skipped; the others are predicted.
    expect(failed).toEqual([
      { id: '009', reason: expect.stringMatching(/volume "009": no series folder/) },
    ]);
    expect([...predicted.keys()]).toEqual(['005', '003']);
    const detector = createVolumeDetector((await loadLandmarkModel(modelDir)).model, INPUT);
    const expected = await detector.detect(direct(volumes[2]!));
    detector.dispose();
    model.dispose();
    const got = predicted.get('005')!;
    expect(got).toHaveLength(18);
    got.forEach((p, l) => p.forEach((v, a) => expect(v).toBeCloseTo(expected[l]![a]!, 3)));
    // Original voxels: inside the volume.
    const size = [24, 20, 14];
    for (const p of got) {
      p.forEach((v, a) => {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(size[a]!);
      });
    }
  });

  it('names the folder and the problem for a broken series, a 2D table, a mixed folder', async () => {
    const images = path.join(dir, 'volumes');
    await unlink(path.join(images, '004', 'IM7'));
    await expect(
      loadSamples({ imagesDir: images, ids: ['004'], inputShape: INPUT }),
    ).rejects.toThrow(/004.*missing slice/);
    await expect(
      loadSamples({
        imagesDir: images,
        ids: ['003'],
        inputShape: INPUT,
        landmarks: new Map([['003', [[1, 2]]]]),
      }),
    ).rejects.toThrow(/volume "003": the landmark table is not 3D/);
    await expect(
      loadSamples({ imagesDir: images, ids: ['009'], inputShape: INPUT }),
    ).rejects.toThrow(/volume "009": no series folder/);
    await writeFile(path.join(images, 'x.png'), 'not really');
    await expect(folderKind(images)).rejects.toThrow(/both image files .* and series folders/);
  });
});
