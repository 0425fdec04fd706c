// Real public DICOM test objects (../shared/data/dicom-samples): decoded values against independent
// statistics from scripts/pacsSampleStats.py (DCMTK + NumPy), and the bad-input table: each bad file
// gives a clear error naming it, and the batch goes on.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../../../extension/src/dicom/datasetIo.ts';
import { imageFromDataset, requireSpacing } from '../../../extension/src/dicom/imageFromDataset.ts';
import { nodeCodecs } from '../../../extension/src/node/codecs/nodeCodecs.ts';
import reference from './__fixtures__/sampleStats.json';

const DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'dicom-samples');
const has = existsSync(DIR);
const load = (name: string): ArrayBuffer => {
  const b = readFileSync(join(DIR, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

async function decodeFile(name: string, buffer = load(name)) {
  return imageFromDataset(readPart10(buffer, name), nodeCodecs());
}

describe.skipIf(!has)('real DICOM samples', () => {
  const cases = [
    'CR-MONO1-10-chest.dcm',
    'CT-MONO2-16-ankle.dcm',
    'CR-ModalitySequenceLUT.dcm',
  ] as const;
  it.each(cases)('%s decodes to the reference modality values', async (name) => {
    const image = await decodeFile(name);
    const ref = reference[name];
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of image.pixels) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect([min, max]).toEqual([ref.min, ref.max]);
    expect(sum / image.pixels.length).toBeCloseTo(ref.mean, 3);
  });

  it('takes the 0.15 mm spacing of the JPEG Lossless CR', async () => {
    const image = await decodeFile('CR-ModalitySequenceLUT.dcm');
    expect(image.spacingMm).toEqual([0.15, 0.15]);
  });

  it('bad inputs: each gives a clear error naming the object, and the batch goes on', async () => {
    const lossless = load('CR-ModalitySequenceLUT.dcm');
    const batch: [string, () => Promise<unknown>, RegExp][] = [
      [
        'test-SR.dcm (non-image)',
        () => decodeFile('test-SR.dcm'),
        /instance [\d.]+: not an image \(SOP Class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.88\.33/,
      ],
      [
        'CR-MONO1-10-chest.dcm (no spacing)',
        async () => requireSpacing(await decodeFile('CR-MONO1-10-chest.dcm')),
        /no PixelSpacing or ImagerPixelSpacing/,
      ],
      [
        'truncated header',
        () => decodeFile('truncated', lossless.slice(0, 100)),
        /truncated: not a DICOM file/,
      ],
      [
        'truncated pixel data',
        () => decodeFile('truncated-pixels', lossless.slice(0, lossless.byteLength / 2)),
        /instance [\d.]+: compressed frame .* truncated/,
      ],
      [
        'not DICOM',
        () => decodeFile('text', new TextEncoder().encode('x'.repeat(400)).buffer),
        /text: not a DICOM file/,
      ],
      ['good file after bad ones', () => decodeFile('CT-MONO2-16-ankle.dcm'), /^$/],
    ];
    const outcomes = [];
    for (const [label, run, expected] of batch) {
      try {
        await run();
        outcomes.push([label, 'ok']);
      } catch (error) {
        outcomes.push([label, (error as Error).message]);
        expect((error as Error).message).toMatch(expected);
      }
    }
    expect(outcomes.at(-1)).toEqual(['good file after bad ones', 'ok']);
    expect(outcomes.filter(([, m]) => m !== 'ok')).toHaveLength(5);
  });
});
