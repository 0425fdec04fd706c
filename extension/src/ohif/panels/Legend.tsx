import { LANDMARK_STATUSES } from '../../dicom/types.ts';
import { STATUS_COLOURS } from '../services/reviewQueue.ts';

/** What each status means on screen. */
const LABELS: Record<(typeof LANDMARK_STATUSES)[number], string> = {
  manual: 'manual',
  'pseudo-label': 'pseudo-label',
  'flagged-abnormal': 'flagged abnormal',
  accepted: 'accepted',
  corrected: 'corrected',
  rejected: 'rejected',
};

/**
 * Overlay controls: the "Names" toggle (landmark labels on every viewport, 2D and MPR, Shift+L),
 * "Numbers only" (each landmark's number in the list below instead of its name), and the legend of
 * the status colours the landmarks are drawn in; the hollow circle is the shape-adjusted position X_β.
 * Each landmark's own label is shown or hidden from the list (AnnotateSection).
 */
export default function Legend({
  showNames,
  numbersOnly,
  run,
}: {
  showNames: boolean;
  numbersOnly: boolean;
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  return (
    <div className="space-y-1" data-testid="landmarks-legend">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            data-testid="landmarks-names-toggle"
            checked={showNames}
            onChange={(e) => run('landmarksShowNames', { show: e.target.checked })}
          />
          Names (⇧L)
        </label>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            data-testid="landmarks-numbers-only"
            checked={numbersOnly}
            disabled={!showNames}
            onChange={(e) => run('landmarksLabelOptions', { numbersOnly: e.target.checked })}
          />
          Numbers only
        </label>
      </div>
      <ul className="flex flex-wrap gap-x-3 gap-y-1">
        {LANDMARK_STATUSES.map((status) => (
          <li key={status} className="flex items-center gap-1" data-status={status}>
            <span
              className="inline-block h-2 w-2 rounded-full"
              style={{ backgroundColor: STATUS_COLOURS[status] }}
            />
            {LABELS[status]}
          </li>
        ))}
        <li className="flex items-center gap-1">
          <span className="inline-block h-2 w-2 rounded-full border border-white" />
          X_β (shape-adjusted)
        </li>
      </ul>
    </div>
  );
}
