/**
 * What `npm start` runs once dependencies are installed: fetch the viewer, build our plugins, start a
 * local Orthanc (storage in .orthanc/demo, kept between runs), seed demo studies when the PACS is empty,
 * serve everything on one origin and print the URL. Ctrl-C (SIGINT/SIGTERM) stops what it started.
 *
 * Options (flags or environment):
 *   --port N / PORT                      viewer port (default 3000)
 *   --pacs URL / LANDMARKS_DICOMWEB_URL  use this DICOMweb server instead of starting Orthanc
 *   LANDMARKS_PACS_AUTHORIZATION         Authorization header for that server (e.g. "Basic …")
 *   --no-seed                            do not add demo studies
 *   --isbi DIR                           also import the ISBI 2015 cephalograms of DIR (images/,
 *                                        landmarks_mean.csv; ids in DIR/train.txt get a manual SR,
 *                                        the others are unannotated); studies already stored are skipped
 *   --isbi-limit N                       import at most N of them, labelled and unlabelled alternating
 *   --isbi-labelled FILE                 ids of the labelled images (default DIR/train.txt)
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startOrthanc, type OrthancHandle } from '../extension/src/node/orthanc/orthancProcess.ts';
import { fetchViewer } from './fetchViewer.ts';
import { importIsbiDir } from '../extension/src/node/pacsImport/importIsbiDir.ts';
import { seedDemoStudies } from '../extension/src/node/pacsImport/seedDemoStudies.ts';
import { stow } from './serveDemoStudies.ts';
import { startServer } from './serve.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Adds the demo studies when the PACS has none. */
async function seedIfEmpty(dicomWebUrl: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${dicomWebUrl}/studies?limit=1`, { headers });
  const found = res.status === 200 ? ((await res.json()) as unknown[]) : [];
  if (found.length > 0) return 0;
  // Synthetic cephalograms (half with a manual landmark SR, so there is something to train on) and
  // CBCT volumes from core/synthetic; a study that fails is reported and the others go on.
  const results = await seedDemoStudies({
    count2d: 12,
    count3d: 2,
    labelled: 6,
    seed: 1,
    store: (files) => stow(dicomWebUrl, files, headers),
  });
  for (const r of results.filter((x) => x.error))
    console.warn(`    demo study ${r.key}: ${r.error}`);
  return results.filter((x) => !x.error).length;
}

/** Imports the ISBI folder given with --isbi (nothing without it); returns the log line. */
async function importIsbi(dicomWebUrl: string, headers: Record<string, string>): Promise<string> {
  const dir = flag('--isbi');
  if (!dir) return '';
  const limitFlag = flag('--isbi-limit');
  const limit = limitFlag === undefined ? undefined : Number(limitFlag);
  const exists = async (studyUid: string) => {
    const res = await fetch(`${dicomWebUrl}/studies?StudyInstanceUID=${studyUid}`, { headers });
    return res.status === 200 && ((await res.json()) as unknown[]).length > 0;
  };
  let last = 0;
  const results = await importIsbiDir({
    dir: path.resolve(dir),
    limit,
    labelledIds: flag('--isbi-labelled'),
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
    `    ISBI: imported ${sent.length} cephalograms (${labelled} with a manual SR, ` +
    `${sent.length - labelled} unannotated), ${skipped} already in the PACS`
  );
}

/** Starts everything; resolves with a stop function once the URL is printed. */
export async function startAll(
  log: (line: string) => void = console.log,
): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    log('1/4 viewer: @ohif/app (cached in vendor/)');
    const viewerDist = await fetchViewer({ log });
    log('2/4 plugins: webpack build');
    await run(
      process.execPath,
      [path.join(repoRoot, 'node_modules/webpack-cli/bin/cli.js'), '--mode', 'production'],
      {
        cwd: repoRoot,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    let dicomWebUrl = flag('--pacs') ?? process.env.LANDMARKS_DICOMWEB_URL;
    let headers: Record<string, string> = {};
    if (process.env.LANDMARKS_PACS_AUTHORIZATION) {
      headers = { Authorization: process.env.LANDMARKS_PACS_AUTHORIZATION };
    }
    if (!dicomWebUrl) {
      log('3/4 PACS: starting Orthanc (storage .orthanc/demo)');
      const pacs: OrthancHandle = await startOrthanc({
        storageDir: path.join(repoRoot, '.orthanc', 'demo'),
      });
      stops.push(() => pacs.stop());
      dicomWebUrl = pacs.dicomWebUrl;
      headers = pacs.headers;
    } else {
      log(`3/4 PACS: using ${dicomWebUrl}`);
    }
    if (!process.argv.includes('--no-seed')) {
      const added = await seedIfEmpty(dicomWebUrl, headers);
      log(added ? `    seeded ${added} demo studies` : '    PACS already has studies, not seeding');
    }
    const isbi = await importIsbi(dicomWebUrl, headers);
    if (isbi) log(isbi);
    const server = await startServer({
      dicomWebUrl,
      viewerDist,
      port: Number(flag('--port') ?? process.env.PORT ?? 3000),
      authorization: headers.Authorization,
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
