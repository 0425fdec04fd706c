/**
 * DICOMweb client of the product (QIDO-RS, WADO-RS, STOW-RS) on dicomweb-client, with retries on
 * transient failures, auth pass-through (basic or bearer) and errors that name the study/series/instance
 * and the HTTP status. In Node, xhr2 provides XMLHttpRequest (installed on first client creation).
 *
 * Orthanc quirk: `includefield` is ignored when its commas are percent-encoded, which dicomweb-client's
 * query builder does; QIDO URLs are therefore built here with literal commas.
 */
import * as dicomweb from 'dicomweb-client';
import dcmjs from 'dcmjs';
import { DEFAULT_RETRY, statusOf, withRetry, type RetryPolicy } from './retry.ts';
import type { NaturalDataset } from '../dicom/datasetIo.ts';

/** Credentials sent with every request. */
export type PacsAuth = { user: string; password: string } | { token: string };

/** Options of {@link createPacsClient}. */
export interface PacsClientOptions {
  /** DICOMweb root, e.g. `http://127.0.0.1:8042/dicom-web`. */
  url: string;
  auth?: PacsAuth;
  /** Extra headers (sent as given). */
  headers?: Record<string, string>;
  retry?: RetryPolicy;
}

/** QIDO study filters (DICOM matching: `*` wildcards, `YYYYMMDD-YYYYMMDD` date ranges). */
export interface StudyFilter {
  patientId?: string;
  patientName?: string;
  studyDate?: string;
  modality?: string;
  /** Matches the study description (wildcards added around it). */
  text?: string;
  studyUid?: string;
  limit?: number;
  offset?: number;
}

/** Error of a PACS request: what was asked, about which object, and the HTTP status. */
export class PacsError extends Error {
  constructor(
    readonly operation: string,
    readonly target: string,
    readonly status: number | undefined,
    detail?: string,
  ) {
    super(
      `${operation} ${target} failed: ${status === undefined ? 'no HTTP status' : status === 0 ? 'PACS unreachable (HTTP status 0)' : `HTTP ${status}`}` +
        (detail ? ` (${detail})` : ''),
    );
    this.name = 'PacsError';
  }
}

/** Explicit VR Little Endian: frames are requested in it, so Orthanc transcodes compressed ones. */
const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';

type Json = Record<string, { vr?: string; Value?: unknown[] }>;

/** The parts of dicomweb-client 0.11 used here (its bundled typings mark optional fields required). */
interface DwClient {
  _httpGetApplicationJson(url: string, headers: object, request: object): Promise<Json[]>;
  retrieveSeriesMetadata(o: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
  }): Promise<Json[]>;
  retrieveInstanceMetadata(o: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
    sopInstanceUID: string;
  }): Promise<Json[]>;
  retrieveInstanceFrames(o: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
    sopInstanceUID: string;
    frameNumbers: number[];
    mediaTypes: { mediaType: string; transferSyntaxUID?: string }[];
  }): Promise<ArrayBuffer[]>;
  retrieveInstance(o: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
    sopInstanceUID: string;
  }): Promise<ArrayBuffer | ArrayBuffer[]>;
  storeInstances(o: { datasets: ArrayBuffer[] }): Promise<unknown>;
}

function authHeaders(auth?: PacsAuth): Record<string, string> {
  if (!auth) return {};
  if ('token' in auth) return { Authorization: `Bearer ${auth.token}` };
  const basic = typeof btoa === 'function' ? btoa(`${auth.user}:${auth.password}`) : '';
  return { Authorization: `Basic ${basic}` };
}

async function ensureXmlHttpRequest(): Promise<void> {
  if (typeof globalThis.XMLHttpRequest !== 'undefined') return;
  const xhr2 = await import('xhr2');
  globalThis.XMLHttpRequest = xhr2.default;
}

