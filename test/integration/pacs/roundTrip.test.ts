// Against a real Orthanc (fresh storage): STOW -> QIDO -> WADO -> decode gives the written pixels, the
// landmark SR round trip gives the same points, revisions supersede, re-sending a UID stores one copy,
// errors name the object and the HTTP status, and basic auth is passed through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateCbctVolume,
  generateCephalogram,
} from '../../../extension/src/core/synthetic/index.ts';
import { SOP_CLASS } from '../../../extension/src/dicom/sopClasses.ts';
import { currentLandmarkSrs, isAnnotation } from '../../../extension/src/dicom/srReader.ts';
import { syntheticStudyFiles } from '../../../extension/src/dicom/studyFiles.ts';
import { writeLandmarkSr } from '../../../extension/src/dicom/srWriter.ts';
import { uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import { nodeCodecs } from '../../../extension/src/node/codecs/nodeCodecs.ts';
import {
  createPacsClient,
  PacsError,
  type PacsClient,
} from '../../../extension/src/pacs/pacsClient.ts';
import {
  listLandmarkSrs,
  loadSeriesVolume,
  loadStudyImage,
} from '../../../extension/src/pacs/studyLoader.ts';
import { studyCatalog } from '../../../extension/src/pacs/studyCatalog.ts';
import { startOrthanc, type TestOrthanc } from '../../support/orthanc.ts';

let pacs: TestOrthanc;
let client: PacsClient;
const ceph = generateCephalogram({ seed: 11, width: 96, height: 120 });
const cbct = generateCbctVolume({ seed: 12, width: 32, height: 28, depth: 16 });
const cephFiles = syntheticStudyFiles(ceph, true, 1);
const cbctFiles = syntheticStudyFiles(cbct, true, 2);
const unlabelled = syntheticStudyFiles(
  generateCephalogram({ seed: 13, width: 96, height: 120 }),
  false,
  3,
);

beforeAll(async () => {
  pacs = await startOrthanc();
  client = await createPacsClient({ url: pacs.dicomWebUrl });
  for (const s of [cephFiles, cbctFiles, unlabelled]) await client.store(s.files, s.studyUid);
});
afterAll(async () => {
  await pacs?.stop();
});

describe('PACS round trip (Orthanc + DICOMweb)', () => {
  it('QIDO finds studies by modality, patient and text', async () => {
    expect((await client.searchStudies()).length).toBe(3);
    expect((await client.searchStudies({ modality: 'CT' })).map((s) => s.StudyInstanceUID)).toEqual(
      [cbctFiles.studyUid],
    );
    const byPatient = await client.searchStudies({ patientId: `*${ceph.id}*` });
    expect(byPatient.map((s) => s.StudyInstanceUID)).toEqual([cephFiles.studyUid]);
    expect((await client.searchStudies({ text: 'CBCT' })).length).toBe(1);
    const [withFields] = await client.searchStudies({ studyUid: cephFiles.studyUid });
    expect(withFields.StudyDescription).toMatch(/Synthetic cephalogram/); // includefield honoured
  });

  it('WADO + decode gives back the written 2D pixels and spacing', async () => {
    const image = await loadStudyImage(client, nodeCodecs(), cephFiles.studyUid);
    expect([image.width, image.height]).toEqual([ceph.width, ceph.height]);
    expect(Array.from(image.pixels)).toEqual(Array.from(ceph.pixels));
    // DS values hold at most 16 characters.
    image.spacingMm?.forEach((v, i) => expect(v).toBeCloseTo(ceph.spacingMm[i], 12));
  });

  it('a 16-slice CT series comes back as the same volume', async () => {
    const volume = await loadSeriesVolume(
      client,
      nodeCodecs(),
      cbctFiles.studyUid,
      cbctFiles.imageSeriesUid,
    );
    expect([volume.width, volume.height, volume.depth]).toEqual([
      cbct.width,
      cbct.height,
      cbct.depth,
    ]);
    expect(Array.from(volume.voxels, (v) => v + 1024)).toEqual(Array.from(cbct.pixels));
    volume.spacingMm.forEach((s, i) => expect(s).toBeCloseTo(cbct.spacingMm[i], 6));
  });

  it('landmark SRs read back give the same points (2D SCOORD and 3D SCOORD3D)', async () => {
    for (const files of [cephFiles, cbctFiles]) {
      const [info] = await listLandmarkSrs(client, files.studyUid);
      const written = files.landmarkSet;
      expect(written).toBeDefined();
      expect(info.set.landmarks.map((l) => l.name)).toEqual(written?.landmarks.map((l) => l.name));
      info.set.landmarks.forEach((l, i) =>
        l.position.forEach((v, k) =>
          expect(v).toBeCloseTo(written?.landmarks[i].position[k] ?? NaN, 3),
        ),
      );
      expect(isAnnotation(info.set)).toBe(true);
    }
    expect(await listLandmarkSrs(client, unlabelled.studyUid)).toEqual([]);
    const catalog = await studyCatalog(client);
    const annotated = catalog.filter((c) => c.annotated).map((c) => c.studyUid);
    expect(annotated.sort()).toEqual([cephFiles.studyUid, cbctFiles.studyUid].sort());
  });

  it('a revision is a new instance that supersedes; re-sending a UID keeps one copy', async () => {
    const [first] = await listLandmarkSrs(client, cephFiles.studyUid);
    const revised = {
      ...first.set,
      landmarks: first.set.landmarks.map((l, i) => ({
        ...l,
        status: i === 0 ? ('rejected' as const) : l.status,
      })),
    };
    // The revision keeps the patient/study identity read from the first SR.
    const revision = writeLandmarkSr(revised, {
      study: first.study,
      seriesUid: first.sr.seriesUid,
      sopUid: uidFromSeed('rev/1'),
      predecessor: first.sr,
    });
    await client.store([revision, revision], cephFiles.studyUid);
    await client.store([revision], cephFiles.studyUid);
    const all = await listLandmarkSrs(client, cephFiles.studyUid);
    expect(all).toHaveLength(2);
    const [current] = currentLandmarkSrs(all);
    expect(current.sr.sopUid).toBe(uidFromSeed('rev/1'));
    expect(current.set.landmarks[0].status).toBe('rejected');
    expect(isAnnotation(current.set)).toBe(false);
    expect(current.sr.sopClassUid).toBe(SOP_CLASS.COMPREHENSIVE_SR);
  });

  it('errors name the object and the HTTP status', async () => {
    await expect(client.instanceMetadata(cephFiles.studyUid, '1.2.3', '4.5.6')).rejects.toThrow(
      /WADO-RS metadata instance 4\.5\.6 \(study 2\.25\.\d+\) failed: HTTP 404/,
    );
    const truncated = cephFiles.files[0].slice(0, 300);
    const error = await client.store([truncated], 'bad-study').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PacsError);
    expect((error as PacsError).message).toMatch(
      /STOW-RS study bad-study \(1 instances\) failed: HTTP 400/,
    );
  });
});

describe('basic auth pass-through', () => {
  it('refuses without credentials (401) and works with them', async () => {
    const secured = await startOrthanc({ auth: { user: 'radiologist', password: 's3cret' } });
    try {
      const anonymous = await createPacsClient({
        url: secured.dicomWebUrl,
        retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      });
      await expect(anonymous.searchStudies()).rejects.toThrow(/QIDO-RS studies failed: HTTP 401/);
      const authed = await createPacsClient({
        url: secured.dicomWebUrl,
        auth: { user: 'radiologist', password: 's3cret' },
      });
      await authed.store(unlabelled.files, unlabelled.studyUid);
      expect((await authed.searchStudies()).length).toBe(1);
    } finally {
      await secured.stop();
    }
  });
});
