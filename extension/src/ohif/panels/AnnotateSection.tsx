import type { AnnotationState } from '../controller.ts';
import Legend from './Legend.tsx';
import QueueStatus from './QueueStatus.tsx';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

/**
 * Manual annotation: start/stop placing the template's landmarks (each click places the next one,
 * drag to correct), the list of landmarks with their state, and "Save SR"; the SRs waiting for the
 * PACS (QueueStatus) and the overlay controls (names toggle, status legend).
 */
export default function AnnotateSection({
  names,
  state,
  run,
}: {
  names: string[];
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
            onClick={() => run('landmarksAnnotate', { names })}
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
      <QueueStatus status={state.queue} run={run} />
      <Legend showNames={state.showNames} run={run} />
      <p data-testid="landmarks-progress">
        {state.placed.length}/{names.length} placed
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
