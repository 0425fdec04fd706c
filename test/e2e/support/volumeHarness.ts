/**
 * The frame of a browser test file, as a helper instead of each file's own copy: before all tests a
 * fresh stack (viewer + Orthanc + server), the file's studies stored by `prepare`, and a Chromium
 * session; after all, both closed. `shot(name)` saves artifacts/e2e/<name>.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openSession, type Session } from './browser.ts';
import { startStack, type Stack } from './stack.ts';

export const ARTIFACTS = path.resolve('artifacts/e2e');

export interface Harness {
  stack(): Stack;
  session(): Session;
  shot(name: string): Promise<Buffer>;
}

/**
 * Registers the file's beforeAll/afterAll; `prepare` stores the studies the tests need. `builtinModels`:
 * the server offers the shipped models as `npm start` does.
 */
export function browserHarness(
  prepare: (stack: Stack) => Promise<void>,
  options: { builtinModels?: boolean } = {},
): Harness {
  let stack: Stack | undefined;
  let session: Session | undefined;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack(options);
    await prepare(stack);
    session = await openSession();
  }, 900_000);
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });
  const need = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`e2e: the ${what} did not start`);
    return value;
  };
  return {
    stack: () => need(stack, 'stack'),
    session: () => need(session, 'browser session'),
    shot: (name) =>
      need(session, 'browser session').page.screenshot({
        path: path.join(ARTIFACTS, `${name}.png`),
        // A starved headless page (load 12 on 2 cores) timed out waiting for fonts at 30 s.
        timeout: 120_000,
      }),
  };
}
