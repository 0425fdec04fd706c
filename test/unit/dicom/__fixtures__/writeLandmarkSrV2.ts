/**
 * Writes test/unit/dicom/__fixtures__/landmark-sr-v2.dcm: a 2D pseudo-label SR made by the SR writer as
 * it was at commit 65f5f98 (the last layout before issue 14 item 4: Finding `99LMK LMK-SET`, the name
 * as a 99LMK Finding Site and as Tracking Identifier, the point's `Center` NUM after the deviation and
 * confidence NUMs, the template id and the Mahalanobis distance), so the reader's compatibility with
 * the SRs already on PACSs is tested against a real file, not against the current writer.
 * Run from the repository root: `npx tsx test/unit/dicom/__fixtures__/writeLandmarkSrV2.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const COMMIT = '65f5f98';
const FILES = ['srWriter', 'datasetIo', 'srCodes', 'sopClasses', 'uids', 'types'];
const OUT = path.resolve('test/unit/dicom/__fixtures__/landmark-sr-v2.dcm');

// Inside the repository so that the old files resolve dcmjs from node_modules.
const dir = mkdtempSync(path.resolve('.cache/old-sr-'));
try {
  for (const f of FILES) {
    const text = execFileSync('git', ['show', `${COMMIT}:extension/src/dicom/${f}.ts`]);
    writeFileSync(path.join(dir, `${f}.ts`), text);
  }
  const { writeLandmarkSr } = (await import(pathToFileURL(path.join(dir, 'srWriter.ts')).href)) as {
    writeLandmarkSr: (set: unknown, options: unknown) => ArrayBuffer;
  };
  const file = writeLandmarkSr(
    {
      studyUid: '2.25.2001',
      seriesUid: '2.25.2002',
      sopUids: ['2.25.2003'],
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
      dimension: 2,
      templateId: 'cephalogram',
      landmarks: [
        { name: 'Sella', position: [100.5, 80.25], status: 'pseudo-label', confidence: 0.75 },
        {
          name: 'Nasion',
          position: [200, 60.5],
          status: 'flagged-abnormal',
          deviationMm: 4.25,
          adjustedPosition: [203.5, 62],
          confidence: 0.5,
        },
      ],
      model: { name: 'unet', version: '0.2.0', method: 'shape-regulated self-training' },
      mahalanobis: 2.5,
    },
    {
      study: {
        patientId: 'OLD2',
        patientName: 'Old^SrTwo',
        studyUid: '2.25.2001',
        studyDate: '20260101',
      },
      seriesUid: '2.25.2004',
      sopUid: '2.25.2005',
    },
  );
  writeFileSync(OUT, new Uint8Array(file));
  console.log(`wrote ${OUT} (${file.byteLength} bytes) with the SR writer of ${COMMIT}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
