import { useEffect, useState } from 'react';
import type { AnnotationState } from '../controller.ts';
import type { ReviewItem } from '../services/reviewQueue.ts';
import { STATUS_COLOURS, describeReasons } from '../services/reviewQueue.ts';
import MoveStatus from './MoveStatus.tsx';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

/** A number with `digits` decimals, or a dash when it is not finite (no NaN on screen). */
const fixed = (v: number | undefined, digits: number): string =>
  v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '–';

/** sessionStorage key of the landmark to select after opening a study from the queue. */
const PENDING_KEY = 'ohif-landmarks-review-select';

function readPendingSelection(): { studyUid: string; name: string } | undefined {
  try {
    const value = JSON.parse(window.sessionStorage.getItem(PENDING_KEY) ?? 'null') as unknown;
    const v = value as { studyUid?: unknown; name?: unknown } | null;
    return typeof v?.studyUid === 'string' && typeof v.name === 'string'
      ? { studyUid: v.studyUid, name: v.name }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The selected landmark: its deviation |X_α − X_β| in mm (the hollow circle on the image is X_β, joined
 * to the network's prediction) and "Use adjusted", which moves it to X_β (saved as corrected).
 */
function SelectedLandmark({
  state,
  run,
}: {
  state: AnnotationState;
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  const row = state.review.find((r) => r.name === state.selected);
  if (!row) return null;
  return (
    <div className="mt-1 flex items-center gap-2" data-testid="landmarks-selected">
      <span className="font-semibold">{row.name}</span>
      {row.deviationMm !== undefined && (
        <span data-testid="landmarks-deviation" data-mm={row.deviationMm}>
          Δ {fixed(row.deviationMm, 1)} mm from the shape model
        </span>
      )}
      {row.confidence !== undefined && (
        <span className="text-muted-foreground">conf. {fixed(row.confidence, 2)}</span>
      )}
      {row.reviewReasons && (
        <span
          data-testid="landmarks-selected-reasons"
          style={{ color: STATUS_COLOURS['flagged-abnormal'] }}
        >
          flagged: {describeReasons(row.reviewReasons)}
        </span>
      )}
      <button
        type="button"
        className={button}
        data-testid="landmarks-use-adjusted"
        disabled={!row.hasAdjusted}
        onClick={() => run('landmarksUseAdjusted')}
      >
        Use adjusted (⇧U)
      </button>
    </div>
  );
}

/**
 * Review: the queue of studies with flagged-abnormal landmarks (worst deviation first, filterable by
 * landmark); opening one selects its worst flagged landmark (X_β drawn, deviation shown). For the
 * study on screen, its SR landmarks with stored and reviewed status.
 * Accept (Shift+A), reject (Shift+X), next flagged (Shift+N), use adjusted (Shift+U): OHIF hotkeys
 * bound by the mode to the same commands as the buttons (mode/src/hotkeys.ts); drag a point to
 * correct it (the selected landmark is the one a press grabs; the line under the buttons says which,
 * and "Undo move" / Ctrl+Z reverts it); "Save SR" (Shift+S) writes a new revision.
 */
export default function ReviewSection({
  state,
  studyUid,
  landmarkNames,
  run,
}: {
  state: AnnotationState;
  studyUid?: string;
  landmarkNames: string[];
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  const [queue, setQueue] = useState<ReviewItem[] | undefined>();
  const [filter, setFilter] = useState('');
  const refresh = () =>
    run('landmarksReviewQueue', filter ? { landmark: filter } : {}).then((q) =>
      setQueue(q as ReviewItem[]),
    );

  // After the page navigated to a queued study: select its worst flagged landmark once the SR is drawn.
  useEffect(() => {
    const pending = readPendingSelection();
    if (!pending || pending.studyUid !== studyUid || !state.loadedSr) return;
    if (!state.review.some((r) => r.name === pending.name)) return;
    window.sessionStorage.removeItem(PENDING_KEY);
    void run('landmarksSelect', { name: pending.name });
  }, [studyUid, state.loadedSr, state.review, run]);

  const open = (item: ReviewItem) => {
    const name = item.flagged[0].name;
    if (item.studyUid === studyUid) {
      void run('landmarksLoadCurrentSr', { studyUid: item.studyUid }).then(() =>
        run('landmarksSelect', { name }),
      );
    } else {
      window.sessionStorage.setItem(PENDING_KEY, JSON.stringify({ studyUid: item.studyUid, name }));
      window.location.assign(`${window.location.pathname}?StudyInstanceUIDs=${item.studyUid}`);
    }
  };

  return (
    <section className="space-y-2 p-2 text-sm" data-testid="landmarks-review-section">
      <h3 className="font-semibold">Review queue</h3>
      <div className="flex flex-wrap items-center gap-2">
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
          className="min-w-0 flex-1 bg-black text-white"
          style={{ maxWidth: '100%' }}
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
              {item.patientName || item.studyUid} · worst {fixed(item.worstMm, 1)} mm ·{' '}
              {item.flagged.length} flagged
              <span
                className="block text-xs text-muted-foreground"
                data-testid="landmarks-queue-reasons"
              >
                {item.flagged
                  .slice(0, 3)
                  .map((f) => `${f.name}: ${describeReasons(f.reasons)}`)
                  .join('; ')}
                {item.flagged.length > 3 ? '; …' : ''}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {state.review.length > 0 && (
        <div data-testid="landmarks-review">
          <div className="flex flex-wrap gap-2">
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
          <MoveStatus state={state} run={run} />
          <SelectedLandmark state={state} run={run} />
          <table className="mt-1 w-full">
            <tbody>
              {state.review.map((r) => (
                <tr
                  key={r.name}
                  data-testid="landmarks-review-row"
                  data-name={r.name}
                  data-status={r.status}
                  data-reasons={r.reviewReasons?.join(' ') ?? ''}
                  title={
                    r.reviewReasons ? `flagged: ${describeReasons(r.reviewReasons)}` : undefined
                  }
                  className={r.name === state.selected ? 'bg-primary-dark' : ''}
                  onClick={() => run('landmarksSelect', { name: r.name })}
                >
                  <td>{r.name}</td>
                  <td style={{ color: STATUS_COLOURS[r.status] }}>
                    {r.status === r.stored ? r.status : `${r.stored} → ${r.status}`}
                    {r.reviewReasons && r.status === 'flagged-abnormal' && (
                      <span className="block text-xs text-muted-foreground">
                        {describeReasons(r.reviewReasons)}
                      </span>
                    )}
                  </td>
                  <td className="text-right">
                    {r.deviationMm !== undefined ? `${fixed(r.deviationMm, 1)} mm` : ''}
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
