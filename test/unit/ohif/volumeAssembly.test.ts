/**
 * The worker's CT series → volume path (ohif/volume/loadVolumeItem.ts, ohif/worker/loadStudySample.ts)
 * on a fake DICOMweb client: slices listed out of order, a slice gap unlike SliceThickness, rescale
 * slope/intercept, non-square slices, and broken series. Expected values are computed by hand from the
 * fixture below.
 */
import { describe, expect, it } from 'vitest';
import type { VolumeLetterbox } from '../../../extension/src/core/data/types.ts';
import type { NaturalDataset } from '../../../extension/src/dicom/datasetIo.ts';
import type { PacsClient } from '../../../extension/src/pacs/pacsClient.ts';
import loadVolumeItem from '../../../extension/src/ohif/volume/loadVolumeItem.ts';
import { voxelsToPatient } from '../../../extension/src/ohif/volume/patientVoxels.ts';
import { sampleLoader } from '../../../extension/src/ohif/worker/loadStudySample.ts';
import type { VolumeItem } from '../../../extension/src/ohif/worker/protocol.ts';

const STUDY = '1.2.3';
const SERIES = '1.2.3.4';
const COLUMNS = 2;
const ROWS = 3;
/** Slice k lies at z = 10 + 2.5·k mm (SliceThickness says 1 mm: the spacing must come from positions). */
const Z = [10, 12.5, 15, 17.5];

/** Stored value of pixel (x, y) of slice k: 100·k + 10·y + x (12 bits, unsigned). */
const stored = (k: number, x: number, y: number) => 100 * k + 10 * y + x;

function slice(k: number, overrides: NaturalDataset = {}): NaturalDataset {
  return {
    StudyInstanceUID: STUDY,
    SeriesInstanceUID: SERIES,
    SOPInstanceUID: `${SERIES}.${k}`,
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    Modality: 'CT',
    FrameOfReferenceUID: '1.2.3.9',
    Rows: ROWS,
    Columns: COLUMNS,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelSpacing: [0.8, 0.6], // row spacing (y), column spacing (x)
    SliceThickness: 1,
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    ImagePositionPatient: [-5, 7, Z[k]],
    RescaleSlope: 2,
    RescaleIntercept: -1024,
    ...overrides,
  };
}

function frame(k: number): Uint8Array {
  const values = new Uint16Array(ROWS * COLUMNS);
  for (let y = 0; y < ROWS; y++)
    for (let x = 0; x < COLUMNS; x++) values[y * COLUMNS + x] = stored(k, x, y);
  return new Uint8Array(values.buffer);
}

/** A client that serves `slices` (metadata in the given order) and their frames. */
function fakeClient(slices: NaturalDataset[]): PacsClient {
  const byUid = new Map(slices.map((s) => [String(s.SOPInstanceUID), s]));
  const client: Pick<PacsClient, 'url' | 'seriesMetadata' | 'frames'> = {
    url: 'fake',
    seriesMetadata: async (study, series) => {
      if (study !== STUDY || series !== SERIES) throw new Error(`no series ${series}`);
      return slices;
    },
    frames: async (_study, _series, sop) => {
      const k = Number(sop.split('.').pop());
      if (!byUid.has(sop)) throw new Error(`no instance ${sop}`);
      return [frame(k)];
    },
  };
  return client as PacsClient;
}

const item: VolumeItem = {
  kind: 'volume',
  studyUid: STUDY,
  seriesUid: SERIES,
  sopUid: `${SERIES}.0`,
  sopUids: Z.map((_, k) => `${SERIES}.${k}`),
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
};

