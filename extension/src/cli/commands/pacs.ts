import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Default local PACS (the one `landmarks pacs start` runs). */
const DEFAULT_PORT = 8042;
const DEFAULT_STORAGE = '.orthanc';

interface ConnectionFlags {
  url?: string;
  user?: string;
  password?: string;
  token?: string;
}

function pacsUrl(flags: ConnectionFlags): string {
  return (
    flags.url ?? process.env.LANDMARKS_PACS_URL ?? `http://127.0.0.1:${DEFAULT_PORT}/dicom-web`
  );
}

async function client(flags: ConnectionFlags) {
  const { createPacsClient } = await import('../../pacs/pacsClient.ts');
  const auth = flags.token
    ? { token: flags.token }
    : flags.user
      ? { user: flags.user, password: flags.password ?? '' }
      : undefined;
  return createPacsClient({ url: pacsUrl(flags), auth });
}

function withConnection(command: Command): Command {
  return command
    .option(
      '--url <url>',
      'DICOMweb root (default $LANDMARKS_PACS_URL or http://127.0.0.1:8042/dicom-web)',
    )
    .option('--user <name>', 'basic-auth user')
    .option('--password <password>', 'basic-auth password')
    .option('--token <token>', 'bearer token');
}

function printTable(rows: Record<string, string | number | boolean>[]): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  process.stdout.write(`${line(keys)}\n${line(keys.map(() => '---'))}\n`);
  for (const row of rows) process.stdout.write(`${line(keys.map((k) => String(row[k])))}\n`);
}

function registerStartStop(pacs: Command): void {
  pacs
    .command('start')
    .description('start the local Orthanc + DICOMweb (loopback, project-local storage)')
    .option('--port <n>', 'HTTP port', String(DEFAULT_PORT))
    .option('--storage <dir>', 'storage folder', DEFAULT_STORAGE)
    .option('--user <name>', 'require basic auth with this user')
    .option('--password <password>', 'basic-auth password')
    .action(async (o: { port: string; storage: string; user?: string; password?: string }) => {
      const { startOrthanc, isAlive } = await import('../../node/orthanc/orthancProcess.ts');
      const storage = resolve(o.storage);
      const pidFile = join(storage, 'orthanc.pid');
      if (existsSync(pidFile) && isAlive(Number(readFileSync(pidFile, 'utf8')))) {
        process.stdout.write(
          `Orthanc already running (PID ${readFileSync(pidFile, 'utf8').trim()})\n`,
        );
        return;
      }
      mkdirSync(storage, { recursive: true });
      const auth = o.user ? { user: o.user, password: o.password ?? '' } : undefined;
      const handle = await startOrthanc({
        port: Number(o.port),
        storageDir: storage,
        detached: true,
        auth,
      });
      writeFileSync(pidFile, String(handle.pid));
      process.stdout.write(
        `Orthanc ready: ${handle.dicomWebUrl} (PID ${handle.pid}, storage ${storage})\n`,
      );
    });
  pacs
    .command('stop')
    .description('stop the local Orthanc started by `pacs start` (by PID)')
    .option('--storage <dir>', 'storage folder', DEFAULT_STORAGE)
    .action(async (o: { storage: string }) => {
      const { stopPid } = await import('../../node/orthanc/orthancProcess.ts');
      const pidFile = join(resolve(o.storage), 'orthanc.pid');
      if (!existsSync(pidFile)) {
        process.stdout.write(`Orthanc is not running (no ${pidFile})\n`);
        return;
      }
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await stopPid(pid);
      rmSync(pidFile, { force: true });
      process.stdout.write(`Orthanc (PID ${pid}) stopped\n`);
    });
}

function registerSeed(pacs: Command): void {
  withConnection(pacs.command('seed'))
    .description(
      'store seeded synthetic demo studies (DX cephalograms, CBCT volumes); some with a manual landmark SR',
    )
    .option('--count <n>', 'number of 2D studies', '12')
    .option('--volumes <n>', 'number of 3D (CBCT) studies', '2')
    .option('--labelled <n>', 'how many of each kind get a manual landmark SR', '3')
    .option('--seed <n>', 'first seed', '1')
    .action(
      async (
        o: ConnectionFlags & { count: string; volumes: string; labelled: string; seed: string },
      ) => {
        const { seedDemoStudies } = await import('../../node/pacsImport/seedDemoStudies.ts');
        const pacsClient = await client(o);
        const rows = await seedDemoStudies({
          count2d: Number(o.count),
          count3d: Number(o.volumes),
          labelled: Number(o.labelled),
          seed: Number(o.seed),
          store: (files, studyUid) => pacsClient.store(files, studyUid),
        });
        printTable(
          rows.map((r) => ({
            study: r.key,
            labelled: r.labelled,
            instances: r.instances,
            error: r.error ?? '',
          })),
        );
        if (rows.some((r) => r.error)) process.exitCode = 1;
      },
    );
}

