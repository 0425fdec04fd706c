// Issue 15: `npm test` and `npm start` install what is missing before anything needs it. The apt
// path cannot be exercised on a shared machine (its Debian packages are in use), so its decisions are
// tested here as pure functions; the npm path is checked against this checkout's real lockfiles.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aptPlan,
  npmInstallReason,
  requiredPackages,
  type Lockfile,
} from '../../../scripts/bootstrap.mjs';

const repoRoot = join(import.meta.dirname, '../../..');

describe('Debian packages', () => {
  it('npm test needs all six; npm start Orthanc and the demo head CT, no CT with --no-seed, nothing with --pacs', () => {
    expect(requiredPackages('test')).toEqual([
      'orthanc',
      'orthanc-dicomweb',
      'dcmtk',
      'dicom3tools',
      'chromium',
      'invesalius-examples',
    ]);
    expect(requiredPackages('start')).toEqual([
      'orthanc',
      'orthanc-dicomweb',
      'invesalius-examples',
    ]);
    expect(requiredPackages('start', { seed: false })).toEqual(['orthanc', 'orthanc-dicomweb']);
    expect(requiredPackages('start', { pacsGiven: true })).toEqual([]);
  });

  it('says in its one line that invesalius-examples is the demo head CT, skipped with --no-seed', () => {
    const plan = aptPlan(['orthanc', 'invesalius-examples'], { isRoot: true, hasAptGet: true });
    expect(plan.action === 'install' && plan.line).toBe(
      'bootstrap: installing Debian packages orthanc invesalius-examples (apt-get, about a minute; ' +
        'invesalius-examples: a real head CT (GPL-2) for the demo studies, not needed with --no-seed)',
    );
  });

  it('as root: apt-get update, then one install of what is missing, announced in one line', () => {
    const plan = aptPlan(['orthanc', 'chromium'], { isRoot: true, hasAptGet: true });
    expect(plan).toEqual({
      action: 'install',
      line: 'bootstrap: installing Debian packages orthanc chromium (apt-get, about a minute)',
      commands: [
        ['update', '-q'],
        ['install', '-y', '-q', '--no-install-recommends', 'orthanc', 'chromium'],
      ],
    });
  });

  it('not root: refuses with the exact command to run', () => {
    const plan = aptPlan(['dcmtk'], { isRoot: false, hasAptGet: true });
    expect(plan.action).toBe('refuse');
    expect(plan.action === 'refuse' && plan.message).toContain(
      'sudo apt-get update && sudo apt-get install -y -q --no-install-recommends dcmtk',
    );
  });

  it('without apt-get: names what is missing', () => {
    const plan = aptPlan(['orthanc'], { isRoot: true, hasAptGet: false });
    expect(plan.action === 'refuse' && plan.message).toContain('missing system packages: orthanc');
  });

  it('nothing missing: nothing to do', () => {
    expect(aptPlan([], { isRoot: false, hasAptGet: false })).toEqual({ action: 'none' });
  });
});

describe('npm dependencies', () => {
  const lock: Lockfile = {
    packages: {
      '': { version: '0.1.0' },
      'node_modules/a': { version: '1.0.0' },
      'node_modules/@esbuild/aix-ppc64': { version: '0.28.2', optional: true },
    },
  };
  const installed: Lockfile = { packages: { 'node_modules/a': { version: '1.0.0' } } };

  it('installs when node_modules is missing', () => {
    const times = { installedMtimeMs: 0, lockMtimeMs: 1 };
    expect(npmInstallReason(undefined, lock, times)).toBe('node_modules is missing');
  });

  it('does not reinstall for a newer lockfile with the same packages (a checkout touching it)', () => {
    expect(npmInstallReason(installed, lock, { installedMtimeMs: 1, lockMtimeMs: 2 })).toBe(
      undefined,
    );
  });

  it('reinstalls when the newer lockfile names another version', () => {
    const changed = { packages: { ...lock.packages, 'node_modules/a': { version: '2.0.0' } } };
    expect(npmInstallReason(installed, changed, { installedMtimeMs: 1, lockMtimeMs: 2 })).toBe(
      'package-lock.json changed (a 2.0.0)',
    );
  });

  it('finds this checkout installed', () => {
    const marker = join(repoRoot, 'node_modules', '.package-lock.json');
    const lockFile = join(repoRoot, 'package-lock.json');
    const reason = npmInstallReason(
      JSON.parse(readFileSync(marker, 'utf8')) as Lockfile,
      JSON.parse(readFileSync(lockFile, 'utf8')) as Lockfile,
      { installedMtimeMs: statSync(marker).mtimeMs, lockMtimeMs: Date.now() },
    );
    expect(reason).toBe(undefined);
  });
});
