// The folder-item helpers `landmarks train` and `landmarks predict` share for images and volumes.
import { describe, expect, it } from 'vitest';
import { itemFinder, landmarkRow, predictEach } from '../../../extension/src/node/folderItems.ts';

const listed = new Map([
  ['001', '/d/001.jpg'],
  ['002', '/d/002.jpg'],
  ['003', '/d/003.jpg'],
]);

describe('folder items', () => {
  it('finds ids as the landmark table writes them (leading zeros, extension)', () => {
    const find = itemFinder(listed);
    expect(find('1')).toEqual({ id: '001', entry: '/d/001.jpg' });
    expect(find('002.bmp')).toEqual({ id: '002', entry: '/d/002.jpg' });
    expect(find('9')).toBeUndefined();
  });

  it('gives the landmark row of an item, or an error naming it', () => {
    const table = new Map([['001.bmp', [[1, 2]]]]);
    expect(landmarkRow(table, 'image', '1')).toEqual([[1, 2]]);
    expect(() => landmarkRow(table, 'volume', '7')).toThrow(
      'volume "7": no row in the landmark table',
    );
  });

  it('predicts each item in order; a missing or failing one is reported, named, and skipped', async () => {
    const done: string[] = [];
    const failed = await predictEach(
      ['3', '9', '1', '2'],
      listed,
      { kind: 'image', label: 'test', missing: () => 'no file in /d' },
      async (id, file) => {
        if (id === '001') throw new Error('JPEG: bad marker');
        if (id === '002') throw new Error(`image "002" is 0×0`);
        done.push(`${id}:${file}`);
      },
    );
    expect(done).toEqual(['003:/d/003.jpg']);
    expect(failed).toEqual([
      { id: '9', reason: 'image "9": no file in /d' },
      { id: '001', reason: 'image "001": JPEG: bad marker' },
      { id: '002', reason: 'image "002" is 0×0' },
    ]);
  });
});
