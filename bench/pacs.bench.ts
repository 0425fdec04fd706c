/**
 * `npm run bench:pacs`: throughput of the PACS path against a fresh local Orthanc (loopback):
 * QIDO + WADO (metadata + frames) + decode of 2D studies, of a 64-slice CBCT volume, landmark SR
 * write + STOW, and in the same run the raw loopback transfer rate (a plain Node HTTP server, and
 * Orthanc's own REST file download) as the ceiling. Prints a markdown table. Not a test.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { generateCbctVolume, generateCephalogram } from '../extension/src/core/synthetic/index.ts';
import { writeLandmarkSr } from '../extension/src/dicom/srWriter.ts';
import { syntheticStudyFiles, type StudyFiles } from '../extension/src/dicom/studyFiles.ts';
import { uidFromSeed } from '../extension/src/dicom/uids.ts';
import { nodeCodecs } from '../extension/src/node/codecs/nodeCodecs.ts';
import { importImages } from '../extension/src/node/pacsImport/importImages.ts';
import { startOrthanc } from '../extension/src/node/orthanc/orthancProcess.ts';
import { createPacsClient } from '../extension/src/pacs/pacsClient.ts';
import { loadSeriesVolume, loadStudyImage } from '../extension/src/pacs/studyLoader.ts';

const STUDIES_2D = 20;
const VOLUME_REPEATS = 3;
const SR_COUNT = 20;
const MB = 1024 * 1024;
const ISBI = join(import.meta.dirname ?? '.', '..', '..', 'shared', 'data', 'isbi2015');
const ISBI_COUNT = 5;

interface Row {
  what: string;
  count: number;
  seconds: number;
  unit: string;
  megabytes: number;
}

async function timed<T>(task: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await task();
  return [value, (performance.now() - start) / 1000];
}

/** Raw loopback: a Node HTTP server sending `size` bytes, fetched `times` times. */
async function rawLoopback(size: number, times: number): Promise<Row> {
  const body = Buffer.alloc(size, 7);
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const [, seconds] = await timed(async () => {
    for (let i = 0; i < times; i++) await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer();
  });
  server.close();
  return {
    what: `raw loopback HTTP (Node server, ${size / MB} MB body)`,
    count: times,
    seconds,
    unit: 'transfers',
    megabytes: (size * times) / MB,
  };
}

/** Real cephalograms (1935 x 2400, 8-bit): import (JPEG decode + DX + SR + STOW) and load back. */
async function isbiRows(client: Awaited<ReturnType<typeof createPacsClient>>): Promise<Row[]> {
  const ids = Array.from({ length: ISBI_COUNT }, (_, i) => String(i + 1).padStart(3, '0'));
  const [results, importSeconds] = await timed(() =>
    importImages({
      imagesDir: join(ISBI, 'images'),
      landmarksCsv: join(ISBI, 'landmarks_mean.csv'),
      ids,
      store: (f, s) => client.store(f, s),
    }),
  );
  const failed = results.filter((r) => r.error);
  if (failed.length)
    throw new Error(`ISBI import failed: ${failed.map((f) => f.error).join('; ')}`);
  const megabytes = (ISBI_COUNT * 1935 * 2400) / MB;
  const [, loadSeconds] = await timed(async () => {
    for (const r of results) await loadStudyImage(client, nodeCodecs(), r.studyUid ?? '');
  });
  return [
    {
      what: 'ISBI import: JPEG decode + DX + manual SR + STOW (1935x2400, 8-bit)',
      count: ISBI_COUNT,
      seconds: importSeconds,
      unit: 'studies',
      megabytes,
    },
    {
      what: 'ISBI QIDO + WADO metadata + frame + decode (4.4 MB each)',
      count: ISBI_COUNT,
      seconds: loadSeconds,
      unit: 'studies',
      megabytes,
    },
  ];
}

