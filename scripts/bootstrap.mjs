#!/usr/bin/env node
// Installs what `npm test` and `npm start` need on a fresh Debian machine, once, each with one line
// saying what it installs:
//   1. Debian packages (apt-get, as root; otherwise the exact command to run is printed),
//   2. npm dependencies (npm ci, when node_modules is missing or does not match package-lock.json),
//   3. the published OHIF viewer (scripts/fetchViewer.ts, into vendor/), for the tests; `npm start`
//      fetches it itself after its start-up checks (serveStack.ts), so a wrong --pacs fails first.
// Plain Node with no npm dependency, because it runs before node_modules exists (`pretest`, start.mjs).
//
//   node scripts/bootstrap.mjs test             everything the tests use
//   node scripts/bootstrap.mjs start [--pacs U] [--no-seed]
//       Orthanc (unless --pacs/LANDMARKS_DICOMWEB_URL), the demo's head CT (unless --pacs or --no-seed), npm
//
// The decisions are pure functions (exported, see test/integration/startup/bootstrap.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The OHIF release the extension and mode are built and tested against (`@ohif/app` on npm). */
export const OHIF_VERSION = '3.13.2';

/**
 * Debian packages, each with the file (absolute path, or a command looked up on PATH) that shows it
 * is installed. A file check rather than dpkg, so a machine with these tools from elsewhere is fine.
 */
export const DEBIAN_PACKAGES = {
  orthanc: '/usr/sbin/Orthanc',
  'orthanc-dicomweb': '/usr/share/orthanc/plugins/libOrthancDicomWeb.so',
  dcmtk: 'dsrdump',
  dicom3tools: 'dciodvfy',
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  'invesalius-examples': '/usr/share/doc/invesalius-examples/examples/Cranium.inv3',
};

/** Why a package that not every run needs is installed, said in the apt-get line. */
const PURPOSE = {
  'invesalius-examples': 'a real head CT (GPL-2) for the demo studies, not needed with --no-seed',
};

/**
 * The Debian packages a command needs: `test` all of them (Orthanc for the integration tests, dcmtk
 * and dicom3tools for the DICOM validators, Chromium for the viewer tests, invesalius-examples for the
 * head CT conversion); `start` Orthanc and its DICOMweb plugin, plus invesalius-examples (the demo's
 * real head CT) unless `--no-seed`, and nothing when it uses another PACS (`--pacs`).
 * @param {'test' | 'start'} target
 * @param {{ pacsGiven?: boolean, seed?: boolean }} [options]
 * @returns {string[]}
 */
export function requiredPackages(target, { pacsGiven = false, seed = true } = {}) {
  if (target === 'test') return Object.keys(DEBIAN_PACKAGES);
  if (pacsGiven) return [];
  return seed
    ? ['orthanc', 'orthanc-dicomweb', 'invesalius-examples']
    : ['orthanc', 'orthanc-dicomweb'];
}

/**
 * What to do about missing Debian packages.
 * @param {string[]} missing packages not installed
 * @param {{ isRoot: boolean, hasAptGet: boolean }} machine
 * @returns {{ action: 'none' } | { action: 'install', line: string, commands: string[][] }
 *   | { action: 'refuse', message: string }}
 */
export function aptPlan(missing, { isRoot, hasAptGet }) {
  if (missing.length === 0) return { action: 'none' };
  const list = missing.join(' ');
  const install = ['install', '-y', '-q', '--no-install-recommends', ...missing];
  if (!hasAptGet) {
    return {
      action: 'refuse',
      message:
        `bootstrap: missing system packages: ${list}, and there is no apt-get here. ` +
        'Install the Debian packages of that name (or the same tools by other means) and run again.',
    };
  }
  if (!isRoot) {
    return {
      action: 'refuse',
      message:
        `bootstrap: missing Debian packages: ${list}. Installing them needs root; run\n` +
        `  sudo apt-get update && sudo apt-get ${install.join(' ')}\n` +
        'then run the same npm command again.',
    };
  }
  const why = missing.filter((p) => PURPOSE[p]).map((p) => `; ${p}: ${PURPOSE[p]}`);
  return {
    action: 'install',
    line: `bootstrap: installing Debian packages ${list} (apt-get, about a minute${why.join('')})`,
    commands: [['update', '-q'], install],
  };
}

/**
 * Whether `npm ci` is needed: node_modules has no `.package-lock.json` (npm's record of what it
 * installed), or package-lock.json is newer and names a package at a version that record lacks.
 * Packages marked optional may be absent (platform binaries npm skips).
 * @param {{ packages?: Record<string, { version?: string, optional?: boolean }> } | undefined} installed
 *   node_modules/.package-lock.json, undefined when missing
 * @param {{ packages?: Record<string, { version?: string, optional?: boolean }> }} lock package-lock.json
 * @param {{ installedMtimeMs: number, lockMtimeMs: number }} times
 * @returns {string | undefined} why (for the log line), or undefined when up to date
 */
