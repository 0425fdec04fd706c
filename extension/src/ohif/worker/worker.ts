/**
 * Module Web Worker entry for training and pseudo-labelling in the browser. Messages:
 * `{type: 'ping'}` -> `{type: 'pong'}`.
 */
self.onmessage = (event: MessageEvent<{ type: string }>) => {
  if (event.data?.type === 'ping') self.postMessage({ type: 'pong' });
};
