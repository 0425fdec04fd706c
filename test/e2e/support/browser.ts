/**
 * Headless Debian Chromium through playwright-core, with the flags from ../shared/notes (WebGL and
 * WebGPU on SwiftShader, plus Vulkan for the GPU process, see FLAGS) and a fresh profile. Collects console errors and page errors so tests can
 * fail on any of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  // Vulkan (SwiftShader) for the GPU process's Skia: without it Chromium 156 runs Skia on GL
  // (chrome://gpu: "Skia Backend: GaneshGL", "Vulkan: Disabled"), a WebGPU canvas on the SwiftShader
  // adapter cannot be drawn into a 2D canvas, and tfjs' synchronous WebGPU read-back (which does just
  // that) returns zeros and then loses the device, so the worker rejects WebGPU. With Skia on Vulkan
  // ("GaneshVulkan") the read-back is exact and WebGPU trains (2D and 3D). Only the tests get this:
  // users' browsers run on their own GPU and flags.
  '--use-vulkan=swiftshader',
];

/** A browser session with the problems it saw. */
export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
  /** All console lines (for diagnostics when a step fails). */
  log: string[];
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir and opens one page. */
export async function openSession(viewport = { width: 1400, height: 900 }): Promise<Session> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'landmarks-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const log: string[] = [];
  page.on('console', (msg) => {
    const line = `[${msg.type()}] ${msg.text()}`;
    log.push(line);
    if (msg.type() === 'error') errors.push(line);
  });
  page.on('pageerror', (err) => errors.push(`[pageerror] ${err.message}`));
  return {
    context,
    page,
    errors,
    log,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What the worker logged when it proved a backend (worker/backend.ts: "… training check: …"). */
export interface BackendCheckLine {
  line: string;
  /** Relative difference of the fixed batch's loss to the cpu backend's. */
  loss: number;
  /** Relative difference of its global gradient norm to the cpu backend's. */
  gradientNorm: number;
}

/**
 * The last "landmarks: <backend> <d>D training check" console line of a session, with its relative
 * differences to cpu; throws when the worker never logged one for that backend.
 */
export function checkLine(
  log: readonly string[],
  backend: string,
  dimension: 2 | 3,
): BackendCheckLine {
  const prefix = `landmarks: ${backend} ${dimension}D training check:`;
  const line = [...log].reverse().find((l) => l.includes(prefix));
  if (!line) throw new Error(`no "${prefix}" line in the console log`);
  const m = /relative difference ([^)]+)\), gradient norm [^(]+\(cpu [^,]+, ([^)]+)\)/.exec(line);
  if (!m) throw new Error(`cannot read the differences in: ${line}`);
  return { line, loss: Number(m[1]), gradientNorm: Number(m[2]) };
}
