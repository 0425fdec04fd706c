/**
 * What `npm start` runs once dependencies are installed: check the port and the PACS, start a local
 * Orthanc (storage in .orthanc/demo, kept between runs, restarted when it dies) and seed demo studies
 * when the PACS is empty (and the real head CT of invesalius-examples when missing), fetch the viewer,
 * build our plugins, serve everything on one origin and print the URL. Ctrl-C (SIGINT/SIGTERM) stops
 * what it started. See docs/startup.md.
 *
 * Options (flags or environment):
 *   --port N / PORT                      viewer port (default 3000)
 *   --pacs URL / LANDMARKS_DICOMWEB_URL  use this DICOMweb server instead of starting Orthanc
 *   LANDMARKS_PACS_AUTHORIZATION         Authorization header for that server (e.g. "Basic …")
 *   --storage DIR / LANDMARKS_PACS_STORAGE  local Orthanc storage (default .orthanc/demo)
 *   --reuse-pacs / LANDMARKS_REUSE_PACS=1   use the Orthanc already running on that storage
 *   --no-seed                            do not add demo studies (nor the head CT)
 *   --isbi DIR                           also import the ISBI 2015 cephalograms of DIR (images/,
 *                                        landmarks_mean.csv; ids in DIR/train.txt get a manual SR,
 *                                        the others are unannotated); studies already stored are skipped
 *   --isbi-limit N                       import at most N of them, labelled and unlabelled alternating
 *   --isbi-labelled FILE                 ids of the labelled images (default DIR/train.txt)
 *   --no-isbi                            without --isbi, the local demo imports 4 real ISBI images from
 *                                        ../shared/data/isbi2015 when it exists; this turns that off
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fetchViewer, OHIF_VERSION } from './fetchViewer.ts';
import { importIsbiDir } from '../extension/src/node/pacsImport/importIsbiDir.ts';
import { storeHeadCt } from '../extension/src/node/pacsImport/invesaliusCt.ts';
import {
  NPM_START_SEED,
  seedDemoStudies,
} from '../extension/src/node/pacsImport/seedDemoStudies.ts';
import { OrthancStartError } from '../extension/src/node/orthanc/orthancProcess.ts';
import { findStorageUser } from '../extension/src/node/orthanc/storageUser.ts';
import { watchOrthanc } from './orthancWatchdog.ts';
import { stow } from './serveDemoStudies.ts';
import { SHIPPED_MODELS } from './builtinModels.ts';
import { startServer } from './serve.ts';
import {
  checkDicomWebRoot,
  checkPortFree,
  checkStorage,
  runChecks,
  shownPath,
  StartupError,
  storageBusyMessage,
  type StorageCheck,
} from './startupChecks.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What `npm start` was asked for; flags win over the environment. */
export interface StartOptions {
  /** Viewer port on 127.0.0.1 (NaN when PORT/--port is not a number; the checks say so). */
  port: number;
  /** DICOMweb root of another PACS; undefined: start the local Orthanc. */
  pacsUrl?: string;
  /** Authorization header for `pacsUrl`. */
  authorization?: string;
  /** Local Orthanc storage folder (absolute). */
  storageDir: string;
  /** Use an Orthanc already running on `storageDir` instead of refusing to start. */
  reusePacs: boolean;
  seed: boolean;
  isbi?: { dir: string; limit?: number; labelled?: string };
}

/** Where the ISBI 2015 cephalograms are when this checkout sits beside `shared/` (developers' layout). */
export const SHARED_ISBI_DIR = path.join(repoRoot, '..', 'shared', 'data', 'isbi2015');

/**
 * Real cephalograms the local demo imports by itself when {@link SHARED_ISBI_DIR} exists: 2 training
 * images with their labels and 2 Test1 images to pseudo-label. The built-in model was trained on real
 * radiographs; on the generator's synthetic cephalograms its points are off the anatomy, so without
 * these a first run shows the model only where it cannot work.
 */
export const DEMO_ISBI_LIMIT = 4;

/**
 * Reads {@link StartOptions} from the command line and the environment. `sharedIsbiDir`: the ISBI
 * folder imported ({@link DEMO_ISBI_LIMIT} images) into the local demo PACS when it exists and no
 * `--isbi`, `--pacs`, `--no-seed` or `--no-isbi` says otherwise.
 */
