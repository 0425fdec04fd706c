import { useEffect, useState } from 'react';
import type { AnnotationState, LandmarksController } from '../controller.ts';

/** The controller's annotation state plus a counter that changes on every controller event. */
export default function useController(controller: LandmarksController): {
  state: AnnotationState;
  version: number;
} {
  const [snapshot, setSnapshot] = useState(() => ({ state: controller.getState(), version: 0 }));
  useEffect(
    () =>
      controller.subscribe(() =>
        setSnapshot((s) => ({ state: controller.getState(), version: s.version + 1 })),
      ),
    [controller],
  );
  return snapshot;
}
