/**
 * Renders landmark metrics as a markdown or plain-text table (pure string, no I/O).
 */
import type { ErrorStatistics, LandmarkMetrics } from './types.ts';

/** Options of {@link formatMetricsTable}. */
export interface TableOptions {
  /** 'markdown' (pipe table) or 'text' (space-aligned columns); default 'markdown'. */
  format?: 'markdown' | 'text';
  /** Decimals of millimetre values; default 2. SDR is printed as a percentage with 1 decimal. */
  digits?: number;
  /** Text printed for undefined values; default 'n/a'. */
  missingText?: string;
}

const mm = (value: number | undefined, digits: number, missingText: string): string =>
  value === undefined ? missingText : value.toFixed(digits);

function row(label: string, stats: ErrorStatistics, digits: number, missingText: string): string[] {
  return [
    label,
    String(stats.count),
    String(stats.missing),
    mm(stats.mreMm, digits, missingText),
    mm(stats.sdMm, digits, missingText),
    ...stats.sdr.map((s) => (s.rate === undefined ? missingText : (100 * s.rate).toFixed(1))),
  ];
}

function renderMarkdown(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function renderText(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line), rule].join('\n').trimEnd();
}

/**
 * A table with one row per landmark and a final "Overall" row: N (valid errors), missing, MRE and SD
 * in millimetres, SDR per threshold in percent. Undefined statistics print as `missingText`, never NaN.
 */
export default function formatMetricsTable(
  metrics: LandmarkMetrics,
  options: TableOptions = {},
): string {
  const { format = 'markdown', digits = 2, missingText = 'n/a' } = options;
  const header = [
    'Landmark',
    'N',
    'Missing',
    'MRE (mm)',
    'SD (mm)',
    ...metrics.thresholdsMm.map((t) => `SDR ${t} mm (%)`),
  ];
  const rows = [
    ...metrics.perLandmark.map((s) => row(s.name, s, digits, missingText)),
    row('Overall', metrics.overall, digits, missingText),
  ];
  return format === 'markdown' ? renderMarkdown(header, rows) : renderText(header, rows);
}
