// `landmarks model unpack` (issue 3, session 3): a tiny network trained by the CLI's own training
// driver (tiny preset, supervised, 6 generated PNG cephalograms) is exported as a viewer model bundle
// (modelBundle.ts, as the Model section does, no browser), unpacked by the CLI into a new model folder,
// and `predict` on that folder gives exactly the coordinates of the original folder. A damaged bundle
// and a missing file fail with the file named. The shipped ISBI model's refiner (models/
// isbi2015-cephalogram/refiner) goes through pack and unpack unchanged (bundle version 2), and a bundle
// with a broken refiner description is refused by checkRefinerMetadata.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCephalogram } from '../../../extension/src/core/synthetic/index.ts';
import { loadLandmarkModel } from '../../../extension/src/node/modelStore.ts';
import { loadRefiner } from '../../../extension/src/node/refinerStore.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import predictFolder from '../../../extension/src/node/predictFolder.ts';
import runTraining from '../../../extension/src/node/runTraining.ts';
import {
  decodeModelBundle,
  encodeModelBundle,
  modelIdOf,
  type ModelArtifactsLike,
} from '../../../extension/src/ohif/services/modelBundle.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/landmarks.js');
const IDS = ['001', '002', '003', '004', '005', '006'];
const SHIPPED = path.resolve('models/isbi2015-cephalogram');

async function writeImages(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const rows: string[] = [];
  for (const [k, id] of IDS.entries()) {
    const s = generateCephalogram({ seed: k + 1, width: 96, height: 120, spacingMm: [1.6, 1.6] });
    const png = new PNG({ width: s.width, height: s.height });
    const max = 2 ** s.bitsStored - 1;
    s.pixels.forEach((v, i) => {
      const g = Math.round((255 * v) / max);
      png.data.set([g, g, g, 255], 4 * i);
    });
    await writeFile(path.join(dir, 'images', `${id}.png`), PNG.sync.write(png));
    rows.push([id, ...s.landmarksPx.flatMap(([x, y]) => [x! + 0.5, y! + 0.5])].join(','));
  }
  const header = ['image', ...Array.from({ length: 19 }, (_, i) => `x${i + 1},y${i + 1}`)];
  await writeFile(path.join(dir, 'landmarks.csv'), [header.join(','), ...rows].join('\n') + '\n');
}

