// Pixel decoding outside the browser: hand-computed cases for stored values and the Modality LUT, a
// write -> read -> decode round trip, and volume assembly with its consistency errors.
import { describe, expect, it } from 'vitest';
import { readPart10, type NaturalDataset } from '../../../extension/src/dicom/datasetIo.ts';
import { imageFromDataset, requireSpacing } from '../../../extension/src/dicom/imageFromDataset.ts';
import { ctDatasets, writeDxImage } from '../../../extension/src/dicom/imageWriter.ts';
import { applyModalityLut, invertMonochrome1 } from '../../../extension/src/dicom/modalityLut.ts';
import {
  decodeFrame,
  storedValues,
  type FrameInfo,
} from '../../../extension/src/dicom/pixelDecode.ts';
import { assembleVolume } from '../../../extension/src/dicom/volume.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import { nodeCodecs } from '../../../extension/src/node/codecs/nodeCodecs.ts';

const info = (over: Partial<FrameInfo> = {}): FrameInfo => ({
  rows: 1,
  columns: 3,
  bitsAllocated: 16,
  bitsStored: 12,
  pixelRepresentation: 1,
  samplesPerPixel: 1,
  transferSyntax: '1.2.840.10008.1.2.1',
  ...over,
});
const study = {
  patientId: 'P',
  patientName: 'T^T',
  studyUid: uidFromSeed('d/study'),
  studyDate: '20260101',
};

describe('stored values', () => {
  it('sign-extends 12-bit two complement and masks bits above BitsStored', () => {
    // 0x0FFF = -1, 0x0800 = -2048, 0xF7FF has garbage above bit 11 -> 0x07FF = 2047
    expect(Array.from(storedValues([0x0fff, 0x0800, 0xf7ff], info()))).toEqual([-1, -2048, 2047]);
    expect(Array.from(storedValues([0x0fff, 0xf7ff], info({ pixelRepresentation: 0 })))).toEqual([
      4095, 2047,
    ]);
  });

  it('reads little-endian 16-bit raw frames and refuses short ones', async () => {
    const bytes = new Uint8Array([0x34, 0x02, 0xff, 0x0f, 0x00, 0x08]);
    expect(Array.from(await decodeFrame(bytes, info(), {}))).toEqual([0x234, -1, -2048]);
    await expect(decodeFrame(bytes.subarray(0, 4), info(), {})).rejects.toThrow(/expected 6/);
    await expect(
      decodeFrame(bytes, info({ transferSyntax: '1.2.840.10008.1.2.5' }), {}),
    ).rejects.toThrow(/not supported/);
  });
});

describe('Modality LUT', () => {
  it('applies rescale slope/intercept', () => {
    const ds = { RescaleSlope: 2, RescaleIntercept: -1024, BitsStored: 12, PixelRepresentation: 0 };
    const r = applyModalityLut(new Float32Array([0, 512, 4095]), ds);
    expect(Array.from(r.values)).toEqual([-1024, 0, 7166]);
    expect(r.range).toEqual([-1024, 7166]);
  });

  it('applies a LUT sequence with first mapped value and clamping, then inverts MONOCHROME1', () => {
    const ds: NaturalDataset = {
      ModalityLUTSequence: [{ LUTDescriptor: [3, 10, 16], LUTData: [100, 200, 400] }],
    };
    const r = applyModalityLut(new Float32Array([9, 10, 11, 12, 13]), ds);
    expect(Array.from(r.values)).toEqual([100, 100, 200, 400, 400]);
    invertMonochrome1(r);
    expect(Array.from(r.values)).toEqual([400, 400, 300, 100, 100]);
  });
});

describe('image round trip', () => {
  it('DX written then read and decoded gives the same pixels, spacing (column, row) and no NaN', async () => {
    const pixels = Array.from({ length: 5 * 3 }, (_, i) => (i * 37) % 4096);
    const file = writeDxImage(
      study,
      { seriesUid: uidFromSeed('d/series'), seriesNumber: 1 },
      {
        width: 5,
        height: 3,
        pixels,
        bitsStored: 12,
        spacingMm: [0.1, 0.2],
        sopUid: uidFromSeed('d/img'),
      },
    );
    const image = await imageFromDataset(readPart10(file, 'dx'), nodeCodecs());
    expect([image.width, image.height]).toEqual([5, 3]);
    expect(Array.from(image.pixels)).toEqual(pixels);
    expect(image.spacingMm).toEqual([0.1, 0.2]);
    expect(image.spacingSource).toBe('PixelSpacing');
  });

  it('takes ImagerPixelSpacing (flagged) when PixelSpacing is absent, and refuses mm without spacing', async () => {
    const file = writeDxImage(
      study,
      { seriesUid: uidFromSeed('d/series'), seriesNumber: 1 },
      {
        width: 2,
        height: 2,
        pixels: [0, 1, 2, 3],
        bitsStored: 8,
        spacingMm: [0.15, 0.15],
        sopUid: uidFromSeed('d/img2'),
      },
    );
    const ds = readPart10(file, 'dx');
    delete ds.PixelSpacing;
    const flagged = await imageFromDataset(ds, nodeCodecs());
    expect(flagged.spacingSource).toBe('ImagerPixelSpacing');
    delete ds.ImagerPixelSpacing;
    const none = await imageFromDataset(ds, nodeCodecs());
    expect(() => requireSpacing(none)).toThrow(
      /instance 2\.25\.\d+: no PixelSpacing or ImagerPixelSpacing/,
    );
  });
});

describe('volume assembly', () => {
  const volume = {
    width: 3,
    height: 2,
    depth: 4,
    voxelsHu: Array.from({ length: 24 }, (_, i) => i - 12),
    spacingMm: [0.5, 0.25, 2] as [number, number, number],
    frameOfReferenceUid: uidFromSeed('d/for'),
    uidSeed: 'd/vol',
    origin: [1, 2, 3] as [number, number, number],
  };
  async function slices(datasets: NaturalDataset[]) {
    return Promise.all(
      datasets.map(async (dataset) => ({
        dataset,
        image: await imageFromDataset(dataset, nodeCodecs(), {
          transferSyntax: '1.2.840.10008.1.2.1',
        }),
      })),
    );
  }
  const datasets = () =>
    ctDatasets(study, { seriesUid: uidFromSeed('d/ct'), seriesNumber: 2 }, volume);

  it('sorts shuffled slices by position and recovers HU, spacing and origin', async () => {
    const ds = datasets();
    const v = assembleVolume(await slices([ds[2], ds[0], ds[3], ds[1]]));
    expect(v.depth).toBe(4);
    expect(Array.from(v.voxels)).toEqual(volume.voxelsHu);
    expect(v.spacingMm).toEqual([0.5, 0.25, 2]);
    expect(v.origin).toEqual([1, 2, 3]);
    expect(v.direction[2]).toEqual([0, 0, 1]);
  });

  it('reports a missing slice and an inconsistent orientation, naming the series', async () => {
    const ds = datasets();
    await expect(slices([ds[0], ds[1], ds[3]]).then(assembleVolume)).rejects.toThrow(
      /series 2\.25\.\d+: 1 missing slice/,
    );
    const tilted = { ...ds[1], ImageOrientationPatient: [1, 0, 0, 0, 0.8, 0.6] };
    await expect(slices([ds[0], tilted, ds[2]]).then(assembleVolume)).rejects.toThrow(
      /ImageOrientationPatient differs/,
    );
  });
});
