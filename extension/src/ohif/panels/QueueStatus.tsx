import { useEffect, useState } from 'react';
import type { QueueStatus as Status } from '../services/pacsResultQueue.ts';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

/** One line about SRs kept in the browser while the PACS is unreachable; nothing when none wait. */
export function queueText(status: Status, now = Date.now()): string {
  const n = status.waiting;
  const base = `${n} result${n === 1 ? '' : 's'} waiting for the PACS`;
  const refused = status.refused ? ` (${status.refused} refused: ${status.lastError ?? '?'})` : '';
  const retry =
    status.nextRetryAt !== undefined
      ? ` · retry in ${Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000))} s`
      : '';
  return `${base}${refused}${retry}`;
}

/** "N results waiting for the PACS" with a "Retry now" button; hidden while nothing waits. */
export default function QueueStatus({
  status,
  run,
}: {
  status: Status;
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  // Re-render every second so the retry countdown moves.
  const [, setTick] = useState(0);
  useEffect(() => {
    if (status.nextRetryAt === undefined) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [status.nextRetryAt]);
  if (status.waiting === 0) return null;
  return (
    <div
      role="status"
      data-testid="landmarks-queue-status"
      data-waiting={status.waiting}
      className="flex flex-wrap items-center gap-2 text-yellow-500"
    >
      <span>{queueText(status)}</span>
      <button
        type="button"
        className={button}
        data-testid="landmarks-queue-retry"
        onClick={() => run('landmarksRetryQueue')}
      >
        Retry now
      </button>
    </div>
  );
}
