/**
 * Training-set discovery with volumes (ohif/services/trainingSet.ts) on a fake QIDO/WADO PACS (stubbed
 * fetch): DX studies are 2D items, CT series are volume items, annotated when their current landmark SR
 * is a 3D annotation (SCOORD3D); and the kind a run trains (trainingController.chooseKind).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LandmarkSrInfo } from '../../../extension/src/dicom/srReader.ts';
import type { Landmark, LandmarkSet } from '../../../extension/src/dicom/types.ts';
import { gatherTrainingSet } from '../../../extension/src/ohif/services/trainingSet.ts';
import { chooseKind } from '../../../extension/src/ohif/trainingController.ts';

const ROOT = 'http://pacs/dicom-web';
type Json = Record<string, { Value: unknown[] }>;
const tag = (value: unknown) => ({ Value: [value] });

/** Study uid → its series (modality, uid) and instance count. */
const STUDIES: Record<string, Array<{ modality: string; uid: string; instances: number }>> = {
  dx1: [{ modality: 'DX', uid: 'dx1.s', instances: 1 }],
  ct1: [{ modality: 'CT', uid: 'ct1.s', instances: 3 }],
  ct2: [
    { modality: 'SR', uid: 'ct2.sr', instances: 1 },
    { modality: 'CT', uid: 'ct2.s', instances: 4 },
  ],
  ct3: [{ modality: 'CT', uid: 'ct3.s', instances: 2 }],
  ct4: [{ modality: 'CT', uid: 'ct4.s', instances: 1 }],
};

function answer(url: string): Json[] {
  const path = url.slice(ROOT.length).split('?')[0]!;
  if (path === '/studies')
    return Object.keys(STUDIES).map((uid) => ({
      '0020000D': tag(uid),
      '00100010': tag({ Alphabetic: `P^${uid}` }),
    }));
  const m = /^\/studies\/([^/]+)\/series(?:\/([^/]+)\/(instances|metadata))?$/.exec(path);
  if (!m) throw new Error(`unexpected URL ${url}`);
  const series = STUDIES[m[1]!]!;
  if (!m[2]) return series.map((s) => ({ '00080060': tag(s.modality), '0020000E': tag(s.uid) }));
  const s = series.find((x) => x.uid === m[2])!;
  return Array.from({ length: s.instances }, (_, k) => ({
    '00080018': tag(`${s.uid}.${k}`),
    '00080016': tag(
      s.modality === 'CT' ? '1.2.840.10008.5.1.4.1.1.2' : '1.2.840.10008.5.1.4.1.1.1.1',
    ),
    '00280030': tag(0.5),
  })).map((j) => (m[3] === 'metadata' ? { ...j, '00280030': { Value: [0.5, 0.4] } } : j));
}

const landmark = (name: string, position: number[], status: Landmark['status'] = 'manual') => ({
  name,
  position,
  status,
});

function sr(set: Partial<LandmarkSet>): LandmarkSrInfo {
  return {
    set: {
      studyUid: '',
      seriesUid: '',
      sopUids: [],
      sopClassUid: '',
      dimension: 3,
      landmarks: [],
      ...set,
    },
    sr: { studyUid: '', seriesUid: 'sr', sopUid: 'sr.1', sopClassUid: '' },
    predecessors: [],
  } as unknown as LandmarkSrInfo;
}

const SRS: Record<string, LandmarkSrInfo[]> = {
  dx1: [
    sr({
      seriesUid: 'dx1.s',
      sopUids: ['dx1.s.0'],
      dimension: 2,
      landmarks: [landmark('a', [1, 2])],
    }),
  ],
  // Annotated volume, landmarks listed in another order than the first 3D annotation's.
  ct2: [
    sr({
      seriesUid: 'ct2.s',
      landmarks: [landmark('b', [4, 5, 6]), landmark('a', [1, 2, 3])],
    }),
  ],
  // A pseudo label is no annotation: the volume stays unannotated (and keeps its current SR).
  ct3: [sr({ seriesUid: 'ct3.s', landmarks: [landmark('a', [1, 2, 3], 'pseudo-label')] })],
};

describe('training set with volumes', () => {
  beforeEach(() => {
    vi.stubGlobal('fetch', async (url: string) => new Response(JSON.stringify(answer(url))));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('files DX studies as images and CT series as volumes, annotated by a 3D annotation', async () => {
    const set = await gatherTrainingSet(
      { qidoRoot: ROOT, wadoRoot: ROOT, headers: {} },
      async (uid) => SRS[uid] ?? [],
    );
    expect(set.labelled.map((i) => i.studyUid)).toEqual(['dx1']);
    expect(set.labelled[0]!.spacingMm).toEqual([0.4, 0.5]);
    expect(set.unlabelled).toEqual([]);
    const v = set.volumes;
    expect(v.names).toEqual(['b', 'a']);
    expect(v.labelled.map((i) => i.seriesUid)).toEqual(['ct2.s']);
    expect(v.labelled[0]).toMatchObject({
      kind: 'volume',
      sopUid: 'ct2.s.0',
      sopUids: ['ct2.s.0', 'ct2.s.1', 'ct2.s.2', 'ct2.s.3'],
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      landmarks: [
        [4, 5, 6],
        [1, 2, 3],
      ],
    });
    expect(v.labelled[0]!.study.patientName).toBe('P^ct2');
    expect(v.unlabelled.map((i) => i.seriesUid)).toEqual(['ct1.s', 'ct3.s']);
    expect(v.unlabelled[1]!.current?.set.landmarks[0]!.status).toBe('pseudo-label');
    expect(v.unlabelled[0]!.landmarks).toBeUndefined();
    expect(set.skipped).toEqual([
      'study ct4 series ct4.s: a volume needs at least 2 slices, found 1',
    ]);
  });

  it('trains 2D when three X-rays are annotated, else volumes when three are, unless asked', () => {
    const set = (images: number, volumes: number) =>
      ({
        names: [],
        labelled: Array.from({ length: images }),
        unlabelled: [],
        skipped: [],
        volumes: { names: [], labelled: Array.from({ length: volumes }), unlabelled: [] },
      }) as unknown as Parameters<typeof chooseKind>[0];
    expect(chooseKind(set(3, 5))).toBe('2d');
    expect(chooseKind(set(2, 3))).toBe('3d');
    expect(chooseKind(set(1, 2))).toBe('2d');
    expect(chooseKind(set(3, 5), '3d')).toBe('3d');
    expect(chooseKind(set(0, 5), '2d')).toBe('2d');
  });
});
