/**
 * The Model section's one-file export format (issue 5): a bundle of a real tiny network round-trips
 * (same predictions after decode), turns into a model folder that the CLI's loader reads, and every
 * kind of damaged file is refused with a message naming the file and what is wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import {
  METADATA_FORMAT,
  type LandmarkModelMetadata,
} from '../../../extension/src/core/models/landmarkModelMetadata.ts';
import { fitShapeModel, serialiseShapeModel } from '../../../extension/src/core/shape/index.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import { loadLandmarkModel } from '../../../extension/src/node/modelStore.ts';
import {
  bundleToModelFolder,
  decodeModelBundle,
  encodeModelBundle,
  fromBase64,
  modelIdOf,
  toBase64,
  weightBytes,
  type ModelArtifactsLike,
  type ModelInfo,
} from '../../../extension/src/ohif/services/modelBundle.ts';

const NAMES = ['A', 'B', 'C'];
const SOURCE = 'file "m.json"';
const ORIGIN = { kind: 'file', name: 'm.json' } as const;

/** Non-square input so a swapped H/W would show. */
const INPUT = [16, 8];

async function artifactsOf(model: tf.LayersModel): Promise<ModelArtifactsLike> {
  let out: ModelArtifactsLike | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = {
        modelTopology: a.modelTopology as object,
        weightSpecs: a.weightSpecs!,
        weightData: tf.io.CompositeArrayBuffer.join(a.weightData),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  return out!;
}

/** Deterministic test image in [0, 1]. */
const image = () =>
  tf.tensor4d(
    Float32Array.from({ length: INPUT[0]! * INPUT[1]! }, (_, i) => ((i * 37) % 101) / 100),
    [1, INPUT[0]!, INPUT[1]!, 1],
  );

describe('model bundle (one-file export of a browser model)', () => {
  let model: tf.LayersModel;
  let artifacts: ModelArtifactsLike;
  let info: ModelInfo;
  let text: string;
  let dir: string;

  beforeAll(async () => {
    await setupNodeBackend('wasm');
    const built = createHeatmapModel({
      architecture: 'unet2d',
      inputShape: INPUT,
      landmarkCount: NAMES.length,
      depth: 2,
      baseFilters: 2,
      seed: 3,
    });
    model = built.model;
    artifacts = await artifactsOf(model);
    const shapes = [0, 1, 2, 3, 4].map((k) => [
      [10 + k, 20],
      [30, 22 + ((k * 3) % 5)],
      [20 - k, 40 + k],
    ]);
    const metadata: LandmarkModelMetadata = {
      format: METADATA_FORMAT,
      version: 1,
      landmarkNames: NAMES,
      network: built.config,
      method: 'full',
      seed: 3,
      preset: 'tiny',
      training: {
        labelled: 5,
        unlabelled: 2,
        validation: 5,
        backend: 'wasm',
        seconds: 12,
        history: [{ stage: 'pretrain', epoch: 0, loss: 0.5, validationMreMm: 3.25 }],
        best: { stage: 'pretrain', epoch: 0, validationMreMm: 3.25 },
      },
    };
    info = {
      id: await modelIdOf(artifacts.weightData),
      trainedAt: '2026-11-26T01:02:03.000Z',
      source: { kind: 'trained' },
      metadata,
      shapeModel: serialiseShapeModel(fitShapeModel(shapes, { landmarkNames: NAMES })),
    };
    text = JSON.stringify(encodeModelBundle(artifacts, info, '2026-11-26T02:00:00.000Z'));
    dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
  });

  afterAll(() => {
    model?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('base64 round-trips every byte value, across the 32 KiB chunk boundary', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + 7) % 256);
    const back = new Uint8Array(fromBase64(toBase64(bytes.buffer), 'x'));
    expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
    // Node's own encoder is an independent answer.
    expect(toBase64(bytes.buffer)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('weightBytes is the sum of 4 bytes per float32 element', () => {
    const n = artifacts.weightSpecs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(weightBytes(artifacts.weightSpecs)).toBe(4 * n);
    expect(artifacts.weightData.byteLength).toBe(4 * n);
  });

  it('decodes to the same weights, metadata and shape model; the network predicts the same', async () => {
    const { artifacts: back, info: infoBack } = await decodeModelBundle(text, SOURCE, ORIGIN);
    expect(new Uint8Array(back.weightData)).toEqual(new Uint8Array(artifacts.weightData));
    expect(infoBack).toEqual({ ...info, source: ORIGIN });
    const copy = await tf.loadLayersModel(tf.io.fromMemory(back));
    const x = image();
    const a = model.predict(x) as tf.Tensor;
    const b = copy.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    copy.dispose();
  });

  it('turns into a model folder that the CLI loader reads, predicting the same', async () => {
    const { artifacts: back, info: infoBack } = await decodeModelBundle(text, SOURCE, ORIGIN);
    for (const [name, content] of Object.entries(bundleToModelFolder(back, infoBack))) {
      writeFileSync(path.join(dir, name), content);
    }
    const loaded = await loadLandmarkModel(dir);
    expect(loaded.metadata).toEqual(info.metadata);
    expect(loaded.shapeModelJson).toBe(info.shapeModel);
    const x = image();
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.model.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    loaded.model.dispose();
  });

  it('the id is the weights’ hash: other weights, other id', async () => {
    const other = new Uint8Array(artifacts.weightData.slice(0));
    other[0] = other[0]! ^ 1;
    expect(await modelIdOf(other.buffer)).not.toBe(info.id);
    expect(info.id).toMatch(/^[0-9a-f]{16}$/);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free edits of parsed JSON
  const edit = (fn: (o: Record<string, any>) => void) => {
    const o = JSON.parse(text);
    fn(o);
    return JSON.stringify(o);
  };

  it.each([
    ['not JSON', () => '{"format": ', /file "m.json": not JSON/],
    ['a JSON array', () => '[1]', /not a JSON object/],
    [
      'another format',
      () => edit((o) => (o.format = 'landmarks-shape-model')),
      /not a landmark model bundle \(format "landmarks-shape-model"\)/,
    ],
    [
      'a newer version',
      () => edit((o) => (o.version = 3)),
      /bundle version 3, this viewer reads 1 and 2/,
    ],
    [
      'names that do not match the heatmaps',
      () => edit((o) => o.metadata.landmarkNames.pop()),
      /metadata: 2 names for 3 heatmaps/,
    ],
    [
      'a shape model of other landmarks',
      () =>
        edit((o) => {
          const s = JSON.parse(o.shapeModel);
          s.meanShape.push([1, 1]);
          s.landmarkNames.push('D');
          s.components = s.components.map((c: number[]) => [...c, 0, 0]);
          o.shapeModel = JSON.stringify(s);
        }),
      /shape model has 4 landmarks, the network 3/,
    ],
    [
      'no topology',
      () => edit((o) => delete o.model.modelTopology),
      /"model.modelTopology" is missing/,
    ],
    [
      'truncated weights',
      () => edit((o) => (o.model.weightData = o.model.weightData.slice(0, 40))),
      /weights are 30 bytes, the specs describe \d+/,
    ],
    [
      'weights that are not base64',
      () => edit((o) => (o.model.weightData = '@@@@')),
      /not valid base64/,
    ],
    [
      'weights changed after export',
      () =>
        edit((o) => {
          const b = Buffer.from(o.model.weightData, 'base64');
          b[0] = b[0]! ^ 1;
          o.model.weightData = b.toString('base64');
        }),
      /weights do not match the bundle id/,
    ],
  ])('refuses %s, naming the file', async (_what, make, message) => {
    await expect(decodeModelBundle(make(), SOURCE, ORIGIN)).rejects.toThrow(message);
    await expect(decodeModelBundle(make(), SOURCE, ORIGIN)).rejects.toThrow(/^file "m.json"/);
  });
});
