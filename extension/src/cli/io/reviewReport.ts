/**
 * `landmarks predict --report`: one CSV row per image and landmark with the prediction and what review
 * should know of it (core/inference/reviewLandmarks.ts).
 */
import type { LandmarkReview } from '../../core/inference/reviewLandmarks.ts';

export const REVIEW_REPORT_HEADER =
  'image,landmark,name,x,y,confidence,deviation_mm,abnormal,robust_deviation_mm,re_estimated,flagged,reason';

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export function formatReviewReport(
  landmarks: ReadonlyMap<string, number[][]>,
  reviews: ReadonlyMap<string, readonly LandmarkReview[]>,
  names: readonly string[],
): string {
  const lines = [REVIEW_REPORT_HEADER];
  for (const [id, rows] of reviews) {
    const points = landmarks.get(id)!;
    rows.forEach((r, l) =>
      lines.push(
        [
          field(id),
          String(l + 1),
          field(names[l] ?? `L${l + 1}`),
          points[l]![0]!.toFixed(3),
          points[l]![1]!.toFixed(3),
          r.confidence.toFixed(4),
          r.deviationMm.toFixed(3),
          String(r.abnormal),
          r.robustDeviationMm.toFixed(3),
          String(r.reEstimated),
          String(r.flagged),
          r.reason ?? '',
        ].join(','),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