export function startOptions(
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
  sharedIsbiDir: string = SHARED_ISBI_DIR,
): StartOptions {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i > 0 ? argv[i + 1] : undefined;
  };
  const pacsUrl = flag('--pacs') ?? (env.LANDMARKS_DICOMWEB_URL || undefined);
  const seed = !argv.includes('--no-seed');
  const demoIsbi =
    seed &&
    !pacsUrl &&
    !argv.includes('--no-isbi') &&
    existsSync(path.join(sharedIsbiDir, 'images'));
  const isbiDir = flag('--isbi') ?? (demoIsbi ? sharedIsbiDir : undefined);
  const limit = flag('--isbi-limit') ?? (flag('--isbi') ? undefined : String(DEMO_ISBI_LIMIT));
  return {
    port: Number(flag('--port') ?? (env.PORT || 3000)),
    pacsUrl,
    authorization: env.LANDMARKS_PACS_AUTHORIZATION || undefined,
    storageDir: path.resolve(
      flag('--storage') ?? (env.LANDMARKS_PACS_STORAGE || path.join(repoRoot, '.orthanc', 'demo')),
    ),
    reusePacs: argv.includes('--reuse-pacs') || env.LANDMARKS_REUSE_PACS === '1',
    seed,
    isbi: isbiDir
      ? {
          dir: path.resolve(isbiDir),
          limit: limit === undefined ? undefined : Number(limit),
          labelled: flag('--isbi-labelled'),
        }
      : undefined,
  };
}

/**
 * The checks before anything starts or builds: the viewer port is free, and either the `--pacs` URL
 * answers QIDO-RS as a DICOMweb root or the local storage is free (or reusable with --reuse-pacs).
 * Throws one StartupError listing every problem; writes nothing.
 */
export async function checkStart(options: StartOptions): Promise<StorageCheck | undefined> {
  const headers: Record<string, string> = options.authorization
    ? { Authorization: options.authorization }
    : {};
  const pacsUrl = options.pacsUrl;
  const [, storage] = await runChecks([
    () => checkPortFree(options.port),
    pacsUrl
      ? () => checkDicomWebRoot(pacsUrl, headers)
      : () => checkStorage(options.storageDir, options.reusePacs),
  ]);
  return pacsUrl ? undefined : (storage as StorageCheck);
}

/** True when QIDO finds the study in the PACS. */
async function studyExists(
  dicomWebUrl: string,
  headers: Record<string, string>,
  studyUid: string,
): Promise<boolean> {
  const res = await fetch(`${dicomWebUrl}/studies?StudyInstanceUID=${studyUid}`, { headers });
  return res.status === 200 && ((await res.json()) as unknown[]).length > 0;
}

/**
 * Adds the demo studies: the synthetic ones when the PACS has no study, and the real head CT
 * (invesalius-examples) when it is not there yet, in the local PACS or an empty one. Returns the log
 * lines.
 */
