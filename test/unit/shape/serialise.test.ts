// JSON model: format version, bit-for-bit reload, and clear errors for damaged files.
import { describe, expect, it } from 'vitest';
import {
  fitShapeModel,
  parseShapeModel,
  regulateShape,
  serialiseShapeModel,
} from '../../../extension/src/core/shape/index.ts';
import { makeShapePopulation } from '../../../extension/src/core/shape/randomShapes.ts';

const shapes = makeShapePopulation({ landmarks: 8, dimension: 3, count: 30, seed: 31 });
const model = fitShapeModel(shapes, { landmarkNames: 'ABCDEFGH'.split('') });

describe('shape model JSON', () => {
  it('carries format, version, units, dimension and landmark names', () => {
    const json = JSON.parse(serialiseShapeModel(model)) as Record<string, unknown>;
    expect(json).toMatchObject({
      format: 'landmarks-shape-model',
      version: 1,
      units: 'mm',
      dimension: 3,
      landmarkNames: 'ABCDEFGH'.split(''),
      trainingCount: 30,
    });
  });

  it('reloads bit for bit, and the reloaded model regulates identically', () => {
    const text = serialiseShapeModel(model);
    const back = parseShapeModel(text, { source: 'm.json' });
    expect(back).toEqual(model);
    const bits = (m: object) =>
      new Float64Array(
        JSON.stringify(m)
          .match(/-?[\d.]+(e[-+]?\d+)?/g)!
          .map(Number),
      );
    expect(bits(back)).toEqual(bits(model));
    expect(serialiseShapeModel(back)).toBe(text);
    const probe = shapes[3]!.map((p, i) => (i === 2 ? p.map((v) => v + 9) : p));
    expect(regulateShape(back, probe)).toEqual(regulateShape(model, probe));
  });

  it.each([
    ['not json', () => '{', /m\.json: .*JSON/],
    ['format', (o: Record<string, unknown>) => ({ ...o, format: 'x' }), /not a shape model/],
    [
      'version',
      (o: Record<string, unknown>) => ({ ...o, version: 2 }),
      /version 2, this program reads 1/,
    ],
    ['units', (o: Record<string, unknown>) => ({ ...o, units: 'px' }), /"units" must be "mm"/],
    [
      'sigma',
      (o: Record<string, unknown>) => ({ ...o, sigma: [0] }),
      /"sigma" must be an array of \d+/,
    ],
    [
      'NaN in the mean',
      (o: Record<string, unknown>) => ({
        ...o,
        meanShape: [[null, 1, 2], ...(o.meanShape as unknown[]).slice(1)],
      }),
      /"meanShape\[0\]\[0\]" must be a finite number, got null/,
    ],
    [
      'component length',
      (o: Record<string, unknown>) => ({
        ...o,
        components: (o.components as number[][]).map((c) => c.slice(1)),
      }),
      /"components\[0\]" must be an array of 24 numbers/,
    ],
    [
      'names',
      (o: Record<string, unknown>) => ({ ...o, landmarkNames: ['a'] }),
      /"landmarkNames" must be 8 strings/,
    ],
  ])('refuses a damaged file (%s), naming the source and the field', (_name, damage, message) => {
    const o = JSON.parse(serialiseShapeModel(model)) as Record<string, unknown>;
    const damaged = damage(o);
    const text = typeof damaged === 'string' ? damaged : JSON.stringify(damaged);
    expect(() => parseShapeModel(text, { source: 'm.json' })).toThrow(/^m\.json: /);
    expect(() => parseShapeModel(text, { source: 'm.json' })).toThrow(message);
  });
});
