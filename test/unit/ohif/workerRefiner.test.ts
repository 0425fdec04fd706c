// The viewer's pseudo-labelling applies a model's coarse-to-fine refiner as `landmarks predict` does: the
// shipped ISBI model (models/isbi2015-cephalogram, with its refiner/) packed as the viewer imports it,
// built by the worker's store (buildNetwork, buildRefiner) and run by pseudoLabelOne on a synthetic
// cephalogram, gives exactly the points of createLandmarkPredictor with the CLI's loadRefiner, and the
// review's flags; without the refiner it gives the reviewed points. A refiner that cannot be built is
// reported (the pass goes on without it) instead of failing the pass.
import { beforeAll, describe, expect, it } from 'vitest';
import prepareSample from '../../../extension/src/core/data/prepareSample.ts';
import type { GrayImage } from '../../../extension/src/core/data/types.ts';
import createLandmarkPredictor from '../../../extension/src/core/inference/createLandmarkPredictor.ts';
import { parseShapeModel } from '../../../extension/src/core/shape/index.ts';
import { decodingFor } from '../../../extension/src/core/selfTraining/predictCoordinates.ts';
import { generateCephalogram } from '../../../extension/src/core/synthetic/index.ts';
import { packModelFolder } from '../../../extension/src/cli/commands/model.ts';
import { loadLandmarkModel } from '../../../extension/src/node/modelStore.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import { loadRefiner } from '../../../extension/src/node/refinerStore.ts';
import {
  decodeModelBundle,
  type ModelArtifactsLike,
  type ModelInfo,
} from '../../../extension/src/ohif/services/modelBundle.ts';
import {
  buildNetwork,
  buildRefiner,
  refinerNote,
} from '../../../extension/src/ohif/worker/browserModelStore.ts';
import { pseudoLabelOne } from '../../../extension/src/ohif/worker/pseudoLabelInWorker.ts';
import type { ImageItem } from '../../../extension/src/ohif/worker/protocol.ts';

const SHIPPED = 'models/isbi2015-cephalogram';
const SPACING: [number, number] = [0.25, 0.25];

describe('pseudo-labelling with the model’s refiner (worker)', () => {
  let artifacts: ModelArtifactsLike;
  let info: ModelInfo;
  let image: GrayImage;
  const item = {
    studyUid: '1',
    seriesUid: '2',
    sopUid: '3',
    spacingMm: SPACING,
  } as unknown as ImageItem;

  beforeAll(async () => {
    await setupNodeBackend('wasm');
    ({ artifacts, info } = await decodeModelBundle(await packModelFolder(SHIPPED), 'shipped', {
      kind: 'builtin',
    }));
    const s = generateCephalogram({ seed: 3, width: 480, height: 600, spacingMm: SPACING });
    const max = 2 ** s.bitsStored - 1;
    image = {
      width: s.width,
      height: s.height,
      pixels: Float32Array.from(s.pixels, (v) => Math.round((255 * v) / max)),
    };
  }, 120_000);

  it('gives the points of createLandmarkPredictor with the refiner, and the review’s flags', async () => {
    const model = await buildNetwork(artifacts, info, 'shipped');
    const loaded = await buildRefiner(artifacts, info, 'shipped');
    expect(loaded.error).toBeUndefined();
    expect(refinerNote(info, loaded)).toBe('refiner applied (11/19 landmarks)');
    const shapeModel = parseShapeModel(info.shapeModel!);
    const inputShape = info.metadata.network.inputShape;
    const sample = prepareSample('3', image, [...inputShape], SPACING);
    const decoding = decodingFor(info.metadata.training.heatmapTarget);
    const withRefiner = await pseudoLabelOne(
      model,
      { sample, image, spacingMm: SPACING, toResult: (p) => p },
      item,
      shapeModel,
      decoding,
      loaded.refiner,
    );
    const without = await pseudoLabelOne(
      model,
      { sample, spacingMm: SPACING, toResult: (p) => p },
      item,
      shapeModel,
      decoding,
    );

    // The CLI's predictor on the same folder, with and without its refiner.
    const cli = await loadLandmarkModel(SHIPPED);
    const cliRefiner = (await loadRefiner(SHIPPED))!;
    const predictor = createLandmarkPredictor({
      model: cli.model,
      metadata: cli.metadata,
      shapeModel: parseShapeModel(cli.shapeModelJson!),
      refiner: cliRefiner.refiner,
    });
    const refined = await predictor.predict(image, SPACING, 'image 3');
    const plain = await createLandmarkPredictor({
      model: cli.model,
      metadata: cli.metadata,
      shapeModel: parseShapeModel(cli.shapeModelJson!),
    }).predict(image, SPACING, 'image 3');

    expect(withRefiner.predicted).toEqual(refined.landmarksPx);
    expect(without.predicted).toEqual(plain.landmarksPx);
    expect(withRefiner.predicted.flat().every(Number.isFinite)).toBe(true);
    // The refiner moved the gated landmarks only; the flags, X_β and deviations are the review's.
    const moved = withRefiner.predicted.map(
      (p, i) =>
        Math.hypot(p[0]! - without.predicted[i]![0]!, p[1]! - without.predicted[i]![1]!) > 0,
    );
    expect(moved.some(Boolean)).toBe(true);
    info.refiner!.config.useRefined!.forEach((use, i) => {
      if (!use) expect(moved[i], `landmark ${i} is gated off`).toBe(false);
    });
    expect(withRefiner.abnormal).toEqual(refined.reviews!.map((r) => r.flagged));
    expect(withRefiner.abnormal).toEqual(without.abnormal);
    expect(withRefiner.adjusted).toEqual(without.adjusted);
    expect(withRefiner.deviationMm).toEqual(without.deviationMm);
    predictor.dispose();
    model.dispose();
  }, 300_000);

  it('reports a refiner that cannot be built, and a model without one says nothing', async () => {
    const noNetwork = { ...artifacts, refiner: undefined };
    const missing = await buildRefiner(noNetwork, info, 'm');
    expect(missing.refiner).toBeUndefined();
    expect(refinerNote(info, missing)).toBe(
      "refiner not applied: m: the refiner's network is missing or damaged",
    );
    const badInfo = structuredClone(info);
    badInfo.refiner!.config.patchShape = [32, 32];
    const bad = await buildRefiner(artifacts, badInfo, 'm');
    expect(bad.error).toMatch(/m: the refiner cannot be built \(network output 64×64×19/);
    const plainInfo = { ...info, refiner: undefined };
    expect(await buildRefiner(artifacts, plainInfo, 'm')).toEqual({});
    expect(refinerNote(plainInfo, {})).toBe('');
  }, 120_000);
});