/** Query string with literal commas in `includefield` (see the Orthanc quirk above). */
export function qidoQuery(
  params: Record<string, string | number | undefined>,
  includeFields: string[] = [],
): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  if (includeFields.length > 0)
    parts.push(`includefield=${includeFields.map(encodeURIComponent).join(',')}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A naturalized dataset from DICOM JSON (QIDO/WADO metadata). */
export function naturalize(json: Json): NaturalDataset {
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(json as Record<string, unknown>);
}

/** The PACS client. */
export interface PacsClient {
  readonly url: string;
  searchStudies(filter?: StudyFilter): Promise<NaturalDataset[]>;
  searchSeries(studyUid: string, filter?: { modality?: string }): Promise<NaturalDataset[]>;
  searchInstances(studyUid: string, seriesUid: string): Promise<NaturalDataset[]>;
  seriesMetadata(studyUid: string, seriesUid: string): Promise<NaturalDataset[]>;
  instanceMetadata(studyUid: string, seriesUid: string, sopUid: string): Promise<NaturalDataset>;
  /** Frames (1-based numbers) as Explicit VR Little Endian bytes. */
  frames(
    studyUid: string,
    seriesUid: string,
    sopUid: string,
    frameNumbers: number[],
  ): Promise<Uint8Array[]>;
  /** The whole instance as a Part 10 file. */
  instance(studyUid: string, seriesUid: string, sopUid: string): Promise<ArrayBuffer>;
  /** STOW-RS of Part 10 files (one request); resolves when the PACS accepted them. */
  store(files: ArrayBuffer[], studyUid?: string): Promise<void>;
}

/** Creates a client; requests are retried per `options.retry` on transient failures. */
export async function createPacsClient(options: PacsClientOptions): Promise<PacsClient> {
  await ensureXmlHttpRequest();
  const url = options.url.replace(/\/+$/, '');
  const headers = { ...authHeaders(options.auth), ...options.headers };
  const client = new dicomweb.api.DICOMwebClient({
    url,
    headers,
    singlepart: false,
    verbose: false, // errors are reported by PacsError, not printed
  }) as unknown as DwClient;
  const policy = options.retry ?? DEFAULT_RETRY;

  const run = async <T>(operation: string, target: string, task: () => Promise<T>): Promise<T> => {
    try {
      return await withRetry(task, policy);
    } catch (error) {
      if (error instanceof PacsError) throw error;
      const status = statusOf(error);
      throw new PacsError(
        operation,
        target,
        status,
        status === undefined ? (error as Error).message : undefined,
      );
    }
  };
  const qido = (path: string, target: string): Promise<NaturalDataset[]> =>
    run('QIDO-RS', target, async () =>
      ((await client._httpGetApplicationJson(url + path, {}, {})) ?? []).map(naturalize),
    );

  return {
    url,
    searchStudies(filter = {}) {
      const query = qidoQuery(
        {
          PatientID: filter.patientId,
          PatientName: filter.patientName,
          StudyDate: filter.studyDate,
          ModalitiesInStudy: filter.modality,
          StudyDescription: filter.text ? `*${filter.text}*` : undefined,
          StudyInstanceUID: filter.studyUid,
          limit: filter.limit,
          offset: filter.offset,
        },
        [
          'StudyDescription',
          'ModalitiesInStudy',
          'NumberOfStudyRelatedInstances',
          'NumberOfStudyRelatedSeries',
        ],
      );
      return qido(`/studies${query}`, 'studies');
    },
    searchSeries(studyUid, filter = {}) {
      return qido(
        `/studies/${studyUid}/series${qidoQuery({ Modality: filter.modality }, ['SeriesDescription', 'NumberOfSeriesRelatedInstances'])}`,
        `study ${studyUid}`,
      );
    },
    searchInstances(studyUid, seriesUid) {
      return qido(
        `/studies/${studyUid}/series/${seriesUid}/instances`,
        `study ${studyUid} series ${seriesUid}`,
      );
    },
    seriesMetadata(studyUid, seriesUid) {
      return run('WADO-RS metadata', `study ${studyUid} series ${seriesUid}`, async () =>
        (
          (await client.retrieveSeriesMetadata({
            studyInstanceUID: studyUid,
            seriesInstanceUID: seriesUid,
          })) as Json[]
        ).map(naturalize),
      );
    },
    async instanceMetadata(studyUid, seriesUid, sopUid) {
      const list = await run(
        'WADO-RS metadata',
        `instance ${sopUid} (study ${studyUid})`,
        async () =>
          (await client.retrieveInstanceMetadata({
            studyInstanceUID: studyUid,
            seriesInstanceUID: seriesUid,
            sopInstanceUID: sopUid,
          })) as Json[],
      );
      if (!list[0])
        throw new PacsError(
          'WADO-RS metadata',
          `instance ${sopUid} (study ${studyUid})`,
          404,
          'empty answer',
        );
      return naturalize(list[0]);
    },
    frames(studyUid, seriesUid, sopUid, frameNumbers) {
      return run(
        'WADO-RS frames',
        `instance ${sopUid} frames ${frameNumbers.join(',')} (study ${studyUid})`,
        async () => {
          const parts = (await client.retrieveInstanceFrames({
            studyInstanceUID: studyUid,
            seriesInstanceUID: seriesUid,
            sopInstanceUID: sopUid,
            frameNumbers,
            mediaTypes: [
              { mediaType: 'application/octet-stream', transferSyntaxUID: EXPLICIT_LITTLE },
            ],
          })) as ArrayBuffer[];
          return parts.map((p) => new Uint8Array(p));
        },
      );
    },
    instance(studyUid, seriesUid, sopUid) {
      return run('WADO-RS instance', `instance ${sopUid} (study ${studyUid})`, async () => {
        const parts = (await client.retrieveInstance({
          studyInstanceUID: studyUid,
          seriesInstanceUID: seriesUid,
          sopInstanceUID: sopUid,
        })) as ArrayBuffer | ArrayBuffer[];
        return Array.isArray(parts) ? parts[0] : parts;
      });
    },
    async store(files, studyUid) {
      if (files.length === 0) return;
      await run(
        'STOW-RS',
        studyUid ? `study ${studyUid} (${files.length} instances)` : `${files.length} instances`,
        () => client.storeInstances({ datasets: files }),
      );
    },
  };
}
