/**
 * `landmarks train | predict | refine | evaluate`: the learning half of the method (paper §3.2–3.3, §4).
 * Thin: files in, core training / inference / metrics, files and tables out; progress bars with ETA;
 * Ctrl-C during training saves a resumable state in the output folder (`--resume` continues it).
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatLandmarkTable, parseIdList, selectRows } from '../../core/data/landmarkTable.ts';
import { evaluateLandmarks, formatMetricsTable } from '../../core/metrics/index.ts';
import { METHODS } from '../../core/selfTraining/types.ts';
import type { OffsetDistribution } from '../../core/refinement/offsetDistribution.ts';
import { positiveNumber } from '../io/parseNumbers.ts';
import { readLandmarks, readText } from '../io/readInputs.ts';
import { listImages } from '../../node/imageFolder.ts';
import { folderKind, listVolumes } from '../../node/volumeFolder.ts';
import runTraining, { type TrainCommandOptions } from '../../node/runTraining.ts';
import predictFolder from '../../node/predictFolder.ts';
import { formatReviewReport } from '../io/reviewReport.ts';
import setupNodeBackend, { NODE_BACKENDS, type NodeBackend } from '../../node/nodeBackend.ts';
import runRefineCommand, { type RefineCommandOptions } from '../../node/refinerCommand.ts';
import { registerModelCommands } from './model.ts';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

function readIds(file: string | undefined): string[] | undefined {
  return file === undefined ? undefined : parseIdList(readText(file, 'id list'), { source: file });
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new Error(`cannot write "${path}" (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

const backendOption = () =>
  new Option(
    '--backend <name>',
    'TensorFlow.js backend (webgpu: the optional package `webgpu`, a GPU or SwiftShader; falls back to wasm)',
  )
    .choices([...NODE_BACKENDS])
    .default('wasm');
const threadsOption = () =>
  new Option('--threads <n>', 'wasm threads (2 or more: the threaded-SIMD build)')
    .argParser(positiveInteger)
    .default(1);

function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a landmark network (pre-train → shape-regulated self-training → fine-tune)')
    .requiredOption(
      '--images <dir>',
      'folder of <id>.jpg|.png|.dcm, or of <id>/ folders of DICOM slices (one CT/CBCT series each)',
    )
    .requiredOption('--landmarks <csv>', 'landmark table image,x1,y1,... in pixels')
    .requiredOption('--labelled <ids.txt>', 'ids of labelled training images')
    .option('--unlabelled <ids.txt>', 'ids of unlabelled training images')
    .option('--validation <ids.txt>', 'ids of validation images (best checkpoint by MRE)')
    .option(
      '--spacing <mm>',
      'pixel spacing in mm (DICOM files carry their own)',
      positiveNumber('--spacing'),
    )
    .addOption(
      new Option('--method <method>', 'training method')
        .choices([...METHODS])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--preset <preset>', 'schedule and network size')
        .choices(['quick', 'paper', 'tiny'])
        .default('quick'),
    )
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10), 1)
    .option(
      '--epochs <scale>',
      'multiply every stage’s epochs (e.g. 0.1 for a smoke run)',
      positiveNumber('--epochs'),
    )
    .option('--cache <dir>', 'cache of letterboxed images')
    .option('--resume', 'continue from the training state saved in --out by an interrupted run')
    .option(
      '--refine',
      'train the coarse-to-fine refiner after the network (default: quick, paper)',
    )
    .option('--no-refine', 'do not train the refiner')
    .option('--refine-steps <n>', 'refiner training steps (default: the preset’s)', positiveInteger)
    .option('--names <txt>', 'landmark names, one per line in table order (default L1, L2, …)')
    .addOption(backendOption())
    .addOption(threadsOption())
    .requiredOption('--out <modelDir>', 'output model folder')
    .action(
      async (
        o: Omit<TrainCommandOptions, 'names'> & {
          labelled: string;
          unlabelled?: string;
          validation?: string;
          names?: string;
          backend: NodeBackend;
          threads: number;
        },
      ) => {
        const backend = await setupNodeBackend(o.backend, true, { threads: o.threads });
        const status = await runTraining({
          ...o,
          names: readIds(o.names),
          labelledIds: readIds(o.labelled)!,
          unlabelledIds: readIds(o.unlabelled) ?? [],
          validationIds: readIds(o.validation) ?? [],
          backend,
        });
        if (status === 'cancelled') process.exitCode = 130;
      },
    );
}

function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('detect landmarks on every image of a folder (CSV in pixels)')
    .requiredOption('--model <dir>', 'model folder written by `landmarks train`')
    .requiredOption(
      '--images <dir>',
      'folder of <id>.jpg|.png|.dcm, or of <id>/ folders of DICOM slices (one CT/CBCT series each)',
    )
    .option('--ids <txt>', 'only these image ids')
    .option(
      '--spacing <mm>',
      'pixel spacing in mm for the refiner (DICOM files carry their own; default: the training spacing)',
      positiveNumber('--spacing'),
    )
    .option('--no-refine', 'skip the refiner even when the model folder has one')
    .option(
      '--no-review',
      'skip the shape review (robust outliers re-estimated from their heatmap near the fit of the others)',
    )
    .option(
      '--report <csv>',
      'per image and landmark: x, y, confidence, deviation_mm, abnormal (paper, Z = 2 mm), robust deviation, re-estimated, flagged, reason',
    )
    .addOption(backendOption())
    .addOption(threadsOption())
    .requiredOption('--out <csv>', 'output landmark table')
    .action(
      async (o: {
        model: string;
        report?: string;
        review: boolean;
        images: string;
        ids?: string;
        spacing?: number;
        refine: boolean;
        out: string;
        backend: NodeBackend;
        threads: number;
      }) => {
        await setupNodeBackend(o.backend, true, { threads: o.threads });
        const listed =
          (await folderKind(o.images)) === 'volume' ? listVolumes(o.images) : listImages(o.images);
        const ids = readIds(o.ids) ?? [...(await listed).keys()];
        const result = await predictFolder(o.model, o.images, ids, {
          spacingMm: o.spacing === undefined ? undefined : [o.spacing, o.spacing],
          noRefine: !o.refine,
          noReview: !o.review,
        });
        const rows = result.landmarks;
        const first = rows.values().next().value;
        write(
          o.out,
          formatLandmarkTable(
            {
              dimension: first?.[0]?.length === 3 ? 3 : 2,
              landmarkCount: first?.length ?? 0,
              rows,
            },
            { digits: 3 },
          ),
        );
        process.stdout.write(`wrote ${rows.size} predictions to ${o.out}\n`);
        if (o.report) {
          if (result.reviews.size === 0)
            throw new Error(
              '--report needs the model’s shape model (shape-model.json) and a pixel spacing (--spacing, DICOM, or the model’s)',
            );
          write(o.report, formatReviewReport(rows, result.reviews, result.landmarkNames));
          const flagged = [...result.reviews.values()].flat().filter((r) => r.flagged).length;
          process.stdout.write(
            `wrote the review report to ${o.report}: ${flagged} of ${[...result.reviews.values()].flat().length} landmarks flagged\n`,
          );
        }
        for (const f of result.failed) process.stderr.write(`skipped ${f.reason}\n`);
        if (result.failed.length > 0) process.exitCode = 1;
      },
    );
}

function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('MRE, SD and SDR (2, 2.5, 3, 4 mm) per landmark and overall')
    .requiredOption('--pred <csv>', 'predicted landmarks (pixels)')
    .requiredOption('--truth <csv>', 'true landmarks (pixels)')
    .option('--ids <txt>', 'only these image ids (default: every predicted image)')
    .requiredOption('--spacing <mm>', 'pixel spacing in mm', positiveNumber('--spacing'))
    .option('--json', 'machine-readable output')
    .action((o: { pred: string; truth: string; ids?: string; spacing: number; json?: boolean }) => {
      const pred = readLandmarks(o.pred, undefined);
      const truth = readLandmarks(o.truth, undefined);
      const ids = readIds(o.ids) ?? [...pred.rows.keys()];
      const p = selectRows(pred, ids, { source: o.pred });
      const t = selectRows(truth, ids, { source: o.truth });
      const truthRows = [...t.rows.values()];
      const cases = [...p.rows.entries()].map(([id, predictedPx], i) => ({
        id: `image ${id}`,
        predictedPx,
        truthPx: truthRows[i]!,
        spacingMm: Array<number>(pred.dimension).fill(o.spacing),
      }));
      const { metrics } = evaluateLandmarks(cases);
      process.stdout.write(
        o.json ? `${JSON.stringify(metrics, null, 2)}\n` : `${formatMetricsTable(metrics)}\n`,
      );
    });
}

/** `--offsets sd[,tailSd,tailFraction]` (mm) as the refiner's offset distribution. */
function parseOffsets(value: string): OffsetDistribution {
  const [sd, tailSd = 0, fraction = 0, ...rest] = value.split(',').map(Number);
  if (!(sd! > 0) || !(tailSd >= 0) || !(fraction >= 0 && fraction < 1) || rest.length > 0)
    throw new InvalidArgumentError(
      `--offsets needs sd > 0[,tailSd ≥ 0,0 ≤ tailFraction < 1] in mm, e.g. 1.3,5.5,0.05`,
    );
  return { offsetSdMm: sd!, offsetTailSdMm: tailSd, offsetTailFraction: fraction };
}

