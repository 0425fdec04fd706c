/**
 * Fetches the published, prebuilt OHIF viewer (`@ohif/app`) with `npm pack` and unpacks its `dist/`
 * into `vendor/ohif-app-<version>/dist`. Idempotent: a finished unpack is marked with `.complete`
 * and reused. The viewer is never committed (vendor/ is gitignored).
 *
 * Why `npm pack` and not `npm install`: @ohif/app@3.13.2 cannot be installed (ETARGET on its
 * own @ohif/i18n), and its tarball is only the built app (see ../shared/notes/ohif-runtime-plugins.md).
 *
 * Usage: node --import tsx scripts/fetchViewer.ts [--version 3.13.2]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OHIF_VERSION } from './bootstrap.mjs';

const run = promisify(execFile);

/** The OHIF release the extension and mode are built and tested against (kept in bootstrap.mjs). */
export { OHIF_VERSION };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Makes sure the viewer's dist folder exists; returns the absolute path of `dist/` (has index.html). */
export async function fetchViewer({
  version = OHIF_VERSION,
  log = console.log,
}: { version?: string; log?: (line: string) => void } = {}): Promise<string> {
  const target = path.join(repoRoot, 'vendor', `ohif-app-${version}`);
  const dist = path.join(target, 'dist');
  if (existsSync(path.join(target, '.complete')) && existsSync(path.join(dist, 'index.html'))) {
    return dist;
  }
  const work = `${target}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    log(`viewer: npm pack @ohif/app@${version} (about 50 MB, once)`);
    await run('npm', ['pack', `@ohif/app@${version}`, '--silent', '--pack-destination', work], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack @ohif/app@${version} produced no tarball in ${work}`);
    log(`viewer: unpacking ${tgz}`);
    await run('tar', ['-xzf', tgz, '--strip-components=1', 'package/dist'], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    rmSync(path.join(work, tgz));
    if (!existsSync(path.join(work, 'dist', 'index.html'))) {
      throw new Error(`@ohif/app@${version} tarball has no dist/index.html`);
    }
    writeFileSync(path.join(work, '.complete'), `${version}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(work, target);
    return dist;
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--version');
  const version = i > 0 ? process.argv[i + 1] : OHIF_VERSION;
  fetchViewer({ version }).then(
    (dist) => console.log(dist),
    (err: unknown) => {
      console.error(`fetchViewer: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
