import type { AnnotationState } from '../controller.ts';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

/**
 * Which landmark the last press on the image grabbed, and why (the selected one, or the nearest of
 * several under the cursor), with "Undo move" (Ctrl+Z) for the newest landmark move. Shown once, where
 * the user works: in the review section while an SR is reviewed, else in the annotate section.
 */
export default function MoveStatus({
  state,
  run,
}: {
  state: AnnotationState;
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="landmarks-move-status">
      <button
        type="button"
        className={button}
        data-testid="landmarks-undo"
        disabled={!state.undo}
        title="Ctrl+Z"
        onClick={() => run('landmarksUndo')}
      >
        {state.undo ? `Undo move of ${state.undo} (Ctrl+Z)` : 'Undo move'}
      </button>
      {state.pick && (
        <span data-testid="landmarks-pick" className="break-words text-muted-foreground">
          {state.pick}
        </span>
      )}
    </div>
  );
}
