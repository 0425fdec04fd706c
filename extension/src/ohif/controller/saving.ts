import type { LandmarkSet } from '../../dicom/types.ts';
import { writeLandmarkSr } from '../../dicom/srWriter.ts';
import { randomUid } from '../../dicom/uids.ts';
import { getCurrentStudy } from '../services/currentStudy.ts';
import { toLandmarkSet2D, toLandmarkSet3D } from '../services/landmarkAnnotations.ts';
import type { SaveOutcome } from '../services/pacsResultQueue.ts';
import { studyIdentityOf } from '../services/studyIdentity.ts';
import { effectiveStatus } from './reviewDecisions.ts';
import type { Session } from './session.ts';
import type { SrStore } from './srStore.ts';

/** Result of saving landmarks as an SR. */
export interface SaveResult {
  sopUid: string;
  seriesUid: string;
  count: number;
  revises?: string;
  /** `queued`: the PACS was not reachable; the SR is kept in the browser and sent later. */
  outcome: SaveOutcome;
}

/**
 * The landmark set drawn on the active viewport, in template order, with reviewed statuses: the
 * landmarks placed so far (a partial set is saved as such) and the template they come from.
 */
export function currentLandmarkSet(s: Session): LandmarkSet {
  const { cornerstone } = s.view.libs();
  const target = s.view.targetOf(s.view.activeViewport());
  const study = getCurrentStudy(s.ctx.servicesManager.services);
  if (!target || !study) throw new Error('landmarks: no image in the active viewport');
  const annotations = s.view.annotationsOn(target).map((a) => ({
    ...a,
    data: { ...a.data, landmarkStatus: effectiveStatus(a) },
  }));
  const ds = study.displaySet;
  const template = s.state.templateId !== undefined ? { templateId: s.state.templateId } : {};
  if ('imageId' in target) {
    const inst = (cornerstone.metaData.get('instance', target.imageId) ??
      ds.instances?.[0]) as Record<string, string>;
    const set = toLandmarkSet2D(
      s.state.names,
      annotations,
      (w) => cornerstone.utilities.worldToImageCoords(target.imageId, w),
      {
        studyUid: ds.StudyInstanceUID,
        seriesUid: inst.SeriesInstanceUID ?? ds.SeriesInstanceUID,
        sopUid: inst.SOPInstanceUID,
        sopClassUid: inst.SOPClassUID,
      },
    );
    return { ...set, ...template };
  }
  const instances = (ds.instances ?? []) as Array<Record<string, string>>;
  const set = toLandmarkSet3D(s.state.names, annotations, {
    studyUid: ds.StudyInstanceUID,
    seriesUid: ds.SeriesInstanceUID,
    sopUids: instances.map((i) => i.SOPInstanceUID),
    sopClassUid: instances[0]?.SOPClassUID ?? '',
    frameOfReferenceUid: target.frameOfReferenceUid,
  });
  return { ...set, ...template };
}

/**
 * Writes `set` as a landmark SR and stores it through the result queue. When the series already has a
 * landmark SR, the new one is a revision of it (new SOP Instance UID listing the old one as
 * predecessor).
 */
export async function saveLandmarkSr(
  s: Session,
  store: SrStore,
  set: LandmarkSet,
): Promise<SaveResult> {
  if (set.landmarks.length === 0) throw new Error('landmarks: nothing placed yet');
  const study = getCurrentStudy(s.ctx.servicesManager.services);
  const instance = (study?.displaySet.instances?.[0] ?? {}) as Record<string, unknown>;
  const previous = (await store.srsForRevision(set.studyUid)).find(
    (i) => i.set.seriesUid === set.seriesUid,
  );
  const seriesUid = previous?.sr.seriesUid ?? randomUid();
  const sopUid = randomUid();
  const buffer = writeLandmarkSr(set, {
    study: studyIdentityOf({ ...instance, StudyInstanceUID: set.studyUid }),
    seriesUid,
    sopUid,
    observerName: 'Reviewer^OHIF',
    seriesDescription: 'Landmarks',
    ...(previous ? { predecessor: previous.sr } : {}),
  });
  const outcome = await store.storeDicom(buffer);
  return { sopUid, seriesUid, count: set.landmarks.length, revises: previous?.sr.sopUid, outcome };
}
