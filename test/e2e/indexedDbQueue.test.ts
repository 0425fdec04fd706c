/**
 * The browser side of the outage-safe result queue: {@link IndexedDbQueueStorage} bundled with
 * {@link ResultQueue} (esbuild) and run in headless Chromium on a real http://127.0.0.1 origin. Two
 * results are put, listed, kept across a page reload, then flushed with a PACS that refuses one
 * transiently: the refused one stays queued (attempt counted), the stored one leaves. Fails on any
 * console error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedDbQueueStorage } from '../../extension/src/ohif/services/indexedDbQueueStorage.ts';
import type { ResultQueue } from '../../extension/src/pacs/resultQueue.ts';

/** What the bundle exposes as `window.QueueLib`. */
interface QueueLib {
  IndexedDbQueueStorage: typeof IndexedDbQueueStorage;
  ResultQueue: typeof ResultQueue;
}
type LibWindow = Window & { QueueLib: QueueLib };

/** An item as listed in the page, with the bytes made serialisable. */
interface Listed {
  id: string;
  studyUid: string;
  bytes: number[];
  isArrayBuffer: boolean;
  attempts: number;
  lastError?: string;
  failed?: boolean;
}

const DB = `queue-test-${process.pid}`;
const A = '1.2.3.4.1';
const B = '1.2.3.4.2';
const STUDY = '1.2.3';
const BYTES_A = [0x44, 0x49, 0x43, 0x4d, 0, 1, 2, 255];
const BYTES_B = Array.from({ length: 1024 }, (_, i) => (i * 7) % 256);

async function bundle(): Promise<string> {
  const root = path.resolve('extension/src');
  const result = await build({
    stdin: {
      contents: [
        "export { IndexedDbQueueStorage } from './ohif/services/indexedDbQueueStorage.ts';",
        "export { ResultQueue } from './pacs/resultQueue.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'QueueLib',
    target: 'es2022',
  });
  return result.outputFiles[0]!.text;
}

function listInPage(page: Page, db: string): Promise<Listed[]> {
  return page.evaluate(async (name) => {
    const { IndexedDbQueueStorage } = (window as unknown as LibWindow).QueueLib;
    const items = await new IndexedDbQueueStorage(name).list();
    return items.map((i) => ({
      id: i.id,
      studyUid: i.studyUid,
      bytes: Array.from(new Uint8Array(i.data)),
      isArrayBuffer: i.data instanceof ArrayBuffer,
      attempts: i.attempts,
      lastError: i.lastError,
      failed: i.failed,
    }));
  }, db);
}

describe('IndexedDbQueueStorage in Chromium', () => {
  let server: Server;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let origin: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const script = await bundle();
    server = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html><html><head><link rel="icon" href="data:,">' +
            '<script src="/bundle.js"></script></head><body>queue</body></html>',
        );
      } else if (req.url === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(script);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(path.join(tmpdir(), 'idb-queue-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.goto(`${origin}/`);
  });

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('puts, lists, survives a reload, flushes with one transient failure, removes', async () => {
    // Put two items with ArrayBuffer payloads (and overwrite one by id).
    await page.evaluate(
      async ({ name, a, b, study, bytesA, bytesB }) => {
        const { IndexedDbQueueStorage } = (window as unknown as LibWindow).QueueLib;
        const storage = new IndexedDbQueueStorage(name);
        const base = { studyUid: study, attempts: 0, nextAttemptAt: 0 };
        await storage.put({ ...base, id: a, data: new Uint8Array([9, 9, 9]).buffer });
        await storage.put({ ...base, id: a, data: new Uint8Array(bytesA).buffer });
        await storage.put({ ...base, id: b, data: new Uint8Array(bytesB).buffer });
      },
      { name: DB, a: A, b: B, study: STUDY, bytesA: BYTES_A, bytesB: BYTES_B },
    );
    const expected: Listed[] = [
      { id: A, studyUid: STUDY, bytes: BYTES_A, isArrayBuffer: true, attempts: 0 },
      { id: B, studyUid: STUDY, bytes: BYTES_B, isArrayBuffer: true, attempts: 0 },
    ];
    expect(await listInPage(page, DB)).toEqual(expected);

    // Persistence across a reload (new page state, new storage instance, same origin).
    await page.reload();
    await page.waitForFunction(() => 'QueueLib' in window);
    expect(await listInPage(page, DB)).toEqual(expected);

    // Flush: the PACS is unavailable (503, transient) for A and accepts B.
    const flush = await page.evaluate(
      async ({ name, a, lengthA }) => {
        const { IndexedDbQueueStorage, ResultQueue } = (window as unknown as LibWindow).QueueLib;
        const seen: Array<{ bytes: number; studyUid: string }> = [];
        const queue = new ResultQueue(new IndexedDbQueueStorage(name), async (files, studyUid) => {
          seen.push({ bytes: files[0]!.byteLength, studyUid });
          if (files[0]!.byteLength === lengthA) {
            throw Object.assign(new Error(`PACS unavailable for ${a}`), { status: 503 });
          }
        });
        const report = await queue.flush();
        return { report, seen, size: await queue.size() };
      },
      { name: DB, a: A, lengthA: BYTES_A.length },
    );
    expect(flush.report).toEqual({ stored: [B], pending: [A], failed: [] });
    expect(flush.seen).toEqual([
      { bytes: BYTES_A.length, studyUid: STUDY },
      { bytes: BYTES_B.length, studyUid: STUDY },
    ]);
    expect(flush.size).toBe(1);
    const afterFlush = await listInPage(page, DB);
    expect(afterFlush).toEqual([
      {
        id: A,
        studyUid: STUDY,
        bytes: BYTES_A,
        isArrayBuffer: true,
        attempts: 1,
        lastError: `PACS unavailable for ${A}`,
      },
    ]);

    // Remove (twice: a missing id is not an error) and list empty.
    await page.evaluate(
      async ({ name, a }) => {
        const { IndexedDbQueueStorage } = (window as unknown as LibWindow).QueueLib;
        const storage = new IndexedDbQueueStorage(name);
        await storage.remove(a);
        await storage.remove(a);
      },
      { name: DB, a: A },
    );
    expect(await listInPage(page, DB)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
