// Which ISBI images `npm start` imports: by itself only a few real cephalograms from ../shared beside
// the checkout, into the local demo PACS; never into the user's own PACS, never with --no-seed or
// --no-isbi; an explicit --isbi keeps its own folder and limit.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ISBI_LIMIT, startOptions } from '../../../scripts/serveStack.ts';

const withImages = mkdtempSync(join(tmpdir(), 'isbi-'));
mkdirSync(join(withImages, 'images'));
const missing = join(withImages, 'not-there');
const options = (args: string[], dir = withImages, env: NodeJS.ProcessEnv = {}) =>
  startOptions(['node', 'start.mjs', ...args], env, dir).isbi;

describe('npm start: the demo ISBI import', () => {
  it('imports a few real cephalograms into the local PACS when the shared data is there', () => {
    expect(options([])).toEqual({ dir: withImages, limit: DEMO_ISBI_LIMIT, labelled: undefined });
    expect(DEMO_ISBI_LIMIT).toBeGreaterThanOrEqual(2);
  });

  it('imports nothing without the data, with --no-isbi or --no-seed, or into another PACS', () => {
    expect(options([], missing)).toBeUndefined();
    expect(options(['--no-isbi'])).toBeUndefined();
    expect(options(['--no-seed'])).toBeUndefined();
    expect(options(['--pacs', 'http://pacs.example/dicom-web'])).toBeUndefined();
    expect(
      options([], withImages, { LANDMARKS_DICOMWEB_URL: 'http://pacs.example/dicom-web' }),
    ).toBeUndefined();
  });

  it('keeps an explicit --isbi folder and limit', () => {
    expect(options(['--isbi', '/data/isbi'])).toEqual({
      dir: '/data/isbi',
      limit: undefined,
      labelled: undefined,
    });
    expect(options(['--isbi', '/data/isbi', '--isbi-limit', '20'], missing)?.limit).toBe(20);
  });
});