async function main(): Promise<void> {
  const orthanc = await startOrthanc();
  const rows: Row[] = [];
  try {
    const client = await createPacsClient({ url: orthanc.dicomWebUrl });
    const studies: StudyFiles[] = [];
    for (let i = 0; i < STUDIES_2D; i++)
      studies.push(syntheticStudyFiles(generateCephalogram({ seed: 100 + i }), false, i + 1));
    const cbct = generateCbctVolume({ seed: 7, depth: 64 });
    const volume = syntheticStudyFiles(cbct, false, 99);
    const bytes2d = studies.reduce((a, s) => a + s.files[0].byteLength, 0);
    const bytes3d = volume.files.reduce((a, f) => a + f.byteLength, 0);
    const [, stow2d] = await timed(async () => {
      for (const s of studies) await client.store(s.files, s.studyUid);
    });
    rows.push({
      what: `STOW-RS 2D studies (${studies[0].files[0].byteLength >> 10} KB each)`,
      count: STUDIES_2D,
      seconds: stow2d,
      unit: 'studies',
      megabytes: bytes2d / MB,
    });
    const [, stow3d] = await timed(() => client.store(volume.files, volume.studyUid));
    rows.push({
      what: `STOW-RS ${cbct.depth}-slice volume, one request`,
      count: 1,
      seconds: stow3d,
      unit: 'volumes',
      megabytes: bytes3d / MB,
    });

    rows.push(await rawLoopback(16 * MB, 10));
    const lookup = await fetch(`${orthanc.url}/tools/lookup`, {
      method: 'POST',
      body: uidFromSeed(`${studies[0].key}/image`),
    });
    const [{ ID: orthancFile }] = (await lookup.json()) as { ID: string }[];
    const [, restSeconds] = await timed(async () => {
      for (let i = 0; i < 10; i++)
        await (await fetch(`${orthanc.url}/instances/${orthancFile}/file`)).arrayBuffer();
    });
    rows.push({
      what: 'raw Orthanc REST file download (2D instance)',
      count: 10,
      seconds: restSeconds,
      unit: 'files',
      megabytes: (10 * studies[0].files[0].byteLength) / MB,
    });

    const codecs = nodeCodecs();
    const [, load2d] = await timed(async () => {
      for (const s of studies) await loadStudyImage(client, codecs, s.studyUid);
    });
    rows.push({
      what: `QIDO + WADO metadata + frame + decode, 2D (cephalogram ${studies[0].files[0].byteLength >> 10} KB)`,
      count: STUDIES_2D,
      seconds: load2d,
      unit: 'studies',
      megabytes: bytes2d / MB,
    });
    const [, load3d] = await timed(async () => {
      for (let i = 0; i < VOLUME_REPEATS; i++)
        await loadSeriesVolume(client, codecs, volume.studyUid, volume.imageSeriesUid);
    });
    rows.push({
      what: `WADO metadata + ${cbct.depth} frames + decode + assembly, volume ${cbct.width}x${cbct.height}x${cbct.depth}`,
      count: VOLUME_REPEATS,
      seconds: load3d,
      unit: 'volumes',
      megabytes: (VOLUME_REPEATS * bytes3d) / MB,
    });

    const base = syntheticStudyFiles(generateCephalogram({ seed: 100 }), true, 1).landmarkSet;
    if (!base) throw new Error('no landmark set');
    const identity = {
      patientId: 'synthetic-cephalogram-ceph-a-100',
      patientName: 'Demo^synthetic-cephalogram-ceph-a-100',
      studyUid: base.studyUid,
      studyDate: '20260101',
    };
    const [srs, writeSeconds] = await timed(async () =>
      Array.from({ length: SR_COUNT }, (_, i) =>
        writeLandmarkSr(base, {
          study: identity,
          seriesUid: uidFromSeed('bench/sr'),
          sopUid: uidFromSeed(`bench/sr/${i}`),
        }),
      ),
    );
    rows.push({
      what: `SR write only (${base.landmarks.length} landmarks)`,
      count: SR_COUNT,
      seconds: writeSeconds,
      unit: 'SRs',
      megabytes: srs.reduce((a, s) => a + s.byteLength, 0) / MB,
    });
    const [, srSeconds] = await timed(async () => {
      for (let i = 0; i < SR_COUNT; i++) {
        const sr = writeLandmarkSr(base, {
          study: identity,
          seriesUid: uidFromSeed('bench/sr2'),
          sopUid: uidFromSeed(`bench/sr2/${i}`),
        });
        await client.store([sr], base.studyUid);
      }
    });
    rows.push({
      what: 'SR write + STOW-RS, one request each',
      count: SR_COUNT,
      seconds: srSeconds,
      unit: 'SRs',
      megabytes: srs.reduce((a, s) => a + s.byteLength, 0) / MB,
    });
    if (existsSync(ISBI)) rows.push(...(await isbiRows(client)));
  } finally {
    await orthanc.stop();
  }
  process.stdout.write(`\nPACS benchmark (Orthanc on loopback, ${new Date().toISOString()})\n\n`);
  process.stdout.write(
    '| operation | n | total s | per second | MB/s |\n| --- | ---: | ---: | ---: | ---: |\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.what} | ${r.count} | ${r.seconds.toFixed(2)} | ${(r.count / r.seconds).toFixed(1)} ${r.unit}/s | ${(r.megabytes / r.seconds).toFixed(1)} |\n`,
    );
  }
}

await main();
