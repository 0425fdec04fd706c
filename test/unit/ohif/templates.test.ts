import { describe, expect, it } from 'vitest';
import {
  BUILTIN_TEMPLATES,
  CBCT,
  CEPHALOGRAM,
  HAND,
  defaultTemplateFor,
  resolveTemplates,
} from '../../../extension/src/ohif/templates.ts';

describe('anatomy templates', () => {
  it('has the ISBI 2015 order for the cephalogram (README of the data set)', () => {
    expect(CEPHALOGRAM.landmarks).toHaveLength(19);
    expect(CEPHALOGRAM.landmarks[0]).toBe('Sella');
    expect(CEPHALOGRAM.landmarks[9]).toBe('Gonion');
    expect(CEPHALOGRAM.landmarks[18]).toBe('Articulare');
    expect(HAND.landmarks).toHaveLength(37);
    expect(CBCT.dimension).toBe(3);
    for (const t of BUILTIN_TEMPLATES) expect(new Set(t.landmarks).size).toBe(t.landmarks.length);
  });

  it('adds a valid user template and lets it replace a built-in by id', () => {
    const user = { id: 'spine', dimension: 2, landmarks: ['C2', 'C3', 'C4'] };
    const out = resolveTemplates([user, { id: 'hand', dimension: 2, landmarks: ['a', 'b', 'c'] }]);
    expect(out.map((t) => t.id)).toEqual(['cephalogram', 'hand', 'cbct', 'spine']);
    expect(out.find((t) => t.id === 'hand')?.landmarks).toEqual(['a', 'b', 'c']);
    expect(out.find((t) => t.id === 'spine')?.label).toBe('spine');
  });

  it('rejects bad user templates with a message naming the template and the problem', () => {
    expect(() => resolveTemplates({})).toThrow(/must be an array/);
    expect(() =>
      resolveTemplates([{ id: 'x y', dimension: 2, landmarks: ['a', 'b', 'c'] }]),
    ).toThrow(/templates\[0\].*id/);
    expect(() => resolveTemplates([{ id: 'k', dimension: 4, landmarks: ['a', 'b', 'c'] }])).toThrow(
      /\(k\): dimension/,
    );
    expect(() => resolveTemplates([{ id: 'k', dimension: 2, landmarks: ['a', 'a', 'b'] }])).toThrow(
      /unique/,
    );
    expect(() => resolveTemplates([{ id: 'k', dimension: 2, landmarks: ['a'] }])).toThrow(
      /at least 3/,
    );
  });

  it('picks CBCT for CT studies and the cephalogram for X-rays', () => {
    expect(defaultTemplateFor(['CT', 'SR'])).toBe('cbct');
    expect(defaultTemplateFor(['DX'])).toBe('cephalogram');
    expect(defaultTemplateFor([])).toBe('cephalogram');
  });
});
