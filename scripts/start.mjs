#!/usr/bin/env node
// `npm start`: one command on a fresh clone. Installs dependencies when needed (npm ci), then runs
// scripts/serveStack.ts (viewer + plugins + local Orthanc + demo studies + same-origin server).
// Ctrl-C stops everything it started. See README "## npm start".
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function needsInstall() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
}

if (needsInstall()) {
  console.log('0/4 dependencies: npm ci');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm start: npm ci failed (exit ${r.status})`);
    process.exit(1);
  }
}

const { tsImport } = await import('tsx/esm/api');
const { startAll } = await tsImport(
  pathToFileURL(path.join(root, 'scripts', 'serveStack.ts')).href,
  import.meta.url,
);

let stop;
try {
  stop = await startAll();
} catch (err) {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

let stopping = false;
const shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the viewer and the PACS…`);
  await stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
