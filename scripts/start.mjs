#!/usr/bin/env node
// `npm start`: one command on a fresh clone. Installs what is missing (scripts/bootstrap.mjs), then runs
// scripts/serveStack.ts (checks, local Orthanc + demo studies, viewer + plugins, same-origin server).
// Ctrl-C stops everything it started. See docs/startup.md.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bootstrap } from './bootstrap.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Debian packages (Orthanc and the demo's head CT, unless --pacs names another PACS; no head CT with
// --no-seed) and npm ci, when missing.
bootstrap('start', {
  pacsGiven: process.argv.includes('--pacs') || Boolean(process.env.LANDMARKS_DICOMWEB_URL),
  seed: !process.argv.includes('--no-seed'),
});

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
