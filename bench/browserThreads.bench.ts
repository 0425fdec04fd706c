/**
 * `npm run bench:browser-threads`: wasm training steps in the viewer's own Web Worker (the built
 * dist/plugins/landmarks/worker.js) in headless Chromium, with 1 thread and with as many as the machine
 * has (at most 4), for the image and the volume networks. The worker is served from loopback with
 * COOP/COEP (cross-origin isolated, as `npm start` serves the viewer) and started as the viewer starts
 * it, `worker.js?wasmThreads=N` (app-config `landmarks.wasmThreads`).
 *
 * Options: --steps <n> (timed steps after one warm-up, default 6) --presets tiny,quick --dims 2,3
 *   --rounds <n> (1-thread and N-thread workers alternate, default 2) --json --no-build
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openSession } from '../test/e2e/support/browser.ts';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '6' },
    presets: { type: 'string', default: 'tiny,quick' },
    dims: { type: 'string', default: '2,3' },
    rounds: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const DIST = path.resolve('dist/plugins/landmarks');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
};
const log = (line = '') => (args.json ? process.stderr : process.stdout).write(`${line}\n`);

if (!args['no-build']) {
  log('building the plugin (webpack --mode production) …');
  execFileSync('npx', ['webpack', '--mode', 'production'], { stdio: 'ignore' });
}

/** Serves DIST (and an empty page) on loopback, cross-origin isolated. */
const server = createServer(async (req, res) => {
  const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
  const headers = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  try {
    const body =
      name === 'index.html'
        ? '<!doctype html><title>threads</title>'
        : await readFile(path.join(DIST, path.normalize(name).replace(/^(\.\.[/\\])+/, '')));
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(name)] ?? 'text/plain' });
    res.end(body);
  } catch {
    res.writeHead(404, headers).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

interface Timed {
  threads: number;
  msPerStep: number[];
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const session = await openSession();
const maxThreads = Math.min(4, os.availableParallelism());
const rows: Array<{ preset: string; dims: number; threads: number; ms: number }> = [];
try {
  await session.page.goto(`http://127.0.0.1:${port}/`);
  const isolated = await session.page.evaluate(() => self.crossOriginIsolated);
  if (!isolated) throw new Error('the bench page is not cross-origin isolated');
  for (const preset of args.presets!.split(',')) {
    for (const dims of args.dims!.split(',').map(Number)) {
      const times = new Map<number, number[]>();
      for (let round = 0; round < Number(args.rounds); round++) {
        for (const threads of [1, maxThreads]) {
          // A fresh worker per run: the wasm backend takes its thread count once.
          const timed = await session.page.evaluate(
            ({ threads, preset, dims, steps }) =>
              new Promise<Timed>((resolve, reject) => {
                const worker = new Worker(`/worker.js?wasmThreads=${threads}`, { type: 'module' });
                worker.onmessage = (e: MessageEvent) => {
                  const m = e.data as { type: string; message?: string } & Timed;
                  if (m.type === 'bench' || m.type === 'error') worker.terminate();
                  if (m.type === 'bench') resolve(m);
                  if (m.type === 'error') reject(new Error(m.message));
                };
                worker.onerror = (e) => reject(new Error(e.message));
                const req = {
                  type: 'bench',
                  id: 1,
                  backend: 'wasm',
                  steps,
                  preset,
                  dimension: dims,
                };
                worker.postMessage(req);
              }),
            { threads, preset, dims, steps: Number(args.steps) + 1 },
          );
          if (timed.threads !== threads)
            throw new Error(`asked for ${threads} wasm threads, the worker runs ${timed.threads}`);
          // The first step builds the kernels: left out.
          times.set(threads, [...(times.get(threads) ?? []), ...timed.msPerStep.slice(1)]);
          log(
            `${preset} ${dims}D, ${threads} thread(s), round ${round + 1}: ${median(timed.msPerStep.slice(1)).toFixed(0)} ms/step`,
          );
        }
      }
      for (const [threads, ms] of times) rows.push({ preset, dims, threads, ms: median(ms) });
    }
  }
} finally {
  await session.close();
  server.close();
}

const one = (r: (typeof rows)[number]) =>
  rows.find((x) => x.preset === r.preset && x.dims === r.dims && x.threads === 1)!.ms;
if (args.json) {
  process.stdout.write(
    `${JSON.stringify({ rows: rows.map((r) => ({ ...r, speedUp: one(r) / r.ms })) })}\n`,
  );
} else {
  log();
  log(`### wasm in the viewer's worker, headless Chromium, ${os.availableParallelism()} cores`);
  log();
  log('| network | dims | threads | ms per train step (median) | speed-up over 1 thread |');
  log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    log(
      `| ${r.preset} | ${r.dims}D | ${r.threads} | ${r.ms.toFixed(0)} | ${(one(r) / r.ms).toFixed(2)}× |`,
    );
}