function registerImport(pacs: Command): void {
  withConnection(pacs.command('import'))
    .description(
      'import a dataset in the ISBI 2015 layout (JPEG/PNG folder + landmark CSV) as DX studies + manual SRs',
    )
    .requiredOption('--images <dir>', 'folder of <id>.jpg images')
    .requiredOption('--landmarks <csv>', 'landmark CSV: image,x1,y1,...')
    .option('--labelled <ids.txt>', 'ids of the labelled images (default: all)')
    .option('--ids <file>', 'import only these ids (one a line)')
    .option('--limit <n>', 'import at most n images')
    .option('--spacing <mm>', 'pixel spacing in mm', '0.1')
    .option('--dataset <name>', 'dataset name used in UIDs and descriptions', 'isbi2015')
    .action(
      async (
        o: ConnectionFlags & {
          images: string;
          landmarks: string;
          labelled?: string;
          ids?: string;
          limit?: string;
          spacing: string;
          dataset: string;
        },
      ) => {
        const { importImages } = await import('../../node/pacsImport/importImages.ts');
        const { parseIdList, parseLandmarkTable } =
          await import('../../core/data/landmarkTable.ts');
        const pacsClient = await client(o);
        let ids = o.ids
          ? parseIdList(readFileSync(o.ids, 'utf8'), { source: o.ids })
          : [
              ...parseLandmarkTable(readFileSync(o.landmarks, 'utf8'), {
                source: o.landmarks,
              }).rows.keys(),
            ];
        if (o.limit) ids = ids.slice(0, Number(o.limit));
        const results = await importImages({
          imagesDir: o.images,
          landmarksCsv: o.landmarks,
          labelledIds: o.labelled,
          ids,
          spacingMm: Number(o.spacing),
          dataset: o.dataset,
          store: (files, studyUid) => pacsClient.store(files, studyUid),
          onProgress: (done, total) => process.stderr.write(`\rimported ${done}/${total}`),
        });
        process.stderr.write('\n');
        const failed = results.filter((r) => r.error);
        process.stdout.write(
          `${results.length - failed.length} studies imported (${results.filter((r) => r.labelled && !r.error).length} with a manual SR), ${failed.length} failed\n`,
        );
        printTable(failed.map((r) => ({ image: r.id, error: r.error ?? '' })));
        if (failed.length) process.exitCode = 1;
      },
    );
}

function registerList(pacs: Command): void {
  withConnection(pacs.command('list'))
    .description('list studies (QIDO-RS) with their landmark SR status')
    .option('--patient <id>', 'PatientID (wildcards allowed)')
    .option('--modality <m>', 'modality in study, e.g. DX or CT')
    .option('--date <range>', 'StudyDate, YYYYMMDD or YYYYMMDD-YYYYMMDD')
    .option('--text <text>', 'text in the study description')
    .option('--limit <n>', 'at most n studies', '100')
    .action(
      async (
        o: ConnectionFlags & {
          patient?: string;
          modality?: string;
          date?: string;
          text?: string;
          limit: string;
        },
      ) => {
        const { studyCatalog } = await import('../../pacs/studyCatalog.ts');
        const pacsClient = await client(o);
        const catalog = await studyCatalog(pacsClient, {
          patientId: o.patient,
          modality: o.modality,
          studyDate: o.date,
          text: o.text,
          limit: Number(o.limit),
        });
        const rows = catalog.map(({ study: s, studyUid, annotated, currentSrs }) => ({
          patient: String(s.PatientID ?? ''),
          description: String(s.StudyDescription ?? ''),
          modalities: [s.ModalitiesInStudy ?? []].flat().join('/'),
          instances: Number(s.NumberOfStudyRelatedInstances ?? 0),
          annotated,
          landmarkSrs: currentSrs.length,
          study: studyUid,
        }));
        printTable(rows);
        process.stdout.write(
          `${rows.length} studies, ${rows.filter((r) => r.annotated).length} annotated\n`,
        );
      },
    );
}

function registerFlush(pacs: Command): void {
  withConnection(pacs.command('flush'))
    .description('send the results waiting in the disk queue (kept while the PACS was down)')
    .option('--queue <dir>', 'queue folder', '.cache/pacs-queue')
    .option('--wait <seconds>', 'keep retrying this long', '30')
    .action(async (o: ConnectionFlags & { queue: string; wait: string }) => {
      const { nodeResultQueue } = await import('../../node/resultQueue/nodeResultQueue.ts');
      const queue = nodeResultQueue(await client(o), o.queue);
      const report = await queue.drain(Date.now() + Number(o.wait) * 1000);
      process.stdout.write(
        `${report.stored.length} stored, ${report.pending.length} still waiting, ${report.failed.length} refused by the PACS\n`,
      );
      if (report.pending.length || report.failed.length) process.exitCode = 1;
    });
}

/** Registers `landmarks pacs start|stop|seed|import|list|flush`. */
export function registerPacsCommands(program: Command): void {
  const pacs = program
    .command('pacs')
    .description('local PACS (Orthanc + DICOMweb): start, stop, seed, import, list, flush');
  registerStartStop(pacs);
  registerSeed(pacs);
  registerImport(pacs);
  registerList(pacs);
  registerFlush(pacs);
}
