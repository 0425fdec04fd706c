import { useEffect, useState } from 'react';
import { getCurrentStudy, studyChangeEvents, type StudySummary } from '../services/currentStudy.ts';
import type { Services, Subscription } from '../types.ts';

/** The study in the active viewport, refreshed on OHIF's viewport-grid and display-set events. */
export default function useCurrentStudy(services: Services): StudySummary | undefined {
  const [study, setStudy] = useState<StudySummary | undefined>(() => getCurrentStudy(services));
  useEffect(() => {
    const refresh = () => setStudy(getCurrentStudy(services));
    const subscriptions: Subscription[] = studyChangeEvents(services).map(([name, event]) =>
      (services[name] as { subscribe(e: string, cb: () => void): Subscription }).subscribe(
        event,
        refresh,
      ),
    );
    refresh();
    return () => subscriptions.forEach((s) => s.unsubscribe());
  }, [services]);
  return study;
}
