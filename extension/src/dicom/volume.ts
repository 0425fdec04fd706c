/**
 * CT/CBCT slices -> volume, sorted by position along the slice normal (PS3.3 C.7.6.2: the normal is
 * row direction x column direction of ImageOrientationPatient). Reports inconsistent orientation,
 * uneven slice spacing (a missing slice shows as a gap of about twice the spacing) and size mismatches.
 */
import { DicomError, num, type NaturalDataset } from './datasetIo.ts';
import type { DecodedImage, DecodedVolume } from './types.ts';

/** A slice: its dataset (geometry) and its decoded pixels. */
export interface VolumeSlice {
  dataset: NaturalDataset;
  image: DecodedImage;
}

const cross = (a: number[], b: number[]): number[] => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot = (a: number[], b: number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

function vector(dataset: NaturalDataset, key: string, length: number, source: string): number[] {
  const values = Array.from({ length }, (_, i) => num(dataset[key], i));
  if (!values.every(Number.isFinite))
    throw new DicomError(source, `${key} is missing or not ${length} numbers`);
  return values;
}

/** Relative tolerance on slice gaps and direction cosines. */
const TOLERANCE = 0.01;

/** Assembles slices (any order) into a volume; throws a {@link DicomError} naming the series on inconsistency. */
export function assembleVolume(slices: readonly VolumeSlice[]): DecodedVolume {
  if (slices.length < 2)
    throw new DicomError('series', `a volume needs at least 2 slices, got ${slices.length}`);
  const seriesUid = String(slices[0].dataset.SeriesInstanceUID ?? '');
  const source = `series ${seriesUid}`;
  const orientation = vector(
    slices[0].dataset,
    'ImageOrientationPatient',
    6,
    `${source} slice ${slices[0].image.sopUid}`,
  );
  const row = orientation.slice(0, 3);
  const col = orientation.slice(3, 6);
  const normal = cross(row, col);
  const { width, height } = slices[0].image;
  const placed = slices.map((s) => {
    const where = `${source} slice ${s.image.sopUid}`;
    const o = vector(s.dataset, 'ImageOrientationPatient', 6, where);
    if (o.some((v, i) => Math.abs(v - orientation[i]) > TOLERANCE))
      throw new DicomError(where, 'ImageOrientationPatient differs from the first slice');
    if (s.image.width !== width || s.image.height !== height)
      throw new DicomError(
        where,
        `size ${s.image.width}x${s.image.height} differs from ${width}x${height}`,
      );
    const position = vector(s.dataset, 'ImagePositionPatient', 3, where);
    return { slice: s, position, distance: dot(position, normal) };
  });
  placed.sort((a, b) => a.distance - b.distance);
  const gaps = placed.slice(1).map((p, i) => p.distance - placed[i].distance);
  // The smallest gap is the nominal spacing: a missing slice can only make gaps larger.
  const spacing = Math.min(...gaps);
  if (!(spacing > 0)) throw new DicomError(source, 'two slices share the same position');
  gaps.forEach((gap, i) => {
    if (Math.abs(gap - spacing) > TOLERANCE * spacing + 1e-3) {
      const missing = Math.round(gap / spacing) - 1;
      const detail = missing >= 1 ? `${missing} missing slice(s)` : 'uneven slice spacing';
      throw new DicomError(
        source,
        `${detail}: gap of ${gap.toFixed(3)} mm after slice ${i + 1} (spacing ${spacing.toFixed(3)} mm)`,
      );
    }
  });
  const spacingXY = slices[0].image.spacingMm;
  if (!spacingXY) throw new DicomError(source, 'no PixelSpacing');
  const voxels = new Float32Array(width * height * placed.length);
  placed.forEach((p, k) => voxels.set(p.slice.image.pixels, k * width * height));
  const frame = slices[0].dataset.FrameOfReferenceUID;
  return {
    studyUid: slices[0].image.studyUid,
    seriesUid,
    ...(frame ? { frameOfReferenceUid: String(frame) } : {}),
    sopUids: placed.map((p) => p.slice.image.sopUid),
    width,
    height,
    depth: placed.length,
    voxels,
    spacingMm: [spacingXY[0], spacingXY[1], spacing],
    origin: placed[0].position as [number, number, number],
    direction: [row, col, normal],
  };
}