export function npmInstallReason(installed, lock, { installedMtimeMs, lockMtimeMs }) {
  if (!installed) return 'node_modules is missing';
  if (lockMtimeMs <= installedMtimeMs) return undefined;
  const have = installed.packages ?? {};
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.optional) continue;
    if (have[key]?.version !== entry.version)
      return `package-lock.json changed (${key.replace(/^.*node_modules\//, '')} ${entry.version})`;
  }
  return undefined;
}

/** True when `file` (absolute) exists, or a command of that name is on PATH. */
function found(file) {
  if (path.isAbsolute(file)) return existsSync(file);
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, file)));
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs a command with inherited output; exits this process when it fails. */
function runOrExit(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    console.error(`bootstrap: ${command} ${args.join(' ')} failed (${why})`);
    process.exit(1);
  }
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function installDebianPackages(target, pacsGiven, seed) {
  const missing = requiredPackages(target, { pacsGiven, seed }).filter(
    (p) => !found(DEBIAN_PACKAGES[p]),
  );
  const plan = aptPlan(missing, {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasAptGet: found('apt-get'),
  });
  if (plan.action === 'none') return;
  if (plan.action === 'refuse') {
    console.error(plan.message);
    process.exit(1);
  }
  const t0 = Date.now();
  console.log(plan.line);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of plan.commands) runOrExit('apt-get', args, env);
  const still = missing.filter((p) => !found(DEBIAN_PACKAGES[p]));
  if (still.length > 0) {
    // Slim images often drop documentation with a dpkg `path-exclude=/usr/share/doc/*`, and with it
    // the example CT that invesalius-examples installs there.
    const doc = still.some((p) => DEBIAN_PACKAGES[p].startsWith('/usr/share/doc/'))
      ? ' (this image may exclude /usr/share/doc: see /etc/dpkg/dpkg.cfg.d/, or start with --no-seed)'
      : '';
    console.error(
      `bootstrap: apt-get succeeded but ${still.map((p) => `${p} (${DEBIAN_PACKAGES[p]})`).join(', ')} ` +
        `still missing${doc}; install them by hand and run again`,
    );
    process.exit(1);
  }
  console.log(`bootstrap: Debian packages installed in ${seconds(t0)}`);
}

function installNpmDependencies() {
  const marker = path.join(repoRoot, 'node_modules', '.package-lock.json');
  const lockFile = path.join(repoRoot, 'package-lock.json');
  const installed = existsSync(marker) ? readJson(marker) : undefined;
  const reason = npmInstallReason(installed, readJson(lockFile) ?? {}, {
    installedMtimeMs: installed ? statSync(marker).mtimeMs : 0,
    lockMtimeMs: statSync(lockFile).mtimeMs,
  });
  if (!reason) return;
  const t0 = Date.now();
  console.log(`bootstrap: installing npm dependencies (npm ci: ${reason})`);
  runOrExit('npm', ['ci', '--no-audit', '--no-fund']);
  console.log(`bootstrap: npm dependencies installed in ${seconds(t0)}`);
}

function fetchViewerOnce() {
  const target = path.join(repoRoot, 'vendor', `ohif-app-${OHIF_VERSION}`);
  if (existsSync(path.join(target, '.complete'))) return;
  const t0 = Date.now();
  console.log(`bootstrap: fetching the OHIF viewer @ohif/app@${OHIF_VERSION} into vendor/`);
  // fetchViewer.ts prints its progress, then the dist path (for scripts): show only the progress.
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join('scripts', 'fetchViewer.ts')],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  const lines = (result.stdout ?? '').split('\n').filter((l) => l.startsWith('viewer: '));
  for (const line of lines) console.log(line);
  if (result.status !== 0) {
    console.error(`bootstrap: fetching the viewer failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  console.log(`bootstrap: viewer fetched in ${seconds(t0)}`);
}

/**
 * Installs what `target` needs; exits the process with a message when it cannot.
 * @param {'test' | 'start'} target
 * @param {{ pacsGiven?: boolean, seed?: boolean }} [options]
 */
export function bootstrap(target, { pacsGiven = false, seed = true } = {}) {
  installDebianPackages(target, pacsGiven, seed);
  installNpmDependencies();
  if (target === 'test') fetchViewerOnce();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (target !== 'test' && target !== 'start') {
    console.error('usage: node scripts/bootstrap.mjs test|start [--pacs URL] [--no-seed]');
    process.exit(2);
  }
  const pacsGiven = process.argv.includes('--pacs') || Boolean(process.env.LANDMARKS_DICOMWEB_URL);
  bootstrap(target, { pacsGiven, seed: !process.argv.includes('--no-seed') });
}