describe('CT series → volume in the worker', () => {
  it('orders slices by position, takes the slice spacing from the positions and applies the rescale', async () => {
    const shuffled = [2, 0, 3, 1].map((k) => slice(k));
    const v = await loadVolumeItem(fakeClient(shuffled), item);
    expect([v.width, v.height, v.depth]).toEqual([COLUMNS, ROWS, 4]);
    expect(v.spacingMm).toEqual([0.6, 0.8, 2.5]);
    expect(v.origin).toEqual([-5, 7, 10]);
    expect(v.sopUids).toEqual(item.sopUids);
    expect(v.frameOfReferenceUid).toBe('1.2.3.9');
    for (let k = 0; k < 4; k++)
      for (let y = 0; y < ROWS; y++)
        for (let x = 0; x < COLUMNS; x++)
          expect(v.voxels[(k * ROWS + y) * COLUMNS + x]).toBe(2 * stored(k, x, y) - 1024);
  });

  it('orders slices along the normal when it points the other way (feet first)', async () => {
    // Column direction flipped: normal = row × column = (0, 0, −1), so the highest z comes first.
    const flipped = [0, 1, 2, 3].map((k) =>
      slice(k, { ImageOrientationPatient: [1, 0, 0, 0, -1, 0] }),
    );
    const v = await loadVolumeItem(fakeClient(flipped), item);
    expect(v.origin).toEqual([-5, 7, 17.5]);
    expect(v.voxels[0]).toBe(2 * stored(3, 0, 0) - 1024);
  });

  it('names the study and series when a slice is missing', async () => {
    const gap = [0, 1, 3].map((k) => slice(k));
    await expect(loadVolumeItem(fakeClient(gap), item)).rejects.toThrow(
      /study 1\.2\.3 series 1\.2\.3\.4: .*1 missing slice/,
    );
  });

  it('names the series and slice when the orientation differs', async () => {
    const mixed = [slice(0), slice(1), slice(2, { ImageOrientationPatient: [0, 1, 0, 0, 0, 1] })];
    await expect(loadVolumeItem(fakeClient(mixed), item)).rejects.toThrow(
      /series 1\.2\.3\.4.*slice 1\.2\.3\.4\.2.*ImageOrientationPatient/,
    );
  });

  it('names the series when it is not a volume (one slice) or has no position', async () => {
    await expect(loadVolumeItem(fakeClient([slice(0)]), item)).rejects.toThrow(
      /series 1\.2\.3\.4: .*at least 2 slices/,
    );
    const noPosition = [slice(0), slice(1, { ImagePositionPatient: undefined })];
    await expect(loadVolumeItem(fakeClient(noPosition), item)).rejects.toThrow(
      /series 1\.2\.3\.4.*ImagePositionPatient/,
    );
  });

  it('turns SR landmarks (patient mm) into input voxels and results back into patient mm', async () => {
    const slices = [0, 1, 2, 3].map((k) => slice(k));
    const client = fakeClient(slices);
    const volume = await loadVolumeItem(client, item);
    // Centre of voxel (1, 2, 3): patient (−5 + 0.6, 7 + 1.6, 10 + 7.5) = (−4.4, 8.6, 17.5).
    const patient = [[-4.4, 8.6, 17.5]];
    const load = sampleLoader({ wadoRoot: 'unused', headers: {} }, [8, 8, 8], async () => client);
    const loaded = await load({ ...item, landmarks: patient });
    const box = loaded.sample.letterbox as VolumeLetterbox;
    const input = loaded.sample.landmarks![0]!;
    expect(input[0]).toBeCloseTo(1.5 * box.scaleX + box.offsetX, 9);
    expect(input[1]).toBeCloseTo(2.5 * box.scaleY + box.offsetY, 9);
    expect(input[2]).toBeCloseTo(3.5 * box.scaleZ + box.offsetZ, 9);
    expect(loaded.spacingMm).toEqual([0.6, 0.8, 2.5]);
    expect(loaded.frameOfReferenceUid).toBe('1.2.3.9');
    const back = loaded.toResult([[1.5, 2.5, 3.5]])[0]!;
    patient[0]!.forEach((v, a) => expect(back[a]).toBeCloseTo(v, 9));
    expect(voxelsToPatient([[1.5, 2.5, 3.5]], volume)[0]![2]).toBeCloseTo(17.5, 9);
  });
});
