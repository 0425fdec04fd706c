// How many wasm threads the viewer's worker asks for (worker/wasmThreads.ts, workerClient.ts).
import { describe, expect, it } from 'vitest';
import { wasmThreadsFor } from '../../../extension/src/ohif/worker/wasmThreads.ts';
import { configuredWasmThreads } from '../../../extension/src/ohif/worker/workerClient.ts';

const page = (cores: number, crossOriginIsolated = true) => ({
  crossOriginIsolated,
  navigator: { hardwareConcurrency: cores },
});

describe('wasm threads in the worker', () => {
  it('uses every core up to 4 on a cross-origin isolated page, one otherwise', () => {
    expect(wasmThreadsFor(page(2))).toBe(2);
    expect(wasmThreadsFor(page(16))).toBe(4);
    expect(wasmThreadsFor(page(1))).toBe(1);
    expect(wasmThreadsFor(page(8, false))).toBe(1);
    expect(wasmThreadsFor({ crossOriginIsolated: true })).toBe(1);
  });

  it('takes a requested count within [1, cores]', () => {
    expect(wasmThreadsFor(page(8), 1)).toBe(1);
    expect(wasmThreadsFor(page(8), 3)).toBe(3);
    expect(wasmThreadsFor(page(2), 8)).toBe(2);
    expect(wasmThreadsFor(page(2, false), 2)).toBe(1);
  });

  it('reads app-config landmarks.wasmThreads, refusing what is not a whole number ≥ 1', () => {
    expect(configuredWasmThreads(undefined)).toBeUndefined();
    expect(configuredWasmThreads({ landmarks: {} })).toBeUndefined();
    expect(configuredWasmThreads({ landmarks: { wasmThreads: 1 } })).toBe(1);
    expect(() => configuredWasmThreads({ landmarks: { wasmThreads: 0 } })).toThrow(
      'app-config landmarks.wasmThreads: 0 is not a whole number ≥ 1',
    );
    expect(() => configuredWasmThreads({ landmarks: { wasmThreads: '2' } })).toThrow(/"?2"?/);
  });
});
