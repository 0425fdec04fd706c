/**
 * Importer of a landmark dataset in the ISBI 2015 layout (a folder of 8-bit greyscale JPEGs + the CLI's
 * landmark CSV `image,x1,y1,...`) into the PACS: one DX study per image (MONOCHROME2, uncompressed,
 * PixelSpacing as given, 0.1 mm for ISBI) and a manual landmark SR for the labelled ones. CSV pixel
 * coordinates are taken as SCOORD coordinates (origin at the top-left corner of the image).
 * Studies are named after the data set (`ISBI2015^001`, "ISBI 2015 cephalogram 001", see
 * `demoNaming.ts`). A bad image is reported and the batch goes on.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import {
  normaliseImageId,
  parseIdList,
  parseLandmarkTable,
} from '../../core/data/landmarkTable.ts';
import { CEPHALOGRAM_LANDMARKS } from '../../core/synthetic/landmarks.ts';
import { imageStudyFiles } from '../../dicom/studyFiles.ts';
import { uidFromSeed } from '../../dicom/uids.ts';
import { datasetStudyNaming } from './demoNaming.ts';

/** Options of {@link importImages}. */
export interface ImportOptions {
  imagesDir: string;
  landmarksCsv: string;
  /** File with the ids of labelled images (one a line); default: all rows of the CSV are labelled. */
  labelledIds?: string;
  /** Only these ids (default: every row of the CSV). */
  ids?: string[];
  spacingMm?: number;
  /** Landmark names (default: the 19 ISBI 2015 names when there are 19, else `L1..Ln`). */
  landmarkNames?: string[];
  /** Dataset name used in UIDs and descriptions (default `isbi2015`). */
  dataset?: string;
  /** Sends the files of one study to the PACS. */
  store: (files: ArrayBuffer[], studyUid: string) => Promise<void>;
  /** When it says the study is already in the PACS, the image is not decoded or sent again. */
  exists?: (studyUid: string) => Promise<boolean>;
  onProgress?: (done: number, total: number) => void;
}

/** One row of the import report. */
export interface ImportResult {
  id: string;
  studyUid?: string;
  labelled: boolean;
  instances: number;
  /** Already in the PACS (see `exists`): nothing sent. */
  skipped?: boolean;
  error?: string;
}

/** Decodes an 8-bit greyscale JPEG or PNG file to one byte per pixel (the red channel). */
export function readGreyImage(path: string): { width: number; height: number; pixels: Uint8Array } {
  const bytes = readFileSync(path);
  const decoded = path.toLowerCase().endsWith('.png')
    ? PNG.sync.read(bytes)
    : jpeg.decode(bytes, { useTArray: true, maxMemoryUsageInMB: 1024 });
  const { width, height } = decoded;
  const rgba = decoded.data;
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[i * 4];
  return { width, height, pixels };
}

function findImage(dir: string, id: string): string | undefined {
  for (const ext of ['.jpg', '.jpeg', '.png', '.bmp', '.JPG', '.PNG']) {
    const path = join(dir, `${id}${ext}`);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Imports every selected image; never throws for a single bad image (see `error` in the results). */
export async function importImages(options: ImportOptions): Promise<ImportResult[]> {
  const table = parseLandmarkTable(readFileSync(options.landmarksCsv, 'utf8'), {
    source: options.landmarksCsv,
  });
  if (table.dimension !== 2)
    throw new Error(`${options.landmarksCsv}: the importer takes 2D landmarks`);
  const labelled = options.labelledIds
    ? new Set(
        parseIdList(readFileSync(options.labelledIds, 'utf8'), { source: options.labelledIds }).map(
          normaliseImageId,
        ),
      )
    : undefined;
  const names =
    options.landmarkNames ??
    (table.landmarkCount === CEPHALOGRAM_LANDMARKS.length
      ? [...CEPHALOGRAM_LANDMARKS]
      : Array.from({ length: table.landmarkCount }, (_, i) => `L${i + 1}`));
  const ids = options.ids ?? [...table.rows.keys()];
  const spacing = options.spacingMm ?? 0.1;
  const dataset = options.dataset ?? 'isbi2015';
  // The 19 ISBI landmarks mark a cephalogram; other templates (hands, user sets) say "image".
  const what = names.length === CEPHALOGRAM_LANDMARKS.length ? 'cephalogram' : 'image';
  const results: ImportResult[] = [];
  for (const [index, id] of ids.entries()) {
    const isLabelled = labelled ? labelled.has(normaliseImageId(id)) : true;
    try {
      const shape =
        table.rows.get(id) ??
        [...table.rows.entries()].find(([k]) => normaliseImageId(k) === normaliseImageId(id))?.[1];
      if (!shape) throw new Error(`no landmarks for image ${id} in ${options.landmarksCsv}`);
      // Same key as imageStudyFiles below, so the UID is the one a previous import stored.
      const knownUid = uidFromSeed(`${dataset}/${id}/study`);
      if (await options.exists?.(knownUid)) {
        results.push({ id, studyUid: knownUid, labelled: isLabelled, instances: 0, skipped: true });
        options.onProgress?.(index + 1, ids.length);
        continue;
      }
      const path = findImage(options.imagesDir, id);
      if (!path) throw new Error(`no image file ${id}.jpg/.png in ${options.imagesDir}`);
      const image = readGreyImage(path);
      const study = imageStudyFiles(
        {
          key: `${dataset}/${id}`,
          ...image,
          bitsStored: 8,
          spacingMm: [spacing, spacing],
          landmarkNames: names,
          landmarks: shape,
          description: `${dataset} ${id}`,
          device: dataset,
          naming: datasetStudyNaming(dataset, id, what),
        },
        isLabelled,
        index + 1,
      );
      await options.store(study.files, study.studyUid);
      results.push({
        id,
        studyUid: study.studyUid,
        labelled: isLabelled,
        instances: study.files.length,
      });
    } catch (error) {
      results.push({ id, labelled: isLabelled, instances: 0, error: (error as Error).message });
    }
    options.onProgress?.(index + 1, ids.length);
  }
  return results;
}
