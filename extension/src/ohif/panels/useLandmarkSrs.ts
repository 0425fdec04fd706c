import { useEffect, useState } from 'react';
import type { LandmarkSrInfo } from '../../dicom/srReader.ts';
import type { LandmarksController } from '../controller.ts';

/** Landmark SRs of a study on the PACS (current revisions), reloaded when `version` changes. */
export default function useLandmarkSrs(
  controller: LandmarksController,
  studyUid: string | undefined,
  version: number,
): { srs?: LandmarkSrInfo[]; error?: string } {
  const [result, setResult] = useState<{ srs?: LandmarkSrInfo[]; error?: string }>({});
  useEffect(() => {
    if (!studyUid) return;
    let live = true;
    controller.listSrs(studyUid).then(
      (srs) => live && setResult({ srs }),
      (err: unknown) =>
        live && setResult({ error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [controller, studyUid, version]);
  return result;
}
