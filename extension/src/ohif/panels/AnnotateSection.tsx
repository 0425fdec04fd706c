import type { AnnotationState } from '../controller.ts';
import Legend from './Legend.tsx';
import MoveStatus from './MoveStatus.tsx';
import QueueStatus from './QueueStatus.tsx';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

/**
 * Manual annotation: start/stop placing the template's landmarks (each click places the next one not
 * placed yet, drag to correct), the list of landmarks with their state, and "Save SR", which saves the
 * landmarks placed so far (a partial SR is continued after a reload); which point a press grabbed and
 * "Undo move" (Ctrl+Z); the SRs waiting for the PACS (QueueStatus) and the overlay controls (names
 * toggle, status legend).
 */
export default function AnnotateSection({
  names,
  templateId,
  state,
  run,
}: {
  names: string[];
  templateId?: string;
  state: AnnotationState;
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  const placed = new Set(state.placed);
  return (
    <section className="space-y-2 p-2 text-sm" data-testid="landmarks-annotate-section">
      <div className="flex gap-2">
        {state.annotating ? (
          <button
            type="button"
            className={button}
            data-testid="landmarks-stop"
            onClick={() => run('landmarksStopAnnotating')}
          >
            Stop annotating
          </button>
        ) : (
          <button
            type="button"
            className={button}
            data-testid="landmarks-annotate"
            onClick={() => run('landmarksAnnotate', { names, templateId })}
          >
            Annotate
          </button>
        )}
        <button
          type="button"
          className={button}
          data-testid="landmarks-save"
          disabled={state.placed.length === 0}
          onClick={() => run('landmarksSave')}
        >
          Save SR
        </button>
      </div>
      {state.review.length === 0 && <MoveStatus state={state} run={run} />}
      <QueueStatus status={state.queue} run={run} />
      <Legend showNames={state.showNames} run={run} />
      <p data-testid="landmarks-progress">
        {names.filter((n) => placed.has(n)).length}/{names.length} placed
        {state.annotating && state.next ? ` · next: ${state.next}` : ''}
      </p>
      <ol className="max-h-64 overflow-y-auto">
        {names.map((n, i) => (
          <li
            key={n}
            data-testid="landmarks-item"
            data-placed={placed.has(n) ? 'yes' : 'no'}
            className={
              state.annotating && n === state.next
                ? 'text-primary-light font-bold'
                : placed.has(n)
                  ? 'text-green-400'
                  : 'text-gray-400'
            }
          >
            {i + 1}. {n} {placed.has(n) ? '✓' : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}
