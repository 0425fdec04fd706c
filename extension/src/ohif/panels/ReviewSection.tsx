import { useEffect, useState } from 'react';
import type { AnnotationState } from '../controller.ts';
import type { ReviewItem } from '../services/reviewQueue.ts';
import { STATUS_COLOURS } from '../services/reviewQueue.ts';
import type { CommandsManager } from '../types.ts';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

/** Keyboard shortcuts of the review (Shift + key, so they never collide with OHIF's own hotkeys). */
export const REVIEW_KEYS = { accept: 'A', reject: 'X', next: 'N' } as const;

/**
 * Review: the queue of studies with flagged-abnormal landmarks (worst deviation first, filterable by
 * landmark) and, for the study on screen, its SR landmarks with stored and reviewed status.
 * Accept (Shift+A), reject (Shift+X), next flagged (Shift+N); drag a point to correct it; "Save SR"
 * writes a new revision.
 */
export default function ReviewSection({
  state,
  studyUid,
  landmarkNames,
  commandsManager,
  run,
}: {
  state: AnnotationState;
  studyUid?: string;
  landmarkNames: string[];
  commandsManager: CommandsManager;
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  const [queue, setQueue] = useState<ReviewItem[] | undefined>();
  const [filter, setFilter] = useState('');
  const refresh = () =>
    run('landmarksReviewQueue', filter ? { landmark: filter } : {}).then((q) =>
      setQueue(q as ReviewItem[]),
    );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) return;
      const key = e.key.toUpperCase();
      const command =
        key === REVIEW_KEYS.accept
          ? 'landmarksAccept'
          : key === REVIEW_KEYS.reject
            ? 'landmarksReject'
            : key === REVIEW_KEYS.next
              ? 'landmarksNextFlagged'
              : undefined;
      if (!command) return;
      e.preventDefault();
      e.stopPropagation();
      void run(command);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [commandsManager, run]);

  const open = (item: ReviewItem) => {
    if (item.studyUid === studyUid) {
      void run('landmarksLoadCurrentSr', { studyUid: item.studyUid }).then(() =>
        run('landmarksSelect', { name: item.flagged[0].name }),
      );
    } else {
      window.location.assign(`${window.location.pathname}?StudyInstanceUIDs=${item.studyUid}`);
    }
  };

  return (
    <section className="space-y-2 p-2 text-sm" data-testid="landmarks-review-section">
      <h3 className="font-semibold">Review queue</h3>
      <div className="flex items-center gap-2">
        <button
          type="button"
          className={button}
          data-testid="landmarks-queue-refresh"
          onClick={refresh}
        >
          Refresh
        </button>
        <select
          data-testid="landmarks-queue-filter"
          className="bg-black text-white"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        >
          <option value="">all landmarks</option>
          {landmarkNames.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      {queue && queue.length === 0 && (
        <p data-testid="landmarks-queue-empty">No flagged studies.</p>
      )}
      <ol>
        {queue?.map((item) => (
          <li key={item.srSopUid}>
            <button
              type="button"
              data-testid="landmarks-queue-item"
              data-study={item.studyUid}
              className="w-full text-left hover:bg-primary-dark"
              onClick={() => open(item)}
            >
              {item.patientName || item.studyUid} · worst {item.worstMm.toFixed(1)} mm ·{' '}
              {item.flagged.length} flagged
            </button>
          </li>
        ))}
      </ol>
      {state.review.length > 0 && (
        <div data-testid="landmarks-review">
          <div className="flex gap-2">
            <button
              type="button"
              className={button}
              data-testid="landmarks-accept"
              onClick={() => run('landmarksAccept')}
            >
              Accept (⇧A)
            </button>
            <button
              type="button"
              className={button}
              data-testid="landmarks-reject"
              onClick={() => run('landmarksReject')}
            >
              Reject (⇧X)
            </button>
            <button
              type="button"
              className={button}
              data-testid="landmarks-next"
              onClick={() => run('landmarksNextFlagged')}
            >
              Next (⇧N)
            </button>
          </div>
          <table className="mt-1 w-full">
            <tbody>
              {state.review.map((r) => (
                <tr
                  key={r.name}
                  data-testid="landmarks-review-row"
                  data-name={r.name}
                  data-status={r.status}
                  className={r.name === state.selected ? 'bg-primary-dark' : ''}
                  onClick={() => run('landmarksSelect', { name: r.name })}
                >
                  <td>{r.name}</td>
                  <td style={{ color: STATUS_COLOURS[r.status] }}>
                    {r.status === r.stored ? r.status : `${r.stored} → ${r.status}`}
                  </td>
                  <td className="text-right">
                    {r.deviationMm !== undefined ? `${r.deviationMm.toFixed(1)} mm` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
