/**
 * The ISBI table in resumable pieces: one piece = one labelled count × one seed (all methods, sharing
 * their pre-training), cached as JSON under bench/results/ with the commit and the command that made it.
 * The table is printed from those files, mean ± SD over the seeds, so a run can be stopped and resumed
 * across days, and two pieces can run side by side (one per core).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What a piece keeps of a row (the Test1 predictions stay in the cache, not in the repository). */
export interface PieceRow {
  labelled: number;
  method: string;
  note?: string;
  mreMm?: number;
  sdMm?: number;
  sdr?: number[];
  cpuMin?: number;
  sharedPretrainCpuMin?: number;
  mapStats?: { medianSpreadMm: number; medianConfidence: number; medianMaximumErrorMm: number };
  /** Wall-clock ms per training step of this row's own stages (bench:cbct). */
  stepMs?: number;
  /** The same points after the product's robust shape review (bench:isbi). */
  reviewed?: { mreMm?: number; sdMm?: number; sdr: number[] };
}

export interface Piece {
  /** Settings that change the result: pieces are only averaged with pieces of the same key. */
  key: string;
  labelled: number;
  seed: number;
  commit: string;
  command: string;
  date: string;
  rows: PieceRow[];
}

/** `bench` names the benchmark: the file prefix and the npm script of the cached command. */
export function pieceFile(
  dir: string,
  key: string,
  labelled: number,
  seed: number,
  bench = 'isbi',
): string {
  return path.join(dir, `${bench}-${key}-l${labelled}-seed${seed}.json`);
}

function currentCommit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${hash}+dirty` : hash;
  } catch {
    return 'unknown';
  }
}

/** The code a run measures is the code at its start: later commits must not be credited with it. */
const COMMIT_AT_START = currentCommit();

export function savePiece(
  dir: string,
  key: string,
  labelled: number,
  seed: number,
  rows: PieceRow[],
  bench = 'isbi',
): string {
  mkdirSync(dir, { recursive: true });
  const piece: Piece = {
    key,
    labelled,
    seed,
    commit: COMMIT_AT_START,
    command: `npm run bench:${bench} -- ${process.argv.slice(2).join(' ')}`,
    date: new Date().toISOString(),
    rows: rows.map(
      ({
        labelled: l,
        method,
        note,
        mreMm,
        sdMm,
        sdr,
        cpuMin,
        sharedPretrainCpuMin,
        mapStats,
        stepMs,
        reviewed,
      }) => ({
        labelled: l,
        method,
        ...(note ? { note } : {}),
        ...(mreMm !== undefined ? { mreMm, sdMm, sdr, cpuMin, sharedPretrainCpuMin } : {}),
        ...(mapStats
          ? {
              mapStats: {
                medianSpreadMm: mapStats.medianSpreadMm,
                medianConfidence: mapStats.medianConfidence,
                medianMaximumErrorMm: mapStats.medianMaximumErrorMm,
              },
            }
          : {}),
        ...(stepMs !== undefined ? { stepMs } : {}),
        ...(reviewed ? { reviewed } : {}),
      }),
    ),
  };
  const file = pieceFile(dir, key, labelled, seed, bench);
  writeFileSync(file, `${JSON.stringify(piece, null, 2)}\n`);
  return file;
}

export function loadPieces(dir: string, key: string, bench = 'isbi'): Piece[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${bench}-${key}-l`) && f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Piece)
    .filter((p) => p.key === key);
}

const meanSd = (values: number[]) => {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd =
    values.length > 1
      ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
      : Number.NaN;
  return { mean, sd };
};

/** Mean ± SD over seeds for each labelled count and method, as a markdown table. */
export function formatPieceTable(pieces: Piece[], methods: readonly string[]): string[] {
  const lines = [
    '| labelled | method | seeds | MRE (mm) | SD (mm) | SDR 2 mm | SDR 2.5 mm | SDR 3 mm | SDR 4 mm | reviewed MRE (mm) | reviewed SDR 2 mm | map spread (mm) | map maximum from truth (mm) | commits |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const fmt = (values: number[], scale = 1, digits = 2) => {
    const { mean, sd } = meanSd(values.map((v) => v * scale));
    return Number.isNaN(sd)
      ? mean.toFixed(digits)
      : `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}`;
  };
  const counts = [...new Set(pieces.map((p) => p.labelled))].sort((a, b) => a - b);
  for (const k of counts)
    for (const method of methods) {
      const rows = pieces
        .filter((p) => p.labelled === k)
        .flatMap((p) =>
          p.rows.filter((r) => r.method === method && r.mreMm !== undefined).map((r) => ({ r, p })),
        );
      if (rows.length === 0) continue;
      const sdr = (i: number) =>
        fmt(
          rows.map(({ r }) => r.sdr![i]!),
          100,
          1,
        );
      const maps = rows.filter(({ r }) => r.mapStats);
      const reviewed = rows.filter(({ r }) => r.reviewed?.mreMm !== undefined);
      const reviewedCells = reviewed.length
        ? `${fmt(reviewed.map(({ r }) => r.reviewed!.mreMm!))} | ${fmt(
            reviewed.map(({ r }) => r.reviewed!.sdr[0]!),
            100,
            1,
          )} %`
        : '– | –';
      lines.push(
        `| ${k} | ${method} | ${rows.map(({ p }) => p.seed).join(', ')} | ${fmt(rows.map(({ r }) => r.mreMm!))} | ${fmt(rows.map(({ r }) => r.sdMm!))} | ${sdr(0)} % | ${sdr(1)} % | ${sdr(2)} % | ${sdr(3)} % | ${reviewedCells} | ${maps.length ? fmt(maps.map(({ r }) => r.mapStats!.medianSpreadMm)) : '–'} | ${maps.length ? fmt(maps.map(({ r }) => r.mapStats!.medianMaximumErrorMm)) : '–'} | ${[...new Set(rows.map(({ p }) => p.commit))].join(', ')} |`,
      );
    }
  return lines;
}
