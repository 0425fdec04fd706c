import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import {
  formatLandmarkTable,
  normaliseImageId,
  parseIdList,
  parseLandmarkTable,
  selectRows,
} from '../../../extension/src/core/data/landmarkTable.ts';
import { mmToPixels, pixelsToMm } from '../../../extension/src/core/shape/spacing.ts';

const SHARED = new URL('../../../../shared/data/', import.meta.url);

describe('parseLandmarkTable', () => {
  it('reads a 2D table with its header, ids as written and pixel coordinates', () => {
    const t = parseLandmarkTable('image,x1,y1,x2,y2\r\n001,1.5,2,3,4e1\n002,-1,0,.5,7\n', {
      source: 'a.csv',
    });
    expect(t.dimension).toBe(2);
    expect(t.landmarkCount).toBe(2);
    expect([...t.rows.keys()]).toEqual(['001', '002']);
    expect(t.rows.get('001')).toEqual([
      [1.5, 2],
      [3, 40],
    ]);
  });

  it('reads a 3D table when the fourth column is z1', () => {
    const t = parseLandmarkTable('image,x1,y1,z1,x2,y2,z2\na,1,2,3,4,5,6\n');
    expect(t.dimension).toBe(3);
    expect(t.rows.get('a')).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it.each([
    ['image,x1,y1\n1,abc,2\n', /a\.csv, line 2, column 2: "abc" is not a finite number/],
    ['image,x1,y1\n1,NaN,2\n', /line 2, column 2: "NaN"/],
    ['image,x1,y1\n1,,2\n', /line 2, column 2: "" is not a finite number/],
    ['image,x1,y1\n1,Infinity,2\n', /line 2, column 2/],
    ['image,x1,y1\n\n1,2\n', /line 3: 2 cells, expected 3/],
    ['image,x1,y2\n', /line 1, column 3: header cell "y2", expected "y1"/],
    ['id,x1,y1\n', /header must start with "image,x1,y1"/],
    ['image,x1,y1\n1,1,2\n1,3,4\n', /line 3, column 1: image "1" appears twice/],
    ['', /empty landmark table/],
  ])('rejects bad input %j with a located error', (text, message) => {
    expect(() => parseLandmarkTable(text, { source: 'a.csv' })).toThrow(message);
  });

  it('accepts missing landmarks only when asked, and only whole landmarks', () => {
    const t = parseLandmarkTable('image,x1,y1,x2,y2\na,,,3,4\nb,nan,NaN,1,1\n', {
      allowMissing: true,
    });
    expect(t.rows.get('a')![0]).toEqual([NaN, NaN]);
    expect(t.rows.get('b')![0]).toEqual([NaN, NaN]);
    expect(() =>
      parseLandmarkTable('image,x1,y1\na,,4\n', { allowMissing: true, source: 'p.csv' }),
    ).toThrow(/p\.csv, line 2: landmark 1 has some coordinates missing/);
  });
});

describe('formatLandmarkTable', () => {
  it('round-trips any finite table bit for bit', () => {
    const coord = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    fc.assert(
      fc.property(
        fc.constantFrom<2 | 3>(2, 3),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(coord, { minLength: 15, maxLength: 15 }), { minLength: 1, maxLength: 4 }),
        (dimension, n, flats) => {
          const rows = new Map(
            flats.map((f, i) => [
              `img${i}`,
              Array.from({ length: n }, (_, l) => f.slice(l * dimension, (l + 1) * dimension)),
            ]),
          );
          const back = parseLandmarkTable(
            formatLandmarkTable({ dimension, landmarkCount: n, rows }),
          );
          expect(back).toEqual({ dimension, landmarkCount: n, rows });
        },
      ),
    );
  });

  it('writes missing landmarks as empty cells and rounds when asked', () => {
    const text = formatLandmarkTable(
      {
        dimension: 2,
        landmarkCount: 2,
        rows: new Map([
          [
            'x',
            [
              [NaN, NaN],
              [1.23456, 2],
            ],
          ],
        ]),
      },
      { digits: 2 },
    );
    expect(text).toBe('image,x1,y1,x2,y2\nx,,,1.23,2\n');
  });
});

describe('id lists', () => {
  it('parses one id a line, skipping blanks and comments, rejecting duplicates', () => {
    expect(parseIdList('001\n# c\n\n 002 \r\n')).toEqual(['001', '002']);
    expect(() => parseIdList('1\n001.jpg\n', { source: 'ids.txt' })).toThrow(
      /ids\.txt, line 2: id "001\.jpg" appears twice/,
    );
  });

  it('matches "001", "001.jpg", "images/001.jpg" and "1" to the row "001"', () => {
    expect(normaliseImageId('images/001.jpg')).toBe('1');
    expect(normaliseImageId('0')).toBe('0');
    expect(normaliseImageId('a01.png')).toBe('a01');
    const t = parseLandmarkTable('image,x1,y1\n001,1,2\n002,3,4\n');
    for (const id of ['002', '002.jpg', 'x/002.JPG', '2']) {
      expect([...selectRows(t, [id]).rows.keys()]).toEqual(['002']);
    }
    expect(() => selectRows(t, ['003'], { source: 'l.csv' })).toThrow(
      /l\.csv: no row for image "003"/,
    );
  });

  describe.skipIf(!existsSync(new URL('isbi2015/train.txt', SHARED)))('on the ISBI files', () => {
    it('selects the 150 training and 150 Test1 shapes, 19 landmarks each', () => {
      const table = parseLandmarkTable(
        readFileSync(new URL('isbi2015/landmarks_mean.csv', SHARED), 'utf8'),
      );
      expect(table.landmarkCount).toBe(19);
      for (const split of ['train', 'test1']) {
        const ids = parseIdList(readFileSync(new URL(`isbi2015/${split}.txt`, SHARED), 'utf8'));
        expect(selectRows(table, ids).rows.size).toBe(150);
      }
    });
  });
});

describe('pixel ↔ mm', () => {
  it('scales per axis and back, keeping NaN as missing', () => {
    const mm = pixelsToMm(
      [
        [10, 20, 30],
        [NaN, NaN, NaN],
      ],
      [0.1, 0.2, 0.3],
    );
    expect(mm[0]![0]).toBeCloseTo(1, 12);
    expect(mm[0]![1]).toBeCloseTo(4, 12);
    expect(mm[0]![2]).toBeCloseTo(9, 12);
    expect(mm[1]).toEqual([NaN, NaN, NaN]);
    expect(mmToPixels(mm, [0.1, 0.2, 0.3])[0]![2]).toBeCloseTo(30, 12);
  });

  it.each([[0], [-1], [NaN], [[0.1]], [undefined]])('rejects spacing %j', (spacing) => {
    expect(() => pixelsToMm([[1, 2]], spacing as number)).toThrow(/spacing/);
  });
});
