/**
 * Landmark tables: the CSV format `image,x1,y1,...,xn,yn` (2D) or `image,x1,y1,z1,...` (3D), one image a
 * row, coordinates in PIXELS (as in `isbi2015/landmarks_*.csv` and `hand-xray-shapes/landmarks.csv`), and
 * id lists (one image id a line, as in `train.txt`). Pure: text in, typed values out.
 */

/** Coordinates per landmark: 2 (x, y) or 3 (x, y, z). */
export type TableDimension = 2 | 3;

/** A parsed landmark table; every shape is landmarkCount rows of `dimension` pixel coordinates. */
export interface LandmarkTable {
  dimension: TableDimension;
  landmarkCount: number;
  /** Image id (as written in the `image` column) → shape in pixels. Insertion order = file order. */
  rows: Map<string, number[][]>;
}

export interface ParseTableOptions {
  /** Name of the file or stream, quoted in every error. */
  source?: string;
  /**
   * Accept empty or `NaN` cells as a missing landmark (all its coordinates become NaN). Default false:
   * any non-finite cell is an error.
   */
  allowMissing?: boolean;
}

const AXES = ['x', 'y', 'z'] as const;

/** Splits text into lines, dropping a BOM and a trailing empty line; keeps 1-based line numbers. */
function splitLines(text: string): { line: number; cells: string[] }[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: { line: number; cells: string[] }[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    out.push({ line: i + 1, cells: raw.split(',').map((c) => c.trim()) });
  });
  return out;
}

/** Reads the dimension and landmark count from a header like `image,x1,y1,z1,x2,...`. */
function parseHeader(cells: string[], where: string): { dimension: TableDimension; count: number } {
  if (cells.length < 3 || cells[0]!.toLowerCase() !== 'image') {
    throw new Error(`${where}: header must start with "image,x1,y1", got "${cells.join(',')}"`);
  }
  const dimension: TableDimension = cells[3]?.toLowerCase() === 'z1' ? 3 : 2;
  const coords = cells.length - 1;
  if (coords % dimension !== 0) {
    throw new Error(
      `${where}: ${coords} coordinate columns is not a multiple of ${dimension} (${dimension}D header)`,
    );
  }
  const count = coords / dimension;
  for (let c = 1; c < cells.length; c++) {
    const expected = `${AXES[(c - 1) % dimension]}${Math.floor((c - 1) / dimension) + 1}`;
    if (cells[c]!.toLowerCase() !== expected) {
      throw new Error(
        `${where}, column ${c + 1}: header cell "${cells[c]}", expected "${expected}"`,
      );
    }
  }
  return { dimension, count };
}

/** Parses one coordinate cell; returns NaN for a missing cell when allowed, otherwise throws. */
function parseCell(cell: string, allowMissing: boolean, where: string): number {
  if (allowMissing && (cell === '' || cell.toLowerCase() === 'nan')) return Number.NaN;
  // Number('') is 0 and Number(' 1 ') trims, so check the syntax first.
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) ? Number(cell) : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new Error(`${where}: "${cell}" is not a finite number`);
  }
  return value;
}

/** Parses one data row into a shape (pixels), checking that a landmark is either complete or missing. */
function parseRow(
  cells: string[],
  dimension: TableDimension,
  count: number,
  allowMissing: boolean,
  where: string,
): number[][] {
  if (cells.length !== count * dimension + 1) {
    throw new Error(`${where}: ${cells.length} cells, expected ${count * dimension + 1}`);
  }
  const shape: number[][] = [];
  for (let l = 0; l < count; l++) {
    const point: number[] = [];
    for (let a = 0; a < dimension; a++) {
      const c = 1 + l * dimension + a;
      point.push(parseCell(cells[c]!, allowMissing, `${where}, column ${c + 1}`));
    }
    const missing = point.filter(Number.isNaN).length;
    if (missing !== 0 && missing !== dimension) {
      throw new Error(`${where}: landmark ${l + 1} has some coordinates missing and some not`);
    }
    shape.push(point);
  }
  return shape;
}

/**
 * Parses a landmark CSV. The header fixes the dimension (`z1` as 4th column → 3D) and the landmark
 * count. Errors name the source, the 1-based line and column, and what is wrong.
 * @returns shapes in pixels, keyed by the `image` cell as written (use {@link selectRows} to match ids).
 */
