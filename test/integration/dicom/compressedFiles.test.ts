// Compressed Part 10 files made by DCMTK (dcmcjpls: JPEG-LS lossless, dcmcjpeg: JPEG Lossless SV1)
// decode locally to the original pixels, and through Orthanc (stored compressed, WADO frames
// requested as Explicit VR Little Endian) too.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPart10, transferSyntaxOf } from '../../../extension/src/dicom/datasetIo.ts';
import { imageFromDataset } from '../../../extension/src/dicom/imageFromDataset.ts';
import { writeDxImage } from '../../../extension/src/dicom/imageWriter.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import { nodeCodecs } from '../../../extension/src/node/codecs/nodeCodecs.ts';
import { createPacsClient } from '../../../extension/src/pacs/pacsClient.ts';
import { loadStudyImage } from '../../../extension/src/pacs/studyLoader.ts';
import { startOrthanc, type TestOrthanc } from '../../support/orthanc.ts';

const folder = mkdtempSync(join(tmpdir(), 'compressed-'));
const width = 61;
const height = 47;
const pixels = Array.from(
  { length: width * height },
  (_, i) => ((i % width) * 53 + Math.floor(i / width) * 29) % 4096,
);
const tools: [string, string[], string][] = [
  ['dcmcjpls', ['+el'], '1.2.840.10008.1.2.4.80'],
  ['dcmcjpeg', ['+e1'], '1.2.840.10008.1.2.4.70'],
];
const files = new Map<string, ArrayBuffer>();
let pacs: TestOrthanc;

beforeAll(async () => {
  for (const [tool, args, syntax] of tools) {
    const study = {
      patientId: tool,
      patientName: `Codec^${tool}`,
      studyUid: uidFromSeed(`codec/${tool}`),
      studyDate: '20260101',
    };
    const input = join(folder, `${tool}-in.dcm`);
    const output = join(folder, `${tool}-out.dcm`);
    writeFileSync(
      input,
      new Uint8Array(
        writeDxImage(
          study,
          { seriesUid: uidFromSeed(`codec/${tool}/s`), seriesNumber: 1 },
          {
            width,
            height,
            pixels,
            bitsStored: 12,
            spacingMm: [0.2, 0.1],
            sopUid: uidFromSeed(`codec/${tool}/i`),
          },
        ),
      ),
    );
    execFileSync(tool, [...args, input, output]);
    const bytes = readFileSync(output);
    files.set(
      syntax,
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  }
  pacs = await startOrthanc();
});
afterAll(async () => {
  await pacs?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('compressed Part 10 files', () => {
  it.each(tools.map((t) => [t[0], t[2]]))(
    '%s (%s) decodes locally to the original pixels',
    async (_tool, syntax) => {
      const dataset = readPart10(files.get(syntax) as ArrayBuffer, syntax);
      expect(transferSyntaxOf(dataset)).toBe(syntax);
      const image = await imageFromDataset(dataset, nodeCodecs());
      expect(Array.from(image.pixels)).toEqual(pixels);
      expect(image.spacingMm).toEqual([0.2, 0.1]);
    },
  );

  it('both decode through Orthanc (stored compressed, frames transcoded)', async () => {
    const client = await createPacsClient({ url: pacs.dicomWebUrl });
    for (const [tool, , syntax] of tools) {
      await client.store([files.get(syntax) as ArrayBuffer]);
      const image = await loadStudyImage(client, nodeCodecs(), uidFromSeed(`codec/${tool}`));
      expect(Array.from(image.pixels)).toEqual(pixels);
    }
  });
});
