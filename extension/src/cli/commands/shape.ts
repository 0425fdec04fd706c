/**
 * `landmarks shape fit|check`: fit the PCA shape model on labelled landmark tables and regulate
 * predicted ones (paper section 3.1). Thin: files in, core functions, files and a summary out.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { LandmarkTable } from '../../core/data/landmarkTable.ts';
import { fitShapeModel } from '../../core/shape/fitShapeModel.ts';
import { regulateShape } from '../../core/shape/regulateShape.ts';
import { serialiseShapeModel } from '../../core/shape/serialiseShapeModel.ts';
import {
  pixelsToMm,
  spacingFromLandmarkDistance,
  spacingPerAxis,
} from '../../core/shape/spacing.ts';
import type { ShapeModel } from '../../core/shape/types.ts';
import { numberList, positiveNumber } from '../io/parseNumbers.ts';
import { readLandmarks, readShapeModel } from '../io/readInputs.ts';
import { formatRegulationReport, type RegulatedImage } from '../io/regulationReport.ts';

interface SpacingOptions {
  spacing?: number[];
  scaleTo?: number[];
}

/** mm per pixel for one image: the fixed --spacing, or derived per image from --scale-to i,j,mm. */
function imageSpacing(o: SpacingOptions, shapePx: number[][], where: string): number[] {
  const d = shapePx[0]!.length;
  try {
    if (o.scaleTo) {
      if (o.scaleTo.length !== 3) throw new Error('--scale-to takes i,j,mm (e.g. 1,5,50)');
      const [i, j, mm] = o.scaleTo as [number, number, number];
      return Array<number>(d).fill(spacingFromLandmarkDistance(shapePx, i, j, mm));
    }
    if (!o.spacing) throw new Error('--spacing <mm> is required (or --scale-to i,j,mm)');
    return spacingPerAxis(o.spacing.length === 1 ? o.spacing[0]! : o.spacing, d);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

/** Writes a file, naming it on failure. */
function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new Error(`cannot write "${path}" (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

const pct = (v: number): string => `${(100 * v).toFixed(4)} %`;

/** Human summary of a fitted model: modes, variance, normality. */
export function describeModel(model: ShapeModel): string {
  const n = model.meanShape.length;
  const notNormal = model.normality.flatMap((m, k) => (m.p < 0.05 ? [k + 1] : []));
  return [
    `shape model: ${model.trainingCount} shapes, ${n} landmarks, ${model.dimension}D, mm`,
    `modes kept: ${model.components.length} of ${n * model.dimension} (${pct(model.varianceExplained)} of the variance, asked ${pct(model.varianceToKeep)})`,
    `sigma (mm), first modes: ${model.sigma
      .slice(0, 5)
      .map((s) => s.toFixed(3))
      .join(', ')}`,
    `Procrustes: ${model.procrustes.converged ? 'converged' : 'NOT converged'} after ${model.procrustes.iterations} iterations`,
    notNormal.length === 0
      ? 'normality (Shapiro–Wilk): every mode is compatible with a normal distribution (p ≥ 0.05)'
      : `normality (Shapiro–Wilk): ${notNormal.length} of ${model.components.length} modes not normal at p < 0.05 (modes ${notNormal.join(', ')}): the ±kσ rule is approximate for them`,
  ].join('\n');
}

/** Action of `shape fit`. */
function runFit(
  o: SpacingOptions & { landmarks: string; ids?: string; variance: number; out: string },
) {
  const table = readLandmarks(o.landmarks, o.ids);
  const ids = [...table.rows.keys()];
  const shapes = ids.map((id) => {
    const px = table.rows.get(id)!;
    return pixelsToMm(px, imageSpacing(o, px, `${o.landmarks}: image ${id}`));
  });
  const model = fitShapeModel(shapes, {
    varianceToKeep: o.variance,
    shapeIds: ids.map((id) => `${o.landmarks}: image ${id}`),
  });
  write(o.out, serialiseShapeModel(model));
  process.stdout.write(`${describeModel(model)}\nwrote ${o.out}\n`);
}

/** Regulates every image of the table; returns the per-image results. */
function regulateAll(
  model: ShapeModel,
  table: LandmarkTable,
  o: SpacingOptions & { landmarks: string; z: number; sigma: number },
): RegulatedImage[] {
  return [...table.rows].map(([image, px]) => {
    const where = `${o.landmarks}: image ${image}`;
    const spacing = imageSpacing(o, px, where);
    const regulation = regulateShape(model, pixelsToMm(px, spacing), {
      sigmaLimit: o.sigma,
      abnormalThresholdMm: o.z,
      label: where,
    });
    return { image, regulation, spacing };
  });
}

/** Human summary of a check: flags and the most atypical images. */
function describeCheck(results: RegulatedImage[], o: { z: number; sigma: number }): string {
  const flagged = results.filter((r) => r.regulation.abnormal.some(Boolean));
  const landmarks = results.reduce((s, r) => s + r.regulation.abnormal.filter(Boolean).length, 0);
  const total = results.reduce((s, r) => s + r.regulation.abnormal.length, 0);
  const ranked = [...results].sort((a, b) => b.regulation.mahalanobis - a.regulation.mahalanobis);
  return [
    `checked ${results.length} images (±${o.sigma}σ, Z = ${o.z} mm)`,
    `images with abnormal landmarks: ${flagged.length} of ${results.length}; abnormal landmarks: ${landmarks} of ${total}`,
    `most atypical (Mahalanobis distance of b): ${ranked
      .slice(0, 5)
      .map((r) => `${r.image} (${r.regulation.mahalanobis.toFixed(2)})`)
      .join(', ')}`,
  ].join('\n');
}

/** Action of `shape check`. */
function runCheck(
  o: SpacingOptions & {
    model: string;
    landmarks: string;
    ids?: string;
    z: number;
    sigma: number;
    out: string;
  },
) {
  const model = readShapeModel(o.model);
  const table = readLandmarks(o.landmarks, o.ids, { allowMissing: true });
  if (table.dimension !== model.dimension || table.landmarkCount !== model.meanShape.length) {
    throw new Error(
      `${o.landmarks} has ${table.landmarkCount} ${table.dimension}D landmarks, the model ${o.model} has ${model.meanShape.length} ${model.dimension}D`,
    );
  }
  const results = regulateAll(model, table, o);
  write(o.out, formatRegulationReport(results, model.dimension));
  process.stdout.write(`${describeModel(model)}\n${describeCheck(results, o)}\nwrote ${o.out}\n`);
}

/** Registers `shape fit` and `shape check`. */
export function registerShapeCommands(program: Command): void {
  const shape = program
    .command('shape')
    .description(
      'PCA shape model (paper Eqs. 3–7): fit on labelled shapes, check predicted shapes',
    );
  const spacingOptions = (c: Command) =>
    c
      .option(
        '--spacing <mm>',
        'pixel spacing in mm: one value or x,y[,z]',
        numberList('--spacing'),
      )
      .option(
        '--scale-to <i,j,mm>',
        'per image, scale so that landmarks i and j are mm apart (hands: 1,5,50)',
        numberList('--scale-to'),
      );
  spacingOptions(
    shape
      .command('fit')
      .description('fit a shape model on a landmark CSV (image,x1,y1[,z1],...; pixels)')
      .requiredOption('--landmarks <csv>', 'landmark table, pixels')
      .option('--ids <txt>', 'image ids to use, one a line'),
  )
    .option(
      '--variance <fraction>',
      'variance the kept modes explain',
      positiveNumber('--variance'),
      0.9999,
    )
    .requiredOption('--out <model.json>', 'where to write the model')
    .action(runFit);
  spacingOptions(
    shape
      .command('check')
      .description(
        'regulate shapes with a model; report X_γ (pixels), deviation (mm), abnormal flags',
      )
      .requiredOption('--model <model.json>', 'model written by `shape fit`')
      .requiredOption(
        '--landmarks <csv>',
        'landmark table, pixels (empty cells: missing landmarks)',
      )
      .option('--ids <txt>', 'image ids to check, one a line'),
  )
    .option('--z <mm>', 'abnormal threshold Z, mm', positiveNumber('--z', true), 2)
    .option('--sigma <k>', 'clamp each mode to ±k σ', positiveNumber('--sigma'), 3)
    .requiredOption('--out <report.csv>', 'where to write the report')
    .action(runCheck);
}
