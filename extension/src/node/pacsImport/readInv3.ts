/**
 * Reader of an InVesalius 3 project file (`.inv3`, e.g. `Cranium.inv3` of Debian's
 * `invesalius-examples`): a gzipped tar holding `main.plist` (XML property list: modality, spacing,
 * the image matrix's file name, dtype and shape) and that matrix as raw voxels, C order
 * `[slice][row][column]`, as NumPy's memmap wrote them (little endian on the x86 machines that made
 * the examples). Masks (`mask_N.dat`) and surfaces (`.vtp`) are not read.
 *
 * The archive is read with `tar` (it gunzips too) and the property list with `plist`; by hand here is
 * only what is specific to InVesalius: which keys hold the geometry, and the voxel decoding (no npm
 * package reads InVesalius projects).
 */
import { parse, type PlistValue } from 'plist';
import { t as listTar } from 'tar';

/** The image of an InVesalius project. */
export interface Inv3Volume {
  /** Voxel values as InVesalius keeps them (HU for CT), index `(slice * rows + row) * columns + column`. */
  voxels: Int16Array;
  columns: number;
  rows: number;
  slices: number;
  /** `[column, row, slice]` spacing in mm (the plist's `spacing`, x y z). */
  spacingMm: [number, number, number];
  /** Orientation of the original slices; only axial projects are read. */
  orientation: 'AXIAL';
  modality: string;
  /** The project's name (`name`), e.g. "ProMED CT 0051". */
  name: string;
  /** When the project was saved (`date`, ISO 8601), if given. */
  savedAt?: string;
  /** `[min, max]` of the voxels as the plist states it. */
  scalarRange?: [number, number];
}

type Dict = Record<string, PlistValue>;

// InVesalius 3 constants.py: AXIAL = 1, CORONAL = 2, SAGITAL = 3 (newer projects write the name).
const AXIAL = new Set<PlistValue>([1, 'AXIAL']);

// Read with Buffer.readInt16LE rather than viewed as an Int16Array: the matrix need not start on an
// even offset of the tar's buffer, and little endian stays right on a big-endian host.
const DTYPES: Record<string, (bytes: Buffer, count: number) => Int16Array> = {
  int16: (bytes, count) => {
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) out[i] = bytes.readInt16LE(2 * i);
    return out;
  },
};

function field(dict: Dict, key: string, source: string): PlistValue {
  const value = dict[key];
  if (value === undefined) throw new Error(`${source}: main.plist has no "${key}"`);
  return value;
}

function numbers(value: PlistValue, length: number, what: string): number[] {
  if (!Array.isArray(value) || value.length !== length || !value.every(Number.isFinite)) {
    throw new Error(`${what}: expected ${length} numbers, got ${JSON.stringify(value)}`);
  }
  return value as number[];
}

/** The `main.plist` and every image-matrix candidate (`*.dat` other than masks) of the archive. */
async function readEntries(path: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  await listTar({
    file: path,
    filter: (p) => base(p) === 'main.plist' || (p.endsWith('.dat') && !base(p).startsWith('mask_')),
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.set(base(entry.path), Buffer.concat(chunks)));
    },
  });
  return files;
}

/**
 * Reads the image of an `.inv3` project. Throws naming the file when a part is missing, the matrix
 * is not axial int16, or its byte count does not match the shape.
 */
export async function readInv3(path: string): Promise<Inv3Volume> {
  const files = await readEntries(path).catch((error: Error) => {
    throw new Error(`${path}: not a readable InVesalius project (${error.message})`);
  });
  const plistBytes = files.get('main.plist');
  if (!plistBytes) throw new Error(`${path}: no main.plist in the archive`);
  const main = parse(plistBytes.toString('utf8')) as Dict;
  const matrix = field(main, 'matrix', path) as Dict;
  const [slices, rows, columns] = numbers(field(matrix, 'shape', path), 3, `${path} matrix shape`);
  const spacing = numbers(field(main, 'spacing', path), 3, `${path} spacing`);
  const dtype = String(field(matrix, 'dtype', path));
  const fileName = String(field(matrix, 'filename', path));
  const orientation = field(main, 'orientation', path);
  if (!AXIAL.has(orientation)) {
    throw new Error(`${path}: orientation ${JSON.stringify(orientation)}; only axial is read`);
  }
  const decode = DTYPES[dtype];
  if (!decode) throw new Error(`${path}: matrix dtype ${dtype}; only int16 is read`);
  const bytes = files.get(fileName);
  if (!bytes) throw new Error(`${path}: the matrix file ${fileName} is not in the archive`);
  const count = slices * rows * columns;
  if (bytes.length !== count * 2) {
    throw new Error(
      `${path}: ${fileName} has ${bytes.length} bytes, expected ${count * 2} for ${slices}x${rows}x${columns} ${dtype}`,
    );
  }
  const range = main.scalar_range;
  return {
    voxels: decode(bytes, count),
    columns,
    rows,
    slices,
    spacingMm: [spacing[0], spacing[1], spacing[2]],
    orientation: 'AXIAL',
    modality: String(main.modality ?? ''),
    name: String(main.name ?? ''),
    savedAt: typeof main.date === 'string' ? main.date : undefined,
    scalarRange: Array.isArray(range)
      ? (numbers(range, 2, `${path} scalar_range`) as [number, number])
      : undefined,
  };
}
