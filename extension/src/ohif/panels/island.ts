import { createElement, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';

/**
 * An "island": our own React 18 root mounted inside a DOM element that OHIF's React renders.
 * OHIF's React and ours never share hooks (a bundled React handed to the host fails with
 * "Invalid hook call"; see ../shared/notes/ohif-runtime-plugins.md), so the component given to OHIF
 * is hook-free and only renders a container whose ref mounts this island.
 */
export interface Island {
  /** Stable ref callback for the container element (mounts on element, unmounts on null). */
  ref: (element: HTMLElement | null) => void;
}

/** Creates an island that renders `render()` into whichever element the ref receives. */
export function createIsland(render: () => ReactElement): Island {
  let root: Root | undefined;
  let container: HTMLElement | undefined;
  const ref = (element: HTMLElement | null): void => {
    if (element && element === container) return;
    if (root) {
      const old = root;
      root = undefined;
      container = undefined;
      // Unmounting synchronously inside the host's commit phase warns; defer it.
      queueMicrotask(() => old.unmount());
    }
    if (element) {
      container = element;
      root = createRoot(element);
      root.render(render());
    }
  };
  return { ref };
}

/** The hook-free host component: a full-height container carrying the island's ref. */
export function hostContainer(island: Island, testId: string): ReactElement {
  return createElement('div', {
    ref: island.ref,
    'data-testid': testId,
    className: 'ohif-landmarks-panel h-full w-full overflow-y-auto text-white',
  });
}
