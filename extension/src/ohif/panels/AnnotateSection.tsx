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
 * toggle, numbers only, status legend); each landmark's checkbox shows or hides its label on the
 * image, and its number is the one drawn in numbers-only mode.
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
  const hidden = new Set(state.hiddenNames);
  /** Shows or hides landmark `name`'s label on the viewports (kept for the session). */
  const showLabel = (name: string, show: boolean) =>
    run('landmarksLabelOptions', {
      hidden: show ? state.hiddenNames.filter((n) => n !== name) : [...state.hiddenNames, name],
    });
  return (
    <section className="space-y-2 p-2 text-sm" data-testid="landmarks-annotate-section">
      <div className="flex flex-wrap gap-2">
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
      <Legend showNames={state.showNames} numbersOnly={state.numbersOnly} run={run} />
      <p data-testid="landmarks-progress">
        {names.filter((n) => placed.has(n)).length}/{names.length} placed
        {state.annotating && state.next ? ` · next: ${state.next}` : ''}
      </p>
      <ol className="max-h-96 overflow-y-auto">
        {names.map((n, i) => (
          <li
            key={n}
            data-testid="landmarks-item"
            data-placed={placed.has(n) ? 'yes' : 'no'}
            className={
              state.annotating && n === state.next
                ? 'text-primary-light font-bold'
                : placed.has(n)
                  ? 'text-green-500'
                  : 'text-muted-foreground'
            }
          >
            <input
              type="checkbox"
              className="mr-1 align-middle"
              data-testid="landmarks-label-visible"
              data-name={n}
              title={`Show the label of ${n} on the image`}
              aria-label={`label of ${n}`}
              checked={!hidden.has(n)}
              disabled={!state.showNames}
              onChange={(e) => void showLabel(n, e.target.checked)}
            />
            {i + 1}. {n} {placed.has(n) ? '✓' : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}