function registerRefine(program: Command): void {
  program
    .command('refine')
    .description('(re)train only the coarse-to-fine refiner of an existing model folder')
    .requiredOption('--model <dir>', 'model folder written by `landmarks train`')
    .requiredOption('--images <dir>', 'folder of <id>.jpg|.png|.dcm')
    .requiredOption('--landmarks <csv>', 'landmark table image,x1,y1,... in pixels')
    .requiredOption('--labelled <ids.txt>', 'ids of labelled training images')
    .option(
      '--validation <ids.txt>',
      'ids of labelled images the refiner is not trained on: the per-landmark gate is decided on the model’s reviewed estimates there, and the training offsets are fitted to their errors (default: a held-out 20 % of --labelled with coarse-like offsets)',
    )
    .option(
      '--offsets <sd,tailSd,tailFraction>',
      'training offsets in mm: N(0, sd²) per axis, a tailFraction of them N(0, tailSd²) (default: fitted on --validation, else the preset’s)',
      parseOffsets,
    )
    .option(
      '--spacing <mm>',
      'pixel spacing in mm (DICOM files carry their own)',
      positiveNumber('--spacing'),
    )
    .addOption(
      new Option(
        '--preset <preset>',
        'patch size and schedule (default: the model’s preset)',
      ).choices(['quick', 'paper', 'tiny']),
    )
    .option(
      '--steps <n>',
      'training steps (default: the preset’s budget of passes over the patches)',
      positiveInteger,
    )
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10), 1)
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(
      async (
        o: RefineCommandOptions & { validation?: string; backend: NodeBackend; threads: number },
      ) => {
        const backend = await setupNodeBackend(o.backend, true, { threads: o.threads });
        const status = await runRefineCommand({
          ...o,
          labelledIds: readIds(o.labelled)!,
          validationIds: readIds(o.validation),
          backend,
        });
        if (status === 'cancelled') process.exitCode = 130;
      },
    );
}

/** Registers `train`, `predict`, `refine`, `evaluate` and `model unpack`. */
export function registerLearningCommands(program: Command): void {
  registerTrain(program);
  registerPredict(program);
  registerRefine(program);
  registerEvaluate(program);
  registerModelCommands(program);
}
