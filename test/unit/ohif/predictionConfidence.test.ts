// The confidence a pseudo label carries (issue 5): volumes get it too, not only images. A hand-computed
// 3D case on a non-cubic grid (D 2, H 3, W 4) with a different spacing per axis, so a swapped axis
// fails; then the 3D pseudo-label SR stores it as LMK-CONFIDENCE, and a non-finite one is left out.
import { beforeAll, describe, expect, it } from 'vitest';
import createRandom from '../../../extension/src/core/data/createRandom.ts';
import type { VolumeSample } from '../../../extension/src/core/data/types.ts';
import createHeatmapModel from '../../../extension/src/core/models/createHeatmapModel.ts';
import { fitShapeModel } from '../../../extension/src/core/shape/index.ts';
import setupNodeBackend from '../../../extension/src/node/nodeBackend.ts';
import predictHeatmaps from '../../../extension/src/core/inference/predictHeatmaps.ts';
import { pseudoLabelOne } from '../../../extension/src/ohif/worker/pseudoLabelInWorker.ts';
import { readPart10 } from '../../../extension/src/dicom/datasetIo.ts';
import { readLandmarkSr } from '../../../extension/src/dicom/srReader.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import volumePseudoLabelSet from '../../../extension/src/ohif/volume/volumePseudoLabelSet.ts';
import predictionConfidence from '../../../extension/src/ohif/worker/predictionConfidence.ts';
import type { PseudoLabelResult, VolumeItem } from '../../../extension/src/ohif/worker/protocol.ts';

const [D, H, W, N] = [2, 3, 4, 2];
/** mm per input voxel along x, y, z: the confidence radius is max(2 mm, 2.5 mm) = 2.5 mm. */
const SPACING = [0.5, 1, 2.5];

/** [D, H, W, n] maps, channel last, with the given (x, y, z, landmark, value) cells set. */
function heat(cells: [number, number, number, number, number][]): Float32Array {
  const out = new Float32Array(D * H * W * N);
  for (const [x, y, z, t, v] of cells) out[((z * H + y) * W + x) * N + t] = v;
  return out;
}

describe('predictionConfidence on a volume', () => {
  // Landmark 0: one hot voxel → all mass at its centre: confidence 1, spread 0.
  // Landmark 1: 0.6 at voxel (0, 0, 0) and 0.2 at (3, 2, 1) → p = 0.75 / 0.25; centres (0.5, 0.5, 0.5)
  // and (3.5, 2.5, 1.5); mean (1.25, 1, 0.75). Offsets in mm (× 0.5, 1, 2.5):
  //   a: (−0.375, −0.5, −0.625), d² = 0.78125 ≤ 2.5² → inside;
  //   b: (1.125, 1.5, 1.875),    d² = 7.03125 > 6.25 → outside.
  // confidence = 0.75; spread = √(0.75 · 0.78125 + 0.25 · 7.03125) = √2.34375 mm.
  const p = {
    heat: heat([
      [1, 2, 1, 0, 0.8],
      [0, 0, 0, 1, 0.6],
      [3, 2, 1, 1, 0.2],
    ]),
    shape: [D, H, W, N],
  };

  it('gives each landmark its probability mass within 2.5 mm and its RMS spread in mm', () => {
    const c = predictionConfidence(p, SPACING);
    expect(c.confidence![0]).toBeCloseTo(1, 6);
    expect(c.confidence![1]).toBeCloseTo(0.75, 6);
    expect(c.spreadMm![0]).toBeCloseTo(0, 6);
    expect(c.spreadMm![1]).toBeCloseTo(Math.sqrt(2.34375), 6);
  });

  it('uses the z spacing for z (swapped spacings give another answer)', () => {
    const swapped = predictionConfidence(p, [2.5, 1, 0.5]);
    expect(swapped.spreadMm![1]).not.toBeCloseTo(Math.sqrt(2.34375), 3);
  });

  it('refuses too few spacings for the map, naming both', () => {
    expect(() => predictionConfidence(p, [0.5, 1])).toThrow(
      'predictionConfidence: 2 spacings for a 3D heatmap',
    );
  });
});

