/**
 * A real head CT for the demo: the example project `Cranium.inv3` of Debian's `invesalius-examples`
 * (InVesalius 3, GPL-2; an axial head CT of 256 x 256 x 108 voxels, 0.957 x 0.957 x 1.5 mm, in HU)
 * written as a DICOM CT Image Storage series, one instance per slice, unannotated, so a radiologist
 * can place landmarks on a real skull in MPR.
 *
 * Geometry (the project keeps spacing but no position): slice k is the k-th of the matrix, from the
 * skull base (k = 0) up to the vertex, so it goes to z = z0 + 1.5 k; columns run from the patient's
 * right to left (+x: the usual DICOM column order, which the reader kept; a near-symmetric skull cannot
 * confirm it, so left and right are an assumption). InVesalius 3.0 read slices through vtkGDCMImageReader, which puts the last DICOM
 * row first (VTK's lower-left origin): in the matrix, row 0 is posterior (the CT table's arc lies
 * there, the face at the last rows). The rows are flipped back, so the series has the plain axial
 * orientation 1\0\0\0\1\0 of a supine, head-first scan, and the volume is centred on the origin.
 * The DICOM objects are written by dcmjs through `imageWriter.ts`; by hand here is only this mapping,
 * which no library knows (InVesalius projects have no DICOM exporter on npm).
 */
import { existsSync } from 'node:fs';
import { ctSliceUid, writeCtSeries } from '../../dicom/imageWriter.ts';
import { uidFromSeed } from '../../dicom/uids.ts';
import { readInv3, type Inv3Volume } from './readInv3.ts';

/** Where Debian's `invesalius-examples` installs the example project. */
export const INVESALIUS_CRANIUM = '/usr/share/doc/invesalius-examples/examples/Cranium.inv3';

/** Study description of the converted head CT. */
export const HEAD_CT_DESCRIPTION = 'Head CT (InVesalius example, GPL-2)';

/** Key the series' UIDs are derived from (same file, same UIDs: stored once per PACS). */
const KEY = 'invesalius-examples/Cranium.inv3';

/** UIDs of the converted head CT. */
export const HEAD_CT_UIDS = {
  study: uidFromSeed(`${KEY}/study`),
  series: uidFromSeed(`${KEY}/series`),
  frameOfReference: uidFromSeed(`${KEY}/frame`),
  /** SOP Instance UID of slice k (k = 0 at the skull base). */
  slice: (k: number) => ctSliceUid(KEY, k),
};

/** The series written by {@link headCtFiles} and where its voxels sit. */
export interface HeadCtSeries {
  files: ArrayBuffer[];
  studyUid: string;
  seriesUid: string;
  /** Patient position (mm, LPS) of the centre of the first voxel of slice 0. */
  origin: [number, number, number];
  /** `[column, row, slice]` mm. */
  spacingMm: [number, number, number];
}

// 12-bit stored values with RescaleIntercept -1024 hold HU in [-1024, 3071] (imageWriter.ts).
const HU_RANGE: [number, number] = [-1024, 3071];

/** `YYYYMMDD` of an ISO date, or the fallback. */
const dicomDate = (iso: string | undefined, fallback: string) =>
  iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10).replace(/-/g, '') : fallback;

/** The project's voxels in DICOM row order (row 0 anterior), checked against the 12-bit HU range. */
function dicomOrderHu(volume: Inv3Volume): Int16Array {
  const { columns, rows, slices, voxels } = volume;
  const out = new Int16Array(voxels.length);
  for (let k = 0; k < slices; k++) {
    for (let r = 0; r < rows; r++) {
      const from = (k * rows + (rows - 1 - r)) * columns;
      out.set(voxels.subarray(from, from + columns), (k * rows + r) * columns);
    }
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i] < HU_RANGE[0] || out[i] > HU_RANGE[1]) {
      throw new Error(`voxel ${i} = ${out[i]} HU is outside [${HU_RANGE.join(', ')}]`);
    }
  }
  return out;
}

