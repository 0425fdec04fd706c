/**
 * Headless Debian Chromium through playwright-core, with the flags from ../shared/notes (WebGL and
 * WebGPU on SwiftShader) and a fresh profile. Collects console errors and page errors so tests can
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
