/**
 * Training-set assembly with partial and unusable annotations (issue 14): one study with a 5-of-19 SR
 * made training fail for the whole PACS ("training shape 5: landmark 6 is NaN", naming no study, once
 * per backend). Now partial annotations train (NaN rows for the missing landmarks, masked by the losses,
 * left out of the shape model), and a study whose SR cannot be used is skipped with its UID,
 * description and the reason while the others go on. Fake QIDO/WADO PACS (stubbed fetch).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import shapeRegulatorFactory from '../../../extension/src/core/selfTraining/shapeRegulatorFactory.ts';
import type { LandmarkSrInfo } from '../../../extension/src/dicom/srReader.ts';
import type { Landmark, LandmarkSet } from '../../../extension/src/dicom/types.ts';
import { gatherTrainingSet } from '../../../extension/src/ohif/services/trainingSet.ts';
import { CEPHALOGRAM, HAND } from '../../../extension/src/ohif/templates.ts';
import { checkCompleteShapes } from '../../../extension/src/ohif/trainingController.ts';
import {
  TrainingDataError,
  dataErrors,
} from '../../../extension/src/ohif/worker/trainingDataError.ts';

const ROOT = 'http://pacs/dicom-web';
type Json = Record<string, { Value: unknown[] }>;
const tag = (value: unknown) => ({ Value: [value] });

/** Study uid → description; every study has one DX image `<uid>.img`. */
const STUDIES: Record<string, string> = {
  full1: 'Ceph 1',
  full2: 'Ceph 2',
  full3: 'Ceph 3',
  part: 'Ceph partial',
  broken: 'Ceph broken SR',
  hand: 'Hand of a ceph patient',
  nan: 'Ceph NaN',
  none: 'Ceph unannotated',
};

function answer(url: string): Json[] {
  const path = url.slice(ROOT.length).split('?')[0]!;
  if (path === '/studies')
    return Object.entries(STUDIES).map(([uid, description]) => ({
      '0020000D': tag(uid),
      '00081030': tag(description),
      '00100010': tag({ Alphabetic: `P^${uid}` }),
    }));
  const m = /^\/studies\/([^/]+)\/series(?:\/([^/]+)\/metadata)?$/.exec(path);
  if (!m) throw new Error(`unexpected URL ${url}`);
  if (!m[2]) return [{ '00080060': tag('DX'), '0020000E': tag(`${m[1]}.s`) }];
  return [
    {
      '00080018': tag(`${m[1]}.img`),
      '00080016': tag('1.2.840.10008.5.1.4.1.1.1.1'),
      '00280030': { Value: [0.5, 0.4] },
    },
  ];
}

/** Landmark i of a shape: distinct, non-collinear, non-square positions. */
const at = (i: number, k: number): number[] => [40 + 12 * i + k, 100 + ((i * 7) % 5) * 9 - k];

function sr(uid: string, landmarks: Landmark[], extra: Partial<LandmarkSet> = {}): LandmarkSrInfo {
  return {
    set: {
      studyUid: uid,
      seriesUid: `${uid}.s`,
      sopUids: [`${uid}.img`],
      sopClassUid: '',
      dimension: 2,
      landmarks,
      ...extra,
    },
    sr: { studyUid: uid, seriesUid: 'sr', sopUid: `${uid}.sr`, sopClassUid: '' },
    predecessors: [],
  } as unknown as LandmarkSrInfo;
}

const manual = (names: readonly string[], k: number): Landmark[] =>
  names.map((name, i) => ({ name, position: at(i, k), status: 'manual' }));

const SRS: Record<string, LandmarkSrInfo[]> = {
  full1: [sr('full1', manual(CEPHALOGRAM.landmarks, 0), { templateId: 'cephalogram' })],
  full2: [sr('full2', manual(CEPHALOGRAM.landmarks, 1), { templateId: 'cephalogram' })],
  full3: [sr('full3', manual(CEPHALOGRAM.landmarks, 2), { templateId: 'cephalogram' })],
  // Saved after 5 of 19 by a viewer before template ids: found by its names.
  part: [sr('part', manual(CEPHALOGRAM.landmarks.slice(0, 5), 3))],
  hand: [sr('hand', manual(HAND.landmarks, 0), { templateId: 'hand' })],
  nan: [
    sr('nan', [
      ...manual(CEPHALOGRAM.landmarks.slice(0, 3), 0),
      { name: CEPHALOGRAM.landmarks[3]!, position: [Number.NaN, 2], status: 'manual' },
    ]),
  ],
};