export function parseLandmarkTable(text: string, options: ParseTableOptions = {}): LandmarkTable {
  const source = options.source ?? 'landmark table';
  const lines = splitLines(text);
  if (lines.length === 0) throw new Error(`${source}: empty landmark table`);
  const { dimension, count } = parseHeader(lines[0]!.cells, `${source}, line ${lines[0]!.line}`);
  const rows = new Map<string, number[][]>();
  for (const { line, cells } of lines.slice(1)) {
    const where = `${source}, line ${line}`;
    const id = cells[0]!;
    if (id === '') throw new Error(`${where}, column 1: empty image id`);
    if (rows.has(id)) throw new Error(`${where}, column 1: image "${id}" appears twice`);
    rows.set(id, parseRow(cells, dimension, count, options.allowMissing ?? false, where));
  }
  return { dimension, landmarkCount: count, rows };
}

/** Writes a number without float noise beyond `digits` decimals; NaN (missing) becomes an empty cell. */
function formatNumber(value: number, digits: number | undefined): string {
  if (Number.isNaN(value)) return '';
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} into a landmark table`);
  const rounded = digits === undefined ? value : Number(value.toFixed(digits));
  // String(-0) is "0"; keep the sign so that a round trip is bit for bit.
  return Object.is(rounded, -0) ? '-0' : String(rounded);
}

/**
 * Formats shapes (pixels) as a landmark CSV with header `image,x1,y1[,z1],...`. Missing landmarks (NaN)
 * are written as empty cells. `digits` rounds to that many decimals; default writes the shortest exact
 * representation, so parse(format(t)) gives t back bit for bit.
 */
export function formatLandmarkTable(
  table: LandmarkTable,
  options: { digits?: number } = {},
): string {
  const { dimension, landmarkCount } = table;
  const header = ['image'];
  for (let l = 1; l <= landmarkCount; l++) {
    for (let a = 0; a < dimension; a++) header.push(`${AXES[a]}${l}`);
  }
  const lines = [header.join(',')];
  for (const [id, shape] of table.rows) {
    if (shape.length !== landmarkCount || shape.some((p) => p.length !== dimension)) {
      throw new Error(`image "${id}": shape is not ${landmarkCount} × ${dimension}`);
    }
    lines.push([id, ...shape.flat().map((v) => formatNumber(v, options.digits))].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Parses an id list: one image id a line; blank lines and lines starting with `#` are skipped.
 * Throws (naming source and line) on a duplicate id.
 */
export function parseIdList(text: string, options: { source?: string } = {}): string[] {
  const source = options.source ?? 'id list';
  const ids: string[] = [];
  const seen = new Set<string>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const id = raw.trim();
      if (id === '' || id.startsWith('#')) return;
      const key = normaliseImageId(id);
      if (seen.has(key)) throw new Error(`${source}, line ${i + 1}: id "${id}" appears twice`);
      seen.add(key);
      ids.push(id);
    });
  return ids;
}

/**
 * Canonical form of an image id for matching: trims, drops a directory and an image/DICOM file
 * extension, and drops leading zeros of a purely numeric id ("./001.jpg" → "1", "001" → "1").
 */
export function normaliseImageId(id: string): string {
  let key = id.trim().replace(/^.*[\\/]/, '');
  key = key.replace(/\.(jpe?g|png|bmp|tiff?|dcm|dicom|nii(\.gz)?|nrrd|mha|mhd)$/i, '');
  if (/^\d+$/.test(key)) key = key.replace(/^0+(?=\d)/, '');
  return key;
}

/**
 * Picks the rows named in `ids` (in that order), matching ids with {@link normaliseImageId} so that
 * "001", "001.jpg" and "1" all find the row "001". Throws, naming the source, if an id has no row or
 * matches two rows.
 */
export function selectRows(
  table: LandmarkTable,
  ids: readonly string[],
  options: { source?: string } = {},
): LandmarkTable {
  const source = options.source ?? 'landmark table';
  const byKey = new Map<string, string>();
  for (const id of table.rows.keys()) {
    const key = normaliseImageId(id);
    const other = byKey.get(key);
    if (other !== undefined)
      throw new Error(`${source}: images "${other}" and "${id}" are the same id`);
    byKey.set(key, id);
  }
  const rows = new Map<string, number[][]>();
  for (const id of ids) {
    const found = byKey.get(normaliseImageId(id));
    if (found === undefined) throw new Error(`${source}: no row for image "${id}"`);
    rows.set(found, table.rows.get(found)!);
  }
  return { dimension: table.dimension, landmarkCount: table.landmarkCount, rows };
}
