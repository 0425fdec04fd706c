/**
 * The `shape check` report: one CSV row per image and landmark,
 * `image,landmark,x_gamma,y_gamma[,z_gamma],deviation_mm,abnormal`, coordinates in PIXELS like the
 * input table, landmark numbered from 1, abnormal 0/1.
 */
import type { Regulation } from '../../core/shape/types.ts';

/** One regulated image: its id, its regulation (mm) and the spacing that maps mm back to pixels. */
export interface RegulatedImage {
  image: string;
  regulation: Regulation;
  /** mm per pixel, per axis. */
  spacing: number[];
}

/** Rounds for the report: 4 decimals (0.1 µm at 0.1 mm spacing), no float noise. */
function cell(value: number): string {
  return String(Number(value.toFixed(4)));
}

/** Formats the report CSV (header + n rows per image). */
export function formatRegulationReport(
  images: readonly RegulatedImage[],
  dimension: 2 | 3,
): string {
  const axes = ['x_gamma', 'y_gamma', 'z_gamma'].slice(0, dimension);
  const lines = [['image', 'landmark', ...axes, 'deviation_mm', 'abnormal'].join(',')];
  for (const { image, regulation, spacing } of images) {
    regulation.gamma.forEach((p, i) => {
      const pixels = p.map((v, a) => cell(v / spacing[a]!));
      const flag = regulation.abnormal[i] ? '1' : '0';
      lines.push(
        [image, String(i + 1), ...pixels, cell(regulation.deviationMm[i]!), flag].join(','),
      );
    });
  }
  return `${lines.join('\n')}\n`;
}
