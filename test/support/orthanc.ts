/**
 * Test helper: a FRESH Orthanc (temporary storage, free loopback port) per call, stopped by PID.
 *
 * ```ts
 * let pacs: TestOrthanc;
 * beforeAll(async () => { pacs = await startOrthanc(); });
 * afterAll(async () => { await pacs.stop(); });
 * // pacs.dicomWebUrl -> 'http://127.0.0.1:<port>/dicom-web'
 * ```
 */
import {
  startOrthanc as start,
  type BasicAuth,
  type OrthancHandle,
} from '../../extension/src/node/orthanc/orthancProcess.ts';

/** What {@link startOrthanc} returns: URLs, PID and `stop()` (which also deletes the storage). */
export type TestOrthanc = OrthancHandle;

/** Starts a fresh Orthanc + DICOMweb on 127.0.0.1 (`port` defaults to a free one; `auth` enables basic auth). */
export async function startOrthanc(
  options: { port?: number; auth?: BasicAuth } = {},
): Promise<TestOrthanc> {
  return start({ port: options.port, auth: options.auth });
}
