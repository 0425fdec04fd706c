import type { LandmarkSrInfo } from '../../dicom/srReader.ts';
import type { LandmarkStatus, ReviewReason } from '../../dicom/types.ts';

/** One study waiting for review: its current landmark SR has flagged-abnormal landmarks. */
export interface ReviewItem {
  studyUid: string;
  patientName: string;
  /** SR the review revises. */
  srSopUid: string;
  /** Flagged landmarks, largest deviation first (mm), each with why it is flagged. */
  flagged: Array<{ name: string; deviationMm: number; reasons: ReviewReason[] }>;
  /** Largest deviation in mm: the queue's sort key. */
  worstMm: number;
}

/**
 * Builds the review queue from the current landmark SRs of each study: studies whose SR still has
 * `flagged-abnormal` landmarks, worst (largest deviation, mm) first; ties by study UID. With
 * `landmark`, only studies where that landmark is flagged, ranked by its own deviation.
 */
export function buildReviewQueue(
  studies: ReadonlyArray<{ studyUid: string; patientName: string; srs: LandmarkSrInfo[] }>,
  landmark?: string,
): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const s of studies) {
    for (const info of s.srs) {
      const flagged = info.set.landmarks
        .filter((l) => l.status === 'flagged-abnormal')
        .filter((l) => !landmark || l.name === landmark)
        .map((l) => ({
          name: l.name,
          deviationMm: finiteOr0(l.deviationMm),
          // An SR from before the reasons were stored was flagged by the paper's rule alone.
          reasons: l.reviewReasons?.length ? l.reviewReasons : (['shape-model'] as ReviewReason[]),
        }))
        .sort((a, b) => b.deviationMm - a.deviationMm);
      if (flagged.length === 0) continue;
      items.push({
        studyUid: s.studyUid,
        patientName: s.patientName,
        srSopUid: info.sr.sopUid,
        flagged,
        worstMm: flagged[0].deviationMm,
      });
    }
  }
  return items.sort((a, b) => b.worstMm - a.worstMm || a.studyUid.localeCompare(b.studyUid));
}

function finiteOr0(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Status after review. A landmark the reviewer moved is `corrected`; otherwise an explicit decision
 * (accept/reject) wins over the stored status.
 */
export function reviewedStatus(
  stored: LandmarkStatus,
  decision: 'accepted' | 'rejected' | undefined,
  moved: boolean,
): LandmarkStatus {
  if (moved) return stored === 'manual' ? 'manual' : 'corrected';
  return decision ?? stored;
}

/** What each review reason means, in the words the panel shows. */
export const REASON_LABELS: Record<ReviewReason, string> = {
  shape: 'shape outlier',
  confidence: 'low confidence',
  'shape-model': 'moved > Z by the shape model',
};

/** A landmark's reasons as one short phrase, e.g. "shape outlier, low confidence". */
export function describeReasons(reasons: readonly ReviewReason[] | undefined): string {
  return (reasons ?? []).map((r) => REASON_LABELS[r]).join(', ');
}

/** Overlay colour per status, one each (CSS colour strings for Cornerstone annotation styles). */
export const STATUS_COLOURS: Record<LandmarkStatus, string> = {
  manual: 'rgb(0, 220, 0)',
  accepted: 'rgb(190, 130, 255)',
  corrected: 'rgb(0, 200, 255)',
  'pseudo-label': 'rgb(255, 255, 0)',
  'flagged-abnormal': 'rgb(255, 60, 60)',
  rejected: 'rgb(140, 140, 140)',
};
