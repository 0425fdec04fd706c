// Every object the product writes passes the DICOM validators: dciodvfy (dicom3tools) reports 0 errors
// and dcmtk's dsrdump reads the SRs. Covers DX (8- and 12-bit), a CT series, 2D and 3D landmark SRs,
// an SR revision and a synthetic study from core/synthetic. Landmark SRs warn only where they use the
// private 99LMK scheme (issue 14 item 4: standard codes wherever PS3.16 has one).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateCbctVolume,
  generateCephalogram,
} from '../../../extension/src/core/synthetic/index.ts';
import { writeCtSeries, writeDxImage } from '../../../extension/src/dicom/imageWriter.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import { syntheticStudyFiles } from '../../../extension/src/dicom/studyFiles.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import type { LandmarkSet } from '../../../extension/src/dicom/types.ts';
import { CEPHALOGRAM } from '../../../extension/src/ohif/templates.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';

const folder = mkdtempSync(join(tmpdir(), 'validate-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function save(name: string, data: ArrayBuffer): string {
  const path = join(folder, name);
  writeFileSync(path, new Uint8Array(data));
  return path;
}

/** dciodvfy's output lines (it exits 0 either way). */
function dciodvfy(path: string): string[] {
  const result = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  if (result.error)
    throw new Error(`dciodvfy not runnable (install dicom3tools): ${result.error.message}`);
  return `${result.stdout}\n${result.stderr}`.split('\n');
}

/** dciodvfy's error lines (errors start with "Error"). */
function dciodvfyErrors(path: string): string[] {
  return dciodvfy(path).filter((l) => l.startsWith('Error'));
}

const study = {
  patientId: 'V1',
  patientName: 'Valid^One',
  studyUid: uidFromSeed('v/study'),
  studyDate: '20260103',
};
const series = { seriesUid: uidFromSeed('v/series'), seriesNumber: 1 };

describe('DICOM validators', () => {
  it('DX For Presentation, 8 and 12 bits: dciodvfy 0 errors', () => {
    for (const bits of [8, 12] as const) {
      const pixels = Array.from({ length: 40 * 30 }, (_, i) => i % 2 ** bits);
      const path = save(
        `dx${bits}.dcm`,
        writeDxImage(study, series, {
          width: 40,
          height: 30,
          pixels,
          bitsStored: bits,
          spacingMm: [0.1, 0.1],
          sopUid: uidFromSeed(`v/dx${bits}`),
        }),
      );
      expect(dciodvfyErrors(path)).toEqual([]);
    }
  });

  it('CT series: dciodvfy 0 errors on every slice', () => {
    const files = writeCtSeries(
      study,
      { seriesUid: uidFromSeed('v/ct'), seriesNumber: 2 },
      {
        width: 16,
        height: 12,
        depth: 3,
        voxelsHu: Array.from({ length: 576 }, (_, i) => i - 300),
        spacingMm: [0.5, 0.5, 1],
        frameOfReferenceUid: uidFromSeed('v/for'),
        uidSeed: 'v/ct',
      },
    );
    files.forEach((f, k) => expect(dciodvfyErrors(save(`ct${k}.dcm`, f))).toEqual([]));
  });

  it('2D and 3D landmark SRs and a revision: dciodvfy 0 errors, dsrdump reads them', () => {
    const set2d = {
      studyUid: study.studyUid,
      seriesUid: series.seriesUid,
      sopUids: [uidFromSeed('v/dx12')],
      sopClassUid: SOP_CLASS.DX_PRESENTATION,
      dimension: 2 as const,
      landmarks: [
        { name: 'Sella', position: [10.5, 12.5], status: 'pseudo-label' as const },
        {
          name: 'Nasion',
          position: [20, 5],
          status: 'flagged-abnormal' as const,
          deviationMm: 3.2,
          // X_β, confidence (issue 5): a second SCOORD under the deviation NUM, a unitless NUM.
          adjustedPosition: [24, 7.5],
          confidence: 0.5,
          reviewReasons: ['shape' as const, 'confidence' as const],
        },
      ],
      model: { name: 'unet', version: '0.1.0', method: 'shape-regulated self-training' },
      mahalanobis: 2.75,
    };
    const sr = { study, seriesUid: uidFromSeed('v/sr'), sopUid: uidFromSeed('v/sr/1') };
    const revision = {
      ...sr,
      sopUid: uidFromSeed('v/sr/2'),
      observerName: 'Doe^Jane',
      predecessor: {
        studyUid: study.studyUid,
        seriesUid: sr.seriesUid,
        sopUid: sr.sopUid,
        sopClassUid: SOP_CLASS.COMPREHENSIVE_SR,
      },
    };
    const set3d = {
      ...set2d,
      dimension: 3 as const,
      sopClassUid: SOP_CLASS.CT,
      sopUids: [uidFromSeed('v/s0')],
      frameOfReferenceUid: uidFromSeed('v/for'),
      landmarks: [
        {
          name: 'Menton',
          position: [1.5, -2, 30],
          status: 'accepted' as const,
          adjustedPosition: [2.5, -1, 31],
          deviationMm: 1.7,
        },
      ],
    };
    const paths = [
      save('sr2d.dcm', writeLandmarkSr(set2d, sr)),
      save(
        'sr2d-rev.dcm',
        writeLandmarkSr(
          {
            ...set2d,
            landmarks: set2d.landmarks.map((l) => ({ ...l, status: 'corrected' as const })),
          },
          revision,
        ),
      ),
      save('sr3d.dcm', writeLandmarkSr(set3d, { ...sr, sopUid: uidFromSeed('v/sr/3') })),
    ];
    for (const path of paths) {
      expect(dciodvfyErrors(path)).toEqual([]);
      const dump = execFileSync('dsrdump', [path], { encoding: 'utf8' });
      expect(dump).toContain('Imaging Measurement Report');
      expect(dump).toMatch(/SCOORD(3D)?:=\(POINT/);
    }
    expect(execFileSync('dsrdump', [paths[1]], { encoding: 'utf8' })).toMatch(
      /Predecessor Docs\s*: 1/,
    );
    // X_β, confidence and the Mahalanobis distance, as dsrdump reads them.
    const dump2d = execFileSync('dsrdump', [paths[0]], { encoding: 'utf8' });
    expect(dump2d).toContain('inferred from SCOORD:(,,"Shape-adjusted position")=(POINT,24/7.5)');
    expect(dump2d).toContain('NUM:(,,"Detection confidence")="0.5" (1,UCUM,"no units")');
    expect(dump2d).toContain('NUM:(,,"Shape Mahalanobis distance")="2.75"');
    expect(execFileSync('dsrdump', [paths[2]], { encoding: 'utf8' })).toContain(
      'inferred from SCOORD3D:(,,"Shape-adjusted position")=(POINT,',
    );
  });

  it('19-landmark cephalogram SRs: dciodvfy warns once per 99LMK code and about nothing else', () => {
    const manual: LandmarkSet = {
      studyUid: study.studyUid,
      seriesUid: series.seriesUid,
      sopUids: [uidFromSeed('v/dx12')],
      sopClassUid: SOP_CLASS.DX_PRESENTATION,
      dimension: 2,
      templateId: CEPHALOGRAM.id,
      landmarks: CEPHALOGRAM.landmarks.map((name, i) => ({
        name,
        position: [20 + 10 * i, 150 - 2 * i],
        status: 'manual' as const,
      })),
    };
    const pseudo: LandmarkSet = {
      ...manual,
      landmarks: manual.landmarks.map((l, i) => ({
        ...l,
        status: i % 3 ? ('pseudo-label' as const) : ('flagged-abnormal' as const),
        deviationMm: 1.5,
        adjustedPosition: [l.position[0]! + 1, l.position[1]! + 1],
        confidence: 0.5,
        ...(i % 3 ? {} : { reviewReasons: ['shape' as const, 'confidence' as const] }),
      })),
      model: { name: 'unet', version: '0.1.0', method: 'shape-regulated self-training' },
      mahalanobis: 2.75,
    };
    // docs/dicom-sr.md "Codes": per landmark the status's concept and value (pseudo labels: + the
    // deviation, X_β and confidence; flagged ones: + each reason's concept and value); per SR the
    // template and the scheme's declaration (+ Mahalanobis). 7 of 19 flagged, 2 reasons each: 28.
    for (const [set, expected] of [
      [manual, 40],
      [pseudo, 98 + 28],
    ] as const) {
      const sr = {
        study,
        seriesUid: uidFromSeed('v/sr19'),
        sopUid: uidFromSeed(`v/sr19/${expected}`),
      };
      const lines = dciodvfy(save(`sr19-${expected}.dcm`, writeLandmarkSr(set, sr)));
      expect(lines.filter((l) => l.startsWith('Error'))).toEqual([]);
      const warnings = lines.filter((l) => l.startsWith('Warning'));
      expect(new Set(warnings)).toEqual(
        new Set([
          'Warning - Unrecognized defined term <99LMK> for value 1 of attribute <Coding Scheme Designator>',
        ]),
      );
      expect(warnings).toHaveLength(expected);
    }
  });

  it('a synthetic labelled cephalogram and CBCT study: dciodvfy 0 errors on every file', () => {
    const ceph = syntheticStudyFiles(generateCephalogram({ seed: 3 }), true);
    const cbct = syntheticStudyFiles(
      generateCbctVolume({ seed: 3, width: 24, height: 20, depth: 10 }),
      true,
    );
    for (const [i, f] of [
      ...ceph.files,
      cbct.files[0],
      cbct.files.at(-1) as ArrayBuffer,
    ].entries()) {
      expect(dciodvfyErrors(save(`syn${i}.dcm`, f))).toEqual([]);
    }
  });
});
