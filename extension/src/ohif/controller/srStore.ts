import { currentLandmarkSrs, type LandmarkSrInfo } from '../../dicom/srReader.ts';
import { readPart10 } from '../../dicom/datasetIo.ts';
import { IndexedDbQueueStorage } from '../services/indexedDbQueueStorage.ts';
import { listLandmarkSrs, type PacsAccess } from '../services/landmarkSrStore.ts';
import {
  PacsResultQueue,
  type QueueStatus,
  type SaveOutcome,
} from '../services/pacsResultQueue.ts';
import { buildReviewQueue, type ReviewItem } from '../services/reviewQueue.ts';
import { stowRs } from '../services/stowRs.ts';
import type { OhifContext } from '../types.ts';

/**
 * The landmark SRs on the active data source's PACS: reading them (QIDO/WADO with OHIF's auth header),
 * storing through the outage-proof result queue, and the review queue over all studies.
 */
export class SrStore {
  private results?: PacsResultQueue;
  private status: QueueStatus = { waiting: 0, refused: 0 };
  /** Last landmark SR list per study, used to find a revision's predecessor while the PACS is down. */
  private cache = new Map<string, LandmarkSrInfo[]>();

  /** `onQueue` hears every change of the result queue's status. */
  constructor(
    private readonly ctx: OhifContext,
    private readonly onQueue: (status: QueueStatus) => void,
  ) {}

  /** DICOMweb roots and auth of the active data source. */
  pacs(): PacsAccess {
    const [dataSource] = this.ctx.extensionManager.getActiveDataSource();
    const config = dataSource?.getConfig?.();
    if (!config?.qidoRoot || !config.wadoRoot) {
      throw new Error('landmarks: the active data source has no qidoRoot/wadoRoot (DICOMweb)');
    }
    const auth =
      this.ctx.servicesManager.services.userAuthenticationService?.getAuthorizationHeader?.() ?? {};
    return { qidoRoot: config.qidoRoot, wadoRoot: config.wadoRoot, headers: { ...auth } };
  }

  /** Landmark SRs of a study on the PACS, current revisions first. */
  async listSrs(studyUid: string): Promise<LandmarkSrInfo[]> {
    const srs = currentLandmarkSrs(await listLandmarkSrs(this.pacs(), studyUid));
    this.cache.set(studyUid, srs);
    return srs;
  }

  /** The study's current SRs, or the last ones seen when the PACS cannot be reached. */
  async srsForRevision(studyUid: string): Promise<LandmarkSrInfo[]> {
    try {
      return await this.listSrs(studyUid);
    } catch (err) {
      const cached = this.cache.get(studyUid);
      if (cached) return cached;
      throw err;
    }
  }

  /**
   * Stores a Part 10 object (an SR) through the result queue: kept in IndexedDB first, so that when
   * the PACS is down it waits there, is retried with back-off and sent after a reload. Resolves
   * `queued` in that case; rejects when the PACS refuses the object.
   */
  async storeDicom(buffer: ArrayBuffer): Promise<SaveOutcome> {
    const ds = readPart10(buffer, 'the SR to store');
    const sopUid = String(ds.SOPInstanceUID ?? '');
    const studyUid = String(ds.StudyInstanceUID ?? '');
    if (!sopUid || !studyUid) throw new Error('landmarks: the SR to store has no SOP/study UID');
    return this.queue().save(sopUid, studyUid, buffer);
  }

  /** Sends the SRs a previous page could not store (errors stay in the queue's status). */
  resume(): void {
    void this.queue()
      .resume()
      .catch(() => undefined);
  }

  /** Tries every SR waiting for the PACS now ("Retry now"). */
  async retryNow(): Promise<QueueStatus> {
    await this.queue().retryNow();
    return this.status;
  }

  /** Stops the queue's retry timer (mode exit). */
  stop(): void {
    this.results?.stop();
  }

  /** The review queue over all studies of the PACS (at most `limit` studies are scanned). */
  async reviewQueue(landmark?: string, limit = 200): Promise<ReviewItem[]> {
    const pacs = this.pacs();
    const res = await fetch(`${pacs.qidoRoot}/studies?limit=${limit}`, {
      headers: { ...pacs.headers, Accept: 'application/dicom+json' },
    });
    if (!res.ok) throw new Error(`PACS ${pacs.qidoRoot}/studies: HTTP ${res.status}`);
    const text = await res.text();
    const studies = (text ? JSON.parse(text) : []) as Array<
      Record<string, { Value?: Array<string | { Alphabetic?: string }> }>
    >;
    const withSrs = [];
    for (const s of studies) {
      const studyUid = String(s['0020000D']?.Value?.[0] ?? '');
      if (!studyUid) continue;
      const pn = s['00100010']?.Value?.[0];
      const patientName = typeof pn === 'object' ? (pn?.Alphabetic ?? '') : String(pn ?? '');
      // A study whose SR cannot be read stays out of the queue; it does not hide the others.
      const srs = await this.listSrs(studyUid).catch(() => undefined);
      if (srs) withSrs.push({ studyUid, patientName, srs });
    }
    return buildReviewQueue(withSrs, landmark);
  }

  /** The outage-proof queue every stored SR goes through (IndexedDB, created on first use). */
  private queue(): PacsResultQueue {
    this.results ??= new PacsResultQueue(
      new IndexedDbQueueStorage(),
      (file, studyUid) => {
        const pacs = this.pacs();
        return stowRs(pacs.wadoRoot, pacs.headers, file, `an SR of study ${studyUid}`);
      },
      (status) => {
        // An SR left the queue: the cached lists may miss it.
        if (status.waiting < this.status.waiting) this.cache.clear();
        this.status = status;
        this.onQueue(status);
      },
    );
    return this.results;
  }
}