const volumeItem: VolumeItem = {
  kind: 'volume',
  studyUid: '1.2.3',
  seriesUid: '1.2.3.4',
  sopUid: '1.2.3.4.0',
  sopUids: ['1.2.3.4.0', '1.2.3.4.1'],
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  frameOfReferenceUid: '1.2.3.9',
};

describe('3D pseudo-label SR with confidence', () => {
  const item = volumeItem;
  const result = (confidence: number[]): PseudoLabelResult => ({
    item,
    predicted: [
      [1, 2, 3],
      [4, 5, 6],
    ],
    adjusted: [
      [1.5, 2, 3],
      [4, 5, 8],
    ],
    abnormal: [false, false],
    deviationMm: [0.5, 2],
    mahalanobis: 1.25,
    confidence,
  });
  const model = { name: 'ohif-landmarks-unet3d', version: 'abc', method: 'full' };
  const srOf = (r: PseudoLabelResult) => {
    const buffer = writeLandmarkSr(volumePseudoLabelSet(['a', 'b'], r, model), {
      study: { studyUid: '1.2.3', patientId: 'p', patientName: 'P', studyDate: '20260101' },
      seriesUid: '1.2.3.7',
      sopUid: '1.2.3.7.1',
    });
    return readLandmarkSr(readPart10(buffer, 'test')).set;
  };

  it('stores the per-landmark confidence of the 3D maps (LMK-CONFIDENCE)', () => {
    const c = predictionConfidence(
      {
        heat: heat([
          [1, 2, 1, 0, 0.8],
          [0, 0, 0, 1, 0.6],
          [3, 2, 1, 1, 0.2],
        ]),
        shape: [D, H, W, N],
      },
      SPACING,
    );
    const back = srOf(result(c.confidence!));
    expect(back.dimension).toBe(3);
    expect(back.landmarks[0]!.confidence).toBeCloseTo(1, 6);
    expect(back.landmarks[1]!.confidence).toBeCloseTo(0.75, 6);
  });

  it('leaves a non-finite confidence out of the SR and keeps the finite one', () => {
    const back = srOf(result([Number.NaN, 0.75]));
    expect(back.landmarks[0]!.confidence).toBeUndefined();
    expect(back.landmarks[1]!.confidence).toBeCloseTo(0.75, 6);
  });
});

describe('pseudoLabelOne on a volume', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('returns the 3D maps’ confidence and spread for every landmark', async () => {
    const input = [4, 8, 6]; // D, H, W
    const { model } = createHeatmapModel({
      architecture: 'unet3d',
      inputShape: input,
      landmarkCount: 3,
      depth: 2,
      baseFilters: 2,
      seed: 5,
    });
    const rng = createRandom(2);
    const sample: VolumeSample = {
      id: 'v',
      image: Float32Array.from({ length: 4 * 8 * 6 }, () => rng.next()),
      spacingMm: [3, 2, 5],
      letterbox: {
        scaleX: 1,
        scaleY: 1,
        scaleZ: 1,
        offsetX: 0,
        offsetY: 0,
        offsetZ: 0,
        inputWidth: 6,
        inputHeight: 8,
        inputDepth: 4,
      },
    };
    const shapes = [0, 1, 2, 3].map(() =>
      [0, 1, 2].map(() => [18 * rng.next(), 16 * rng.next(), 20 * rng.next()]),
    );
    const r = await pseudoLabelOne(
      model,
      { sample, spacingMm: [3, 2, 5], toResult: (q) => q, frameOfReferenceUid: '1.2.3.9' },
      { ...volumeItem, frameOfReferenceUid: undefined },
      fitShapeModel(shapes),
    );
    const expected = predictionConfidence(await predictHeatmaps(model, sample.image), [3, 2, 5]);
    expect(r.confidence).toHaveLength(3);
    expect(r.confidence).toEqual(expected.confidence);
    expect(r.spreadMm).toEqual(expected.spreadMm);
    expect(r.confidence!.every((c) => c >= 0 && c <= 1)).toBe(true);
    expect(r.spreadMm!.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(r.item).toMatchObject({ frameOfReferenceUid: '1.2.3.9' });
    model.dispose();
  });
});
