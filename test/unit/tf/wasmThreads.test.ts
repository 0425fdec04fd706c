// Multi-threaded wasm in Node (extension/src/node/wasmThreads.ts): the backend starts the number of
// threads asked for, and a short training run gives the same losses, bit for bit, on 1 thread (the
// single-threaded SIMD build) and on 2 (the threaded-SIMD build: XNNPACK splits work between threads,
// not the sums inside one output). One child process per thread count: the count is fixed at start-up.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/wasmThreadLosses.ts', import.meta.url));

function run(threads: number): { threads: number; losses2d: number[]; losses3d: number[] } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fixture, String(threads)], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ReturnType<typeof run>;
}

describe('wasm threads in Node', () => {
  it('trains with identical losses on 1 and 2 threads (2D and 3D U-Nets)', () => {
    const one = run(1);
    const two = run(2);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(one.losses2d.every(Number.isFinite)).toBe(true);
    expect(one.losses2d.at(-1)!).toBeLessThan(one.losses2d[0]!);
    expect(two.losses2d).toEqual(one.losses2d);
    expect(two.losses3d).toEqual(one.losses3d);
  }, 300_000);
});