/** Writes the project's volume as the demo head CT series (Part 10 files, slice 0 first). */
export function headCtFiles(volume: Inv3Volume): HeadCtSeries {
  if (volume.modality && volume.modality !== 'CT') {
    throw new Error(`InVesalius project "${volume.name}" is ${volume.modality}, not CT`);
  }
  const { columns, rows, slices, spacingMm } = volume;
  // Centred on the patient origin; rounded so each DS value stays exact in 16 characters.
  const centre = (n: number, mm: number) => Math.round((-(n - 1) / 2) * mm * 1e4) / 1e4;
  const origin: [number, number, number] = [
    centre(columns, spacingMm[0]),
    centre(rows, spacingMm[1]),
    centre(slices, spacingMm[2]),
  ];
  const files = writeCtSeries(
    {
      patientId: 'INVESALIUS-CRANIUM',
      patientName: 'INVESALIUS^CRANIUM',
      patientBirthDate: '',
      patientSex: '',
      studyUid: HEAD_CT_UIDS.study,
      studyDate: dicomDate(volume.savedAt, '20120914'),
      studyTime: '120000',
      studyId: 'INV3',
      accessionNumber: 'ACC-INV3-CRANIUM',
      studyDescription: HEAD_CT_DESCRIPTION,
    },
    {
      seriesUid: HEAD_CT_UIDS.series,
      seriesNumber: 1,
      seriesDescription: `Axial ${spacingMm[2]} mm (Cranium.inv3)`,
      manufacturer: '',
      deviceModel: '',
    },
    {
      width: columns,
      height: rows,
      depth: slices,
      voxelsHu: dicomOrderHu(volume),
      spacingMm,
      origin,
      frameOfReferenceUid: HEAD_CT_UIDS.frameOfReference,
      uidSeed: KEY,
      attributes: {
        ImageType: ['DERIVED', 'SECONDARY', 'AXIAL'],
        DerivationDescription:
          'InVesalius example project Cranium.inv3 (Debian invesalius-examples, GPL-2) as CT slices',
        KVP: '',
        BodyPartExamined: 'HEAD',
      },
    },
  );
  return {
    files,
    studyUid: HEAD_CT_UIDS.study,
    seriesUid: HEAD_CT_UIDS.series,
    origin,
    spacingMm,
  };
}

/** Options of {@link storeHeadCt}. */
export interface StoreHeadCtOptions {
  store: (files: ArrayBuffer[], studyUid: string) => Promise<void>;
  exists: (studyUid: string) => Promise<boolean>;
  /** The `.inv3` file (default {@link INVESALIUS_CRANIUM}; another copy of the same project). */
  path?: string;
  /** Tells whether the file is there (default: `fs.existsSync`). */
  fileExists?: (path: string) => boolean;
}

/** What {@link storeHeadCt} did. */
export type StoreHeadCtResult =
  | { status: 'stored'; studyUid: string; instances: number; ms: number }
  | { status: 'present'; studyUid: string }
  | { status: 'no-file'; path: string };

/**
 * Stores the head CT when the PACS does not have it yet (`exists`), converting the project only then.
 * Without the file (package not installed) it stores nothing and says so.
 */
export async function storeHeadCt(options: StoreHeadCtOptions): Promise<StoreHeadCtResult> {
  const path = options.path ?? INVESALIUS_CRANIUM;
  const fileExists = options.fileExists ?? existsSync;
  if (!fileExists(path)) return { status: 'no-file', path };
  if (await options.exists(HEAD_CT_UIDS.study)) {
    return { status: 'present', studyUid: HEAD_CT_UIDS.study };
  }
  const t0 = Date.now();
  const series = headCtFiles(await readInv3(path));
  await options.store(series.files, series.studyUid);
  return {
    status: 'stored',
    studyUid: series.studyUid,
    instances: series.files.length,
    ms: Date.now() - t0,
  };
}