const listSrs = async (uid: string) => {
  if (uid === 'broken') throw new Error('SR 1.2.3: landmark "Sella" has no known status');
  return SRS[uid] ?? [];
};
const pacs = { qidoRoot: ROOT, wadoRoot: ROOT, headers: {} };

describe('training set with partial and unusable annotations', () => {
  beforeEach(() => {
    vi.stubGlobal('fetch', async (url: string) => new Response(JSON.stringify(answer(url))));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('trains on a partial annotation with NaN rows for the 14 landmarks it lacks', async () => {
    const set = await gatherTrainingSet(pacs, listSrs);
    expect(set.names).toEqual(CEPHALOGRAM.landmarks);
    expect(set.templateId).toBe('cephalogram');
    expect(set.labelled.map((i) => i.studyUid)).toEqual(['full1', 'full2', 'full3', 'part']);
    const part = set.labelled[3]!.landmarks!;
    expect(part).toHaveLength(19);
    expect(part.slice(0, 5)).toEqual(CEPHALOGRAM.landmarks.slice(0, 5).map((_, i) => at(i, 3)));
    expect(part.slice(5).every((p) => p.length === 2 && p.every(Number.isNaN))).toBe(true);
    expect(set.unlabelled.map((i) => i.studyUid)).toEqual(['none']);
  });

  it('skips a study whose SR cannot be read or used, naming it and the reason, once each', async () => {
    const set = await gatherTrainingSet(pacs, listSrs);
    expect(set.skipped).toEqual([
      'study broken ("Ceph broken SR"): its landmark SR cannot be read (SR 1.2.3: landmark "Sella" has no known status); skipped',
      `study nan ("Ceph NaN"): landmark "${CEPHALOGRAM.landmarks[3]}" of its SR has no finite 2D position; skipped`,
      'study hand ("Hand of a ceph patient"): annotated with the "hand" template, this run trains "cephalogram"; skipped',
    ]);
    // Neither trained on nor pseudo-labelled over (a pseudo label would revise the annotation).
    const used = [...set.labelled, ...set.unlabelled].map((i) => i.studyUid);
    expect(used).not.toContain('hand');
    expect(used).not.toContain('broken');
    expect(used).not.toContain('nan');
  });

  it('fits the shape model on the complete shapes only; too few complete ones name the partial studies', async () => {
    const set = await gatherTrainingSet(pacs, listSrs);
    expect(() => checkCompleteShapes(set)).not.toThrow();
    const two = { ...set, labelled: set.labelled.filter((i) => i.studyUid !== 'full3') };
    expect(() => checkCompleteShapes(two)).toThrow(
      'the shape model needs at least 3 annotated studies with all 19 landmarks placed, found 2; partial: study part ("Ceph partial") 5/19',
    );
    // The regulator the worker builds: the partial shape (NaN rows) is left out of the model.
    const shapes = set.labelled.map((i) => i.landmarks!.map((p) => p.map((v) => v * 0.5)));
    const regulate = dataErrors(shapeRegulatorFactory())(shapes);
    expect(regulate(shapes[0]!).gamma).toHaveLength(19);
  });

  it('marks a shape-model failure as a data error, which the worker reports once, not per backend', () => {
    const shapes = [0, 1, 2].map((k) => CEPHALOGRAM.landmarks.map((_, i) => at(i, k)));
    shapes[1]![5] = [Number.NaN, Number.NaN];
    const fit = () => dataErrors(shapeRegulatorFactory())(shapes);
    expect(fit).toThrow(TrainingDataError);
    expect(fit).toThrow(
      'training data: the shape model needs at least 3 complete shapes (every landmark placed); 2 of the 3 labelled shapes are complete',
    );
  });
});