/** The viewer's export of a model folder: tfjs artifacts + metadata + shape model, one JSON file. */
async function exportBundle(modelDir: string): Promise<string> {
  const { model, metadata, shapeModelJson } = await loadLandmarkModel(modelDir);
  let artifacts: ModelArtifactsLike | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = {
        modelTopology: a.modelTopology as object,
        weightSpecs: a.weightSpecs!,
        weightData: tf.io.CompositeArrayBuffer.join(a.weightData),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  model.dispose();
  const info = {
    id: await modelIdOf(artifacts!.weightData),
    trainedAt: '2026-11-26T00:00:00.000Z',
    source: { kind: 'trained' as const },
    metadata,
    ...(shapeModelJson !== undefined ? { shapeModel: shapeModelJson } : {}),
  };
  return JSON.stringify(encodeModelBundle(artifacts!, info));
}

describe('landmarks model unpack', () => {
  let dir: string;
  beforeAll(async () => {
    await setupNodeBackend('wasm');
    dir = await mkdtemp(path.join(tmpdir(), 'landmarks-unpack-'));
    await writeImages(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unpacks a bundle of a trained model into a folder that predicts identical coordinates', async () => {
    const trained = path.join(dir, 'trained');
    const status = await runTraining({
      images: path.join(dir, 'images'),
      landmarks: path.join(dir, 'landmarks.csv'),
      spacing: 1.6,
      method: 'supervised',
      preset: 'tiny',
      seed: 4,
      epochs: 0.5,
      out: trained,
      refine: false,
      labelledIds: IDS,
      unlabelledIds: [],
      validationIds: [],
      backend: 'wasm',
    });
    expect(status).toBe('completed');
    await writeFile(path.join(dir, 'bundle.json'), await exportBundle(trained));
    // No refiner: still a version-1 bundle (older viewers import it).
    expect(JSON.parse(await readFile(path.join(dir, 'bundle.json'), 'utf8')).version).toBe(1);
    // A stale refiner in the target folder belongs to another model: unpack removes it.
    await mkdir(path.join(dir, 'unpacked', 'refiner'), { recursive: true });
    const out = await run('node', [BIN, 'model', 'unpack', 'bundle.json', '--out', 'unpacked'], {
      cwd: dir,
    });
    expect(out.stdout).toMatch(/model [0-9a-f]{16} unpacked into unpacked/);
    // The same files as the trained folder (shape model included).
    expect((await readdir(path.join(dir, 'unpacked'))).sort()).toEqual(
      (await readdir(trained)).sort(),
    );
    expect(await readdir(trained)).toContain('shape-model.json');
    const original = (await predictFolder(trained, path.join(dir, 'images'), IDS)).landmarks;
    const unpacked = (
      await predictFolder(path.join(dir, 'unpacked'), path.join(dir, 'images'), IDS)
    ).landmarks;
    expect(unpacked).toEqual(original);
    expect([...original.values()].flat(2).every(Number.isFinite)).toBe(true);
    // Same weights, byte for byte.
    expect(
      Buffer.from(await readFile(path.join(dir, 'unpacked', 'weights.bin'))).equals(
        await readFile(path.join(trained, 'weights.bin')),
      ),
    ).toBe(true);
  }, 600_000);

  it('packs a model folder into a bundle that unpacks to the same weights, metadata and shape model', async () => {
    const trained = path.join(dir, 'trained');
    const out = await run('node', [BIN, 'model', 'pack', 'trained', '--out', 'packed.json'], {
      cwd: dir,
    });
    expect(out.stdout).toMatch(/packed into packed\.json/);
    await run('node', [BIN, 'model', 'unpack', 'packed.json', '--out', 'repacked'], { cwd: dir });
    for (const name of ['weights.bin', 'shape-model.json', 'landmarks-model.json'])
      expect(
        Buffer.from(await readFile(path.join(dir, 'repacked', name))).equals(
          await readFile(path.join(trained, name)),
        ),
        name,
      ).toBe(true);
    const missing = await run('node', [BIN, 'model', 'pack', 'nowhere', '--out', 'x.json'], {
      cwd: dir,
    }).then(
      () => expect.unreachable('pack must fail'),
      (error: { stderr: string }) => error,
    );
    expect(missing.stderr).toMatch(/nowhere\/model\.json: cannot read \(ENOENT\)/);
  }, 300_000);

  it('packs and unpacks a model folder with a refiner: same refiner weights and refiner.json', async () => {
    const bundleFile = path.join(dir, 'shipped.json');
    await run('node', [BIN, 'model', 'pack', SHIPPED, '--out', bundleFile]);
    const text = await readFile(bundleFile, 'utf8');
    const bundle = JSON.parse(text);
    expect(bundle.version).toBe(2);
    expect(bundle.refiner.metadata.format).toBe('landmarks-refiner');
    // Base64 of ~130 KB refiner weights beside the ~2 MB network: the file grows by about a third of
    // a megabyte at most.
    const refinerBytes = (await readFile(path.join(SHIPPED, 'refiner', 'weights.bin'))).length;
    expect(bundle.refiner.model.weightData.length).toBeLessThan(1.4 * refinerBytes);
    const decoded = await decodeModelBundle(text, 'shipped.json', { kind: 'file' });
    expect(decoded.info.refiner?.config.landmarkCount).toBe(19);
    expect(decoded.artifacts.refiner?.weightData.byteLength).toBe(refinerBytes);

    const out = path.join(dir, 'shipped-unpacked');
    await run('node', [BIN, 'model', 'unpack', bundleFile, '--out', out]);
    expect((await readdir(path.join(out, 'refiner'))).sort()).toEqual(
      (await readdir(path.join(SHIPPED, 'refiner'))).sort(),
    );
    // Identical bytes: the refiner's weights and its refiner.json (config, gate, training summary).
    for (const name of ['refiner/weights.bin', 'refiner/refiner.json', 'weights.bin'])
      expect(
        Buffer.from(await readFile(path.join(out, name))).equals(
          await readFile(path.join(SHIPPED, name)),
        ),
        name,
      ).toBe(true);
    const modelJson = (d: string) =>
      readFile(path.join(d, 'refiner', 'model.json'), 'utf8').then((t) => JSON.parse(t));
    expect(await modelJson(out)).toEqual(await modelJson(SHIPPED));
    // The CLI loads the unpacked refiner with the same config and the same weights.
    const [a, b] = await Promise.all([loadRefiner(SHIPPED), loadRefiner(out)]);
    expect(b!.metadata).toEqual(a!.metadata);
    expect(b!.refiner.config).toEqual(a!.refiner.config);
    a!.refiner.dispose();
    b!.refiner.dispose();

    // A refiner description checkRefinerMetadata refuses fails the import, naming the file.
    const broken = JSON.parse(text);
    broken.refiner.metadata.network.landmarkCount = 18;
    await expect(
      decodeModelBundle(JSON.stringify(broken), 'broken.json', { kind: 'file' }),
    ).rejects.toThrow(/broken\.json refiner: network and refiner landmark counts differ/);
    const cut = JSON.parse(text);
    cut.refiner.model.weightData = cut.refiner.model.weightData.slice(8);
    await expect(
      decodeModelBundle(JSON.stringify(cut), 'cut.json', { kind: 'file' }),
    ).rejects.toThrow(/cut\.json: refiner\.model weights are \d+ bytes, the specs describe \d+/);
    // Version 1 (before refiners): the refiner field is not read, the network still imports.
    const old = JSON.parse(text);
    old.version = 1;
    const v1 = await decodeModelBundle(JSON.stringify(old), 'old.json', { kind: 'file' });
    expect(v1.info.refiner).toBeUndefined();
    expect(v1.artifacts.refiner).toBeUndefined();
  }, 300_000);

  it('names the bundle file when it is damaged or missing', async () => {
    const text = await readFile(path.join(dir, 'bundle.json'), 'utf8').catch(() => '{}');
    const damaged = JSON.parse(text) as { model?: { weightData?: string } };
    if (damaged.model) damaged.model.weightData = damaged.model.weightData!.slice(8);
    await writeFile(path.join(dir, 'damaged.json'), JSON.stringify(damaged));
    const fail = (file: string) =>
      run('node', [BIN, 'model', 'unpack', file, '--out', 'never'], { cwd: dir }).then(
        () => expect.unreachable('unpack must fail'),
        (error: { code: number; stderr: string }) => error,
      );
    const bad = await fail('damaged.json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/landmarks: damaged\.json: /);
    const missing = await fail('nope.json');
    expect(missing.stderr).toMatch(
      /landmarks: nope\.json: cannot read the model bundle \(ENOENT\)/,
    );
    await expect(readdir(path.join(dir, 'never'))).rejects.toThrow();
  }, 300_000);
});