export async function seedDemo(
  dicomWebUrl: string,
  headers: Record<string, string>,
  local: boolean,
  inv3Path?: string,
): Promise<string[]> {
  const t0 = Date.now();
  const res = await fetch(`${dicomWebUrl}/studies?limit=1`, { headers });
  const empty = res.status !== 200 || ((await res.json()) as unknown[]).length === 0;
  const lines: string[] = [];
  const store = (files: ArrayBuffer[]) => stow(dicomWebUrl, files, headers);
  if (empty) {
    // Synthetic cephalograms (half with a manual landmark SR, so there is something to train on) and
    // CBCT volumes (3 with a manual 3D SR, 2 to pseudo-label) from core/synthetic; a study that fails
    // is reported and the others go on.
    const results = await seedDemoStudies({ ...NPM_START_SEED, store });
    for (const r of results.filter((x) => x.error))
      lines.push(`    demo study ${r.key}: ${r.error}`);
    const ok = results.filter((x) => !x.error).length;
    lines.push(
      `    seeded ${ok} synthetic demo studies in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } else {
    lines.push('    PACS already has studies, not seeding the synthetic ones');
  }
  if (!empty && !local) return lines;
  const ct = await storeHeadCt({
    store,
    exists: (uid) => studyExists(dicomWebUrl, headers, uid),
    path: inv3Path,
  }).catch((error: Error) => ({ status: 'failed' as const, message: error.message }));
  if (ct.status === 'stored') {
    lines.push(
      `    head CT (invesalius-examples): ${ct.instances} slices stored in ${(ct.ms / 1000).toFixed(1)} s`,
    );
  } else if (ct.status === 'no-file') {
    lines.push(`    head CT: ${ct.path} missing (Debian package invesalius-examples), not stored`);
  } else if (ct.status === 'failed') {
    lines.push(`    head CT (invesalius-examples) not stored: ${ct.message}`);
  }
  return lines;
}

/** Imports the ISBI folder given with --isbi (nothing without it); returns the log line. */
async function importIsbi(
  isbi: StartOptions['isbi'],
  dicomWebUrl: string,
  headers: Record<string, string>,
): Promise<string> {
  if (!isbi) return '';
  const exists = (studyUid: string) => studyExists(dicomWebUrl, headers, studyUid);
  let last = 0;
  const results = await importIsbiDir({
    dir: isbi.dir,
    limit: isbi.limit,
    labelledIds: isbi.labelled,
    store: (files) => stow(dicomWebUrl, files, headers),
    exists,
    onProgress: (done, total) => {
      if (done === total || done - last >= 10) {
        last = done;
        console.log(`    ISBI ${done}/${total}`);
      }
    },
  });
  for (const r of results.filter((x) => x.error)) console.warn(`    ISBI ${r.id}: ${r.error}`);
  const sent = results.filter((r) => !r.error && !r.skipped);
  const labelled = sent.filter((r) => r.labelled).length;
  const skipped = results.filter((r) => r.skipped).length;
  return (
    `    ISBI 2015 (${shownPath(isbi.dir)}): imported ${sent.length} real cephalograms (${labelled} with a manual SR, ` +
    `${sent.length - labelled} unannotated), ${skipped} already in the PACS`
  );
}

/** Starts the local Orthanc (watched), reuses the running one, or uses `--pacs`; logs which. */
async function startPacs(
  options: StartOptions,
  storage: StorageCheck | undefined,
  log: (line: string) => void,
): Promise<{ dicomWebUrl: string; headers: Record<string, string>; stop?: () => Promise<void> }> {
  const shown = shownPath(options.storageDir);
  if (options.pacsUrl) {
    log(`1/4 PACS: using ${options.pacsUrl} (answers QIDO-RS)`);
    const headers: Record<string, string> = options.authorization
      ? { Authorization: options.authorization }
      : {};
    return { dicomWebUrl: options.pacsUrl, headers };
  }
  if (storage?.busy && storage.user.url) {
    log(
      `1/4 PACS: reusing the Orthanc running on ${shown} at ${storage.user.url} ` +
        `(PID ${storage.user.pid}; not watched, and left running on exit)`,
    );
    return { dicomWebUrl: `${storage.user.url}/dicom-web`, headers: {} };
  }
  log(`1/4 PACS: starting Orthanc (storage ${shown})`);
  const pacs = await watchOrthanc({ storageDir: options.storageDir, log }).catch((error) => {
    // Another start took the storage between the check and now: say the same as the check.
    const user = error instanceof OrthancStartError && error.reason === 'storage-busy';
    const holder = user ? (error.storageUser ?? findStorageUser(options.storageDir)) : undefined;
    throw holder ? new StartupError(storageBusyMessage(options.storageDir, holder)) : error;
  });
  log(`    Orthanc ready at ${pacs.url} (PID ${pacs.pid}, log ${shown}/orthanc.log)`);
  return { dicomWebUrl: pacs.dicomWebUrl, headers: pacs.headers, stop: () => pacs.stop() };
}

/** Starts everything; resolves with a stop function once the URL is printed. */
export async function startAll(
  log: (line: string) => void = console.log,
  options: StartOptions = startOptions(),
): Promise<() => Promise<void>> {
  const storage = await checkStart(options);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const pacs = await startPacs(options, storage, log);
    if (pacs.stop) stops.push(pacs.stop);
    const { dicomWebUrl, headers } = pacs;
    if (options.seed) {
      for (const line of await seedDemo(dicomWebUrl, headers, !options.pacsUrl)) log(line);
    }
    const isbi = await importIsbi(options.isbi, dicomWebUrl, headers);
    if (isbi) log(isbi);
    log(`2/4 viewer: @ohif/app@${OHIF_VERSION} (fetched once into vendor/)`);
    const viewerDist = await fetchViewer({ log });
    log('3/4 plugins: webpack build');
    await run(
      process.execPath,
      [path.join(repoRoot, 'node_modules/webpack-cli/bin/cli.js'), '--mode', 'production'],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    const server = await startServer({
      dicomWebUrl,
      viewerDist,
      port: options.port,
      authorization: headers.Authorization,
      builtinModels: SHIPPED_MODELS,
      log,
    });
    stops.push(() => server.close());
    log(`4/4 viewer ready: ${server.url}   (Ctrl-C stops the viewer and the PACS)`);
    return stopAll;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
