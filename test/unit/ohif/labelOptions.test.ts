/**
 * Label options of the panel (issue 14 item 3): per-landmark show/hide and numbers only, kept for
 * the browser tab's session; and the text each landmark shows.
 */
import { describe, expect, it } from 'vitest';
import {
  LABEL_OPTIONS_KEY,
  loadLabelOptions,
  saveLabelOptions,
  withLabelOptions,
  type OptionsStorage,
} from '../../../extension/src/ohif/controller/labelOptions.ts';
import labelText, { DEFAULT_LABEL_OPTIONS } from '../../../extension/src/ohif/tools/labelText.ts';

const ORDER = ['Sella', 'Nasion', 'Orbitale'];

function memoryStorage(initial: Record<string, string> = {}): OptionsStorage & {
  data: Record<string, string>;
} {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('labelText', () => {
  it('shows the name by default, the template number in numbers-only mode', () => {
    expect(labelText('Nasion', DEFAULT_LABEL_OPTIONS, ORDER)).toBe('Nasion');
    const numbers = { ...DEFAULT_LABEL_OPTIONS, numbersOnly: true };
    expect(ORDER.map((n) => labelText(n, numbers, ORDER))).toEqual(['1', '2', '3']);
    // A landmark outside the template keeps its name rather than a wrong number.
    expect(labelText('Porion', numbers, ORDER)).toBe('Porion');
  });

  it('hides a hidden landmark’s label, and every label when names are off', () => {
    const hidden = { ...DEFAULT_LABEL_OPTIONS, hidden: ['Nasion'] };
    expect(labelText('Nasion', hidden, ORDER)).toBeUndefined();
    expect(labelText('Sella', hidden, ORDER)).toBe('Sella');
    expect(
      labelText('Sella', { ...DEFAULT_LABEL_OPTIONS, showNames: false }, ORDER),
    ).toBeUndefined();
  });
});

describe('label options', () => {
  it('applies only the valid fields of a change and never mutates', () => {
    const current = { showNames: true, numbersOnly: false, hidden: ['Sella'] };
    const next = withLabelOptions(current, { numbersOnly: true, showNames: 'no', evt: {} });
    expect(next).toEqual({ showNames: true, numbersOnly: true, hidden: ['Sella'] });
    expect(current.numbersOnly).toBe(false);
    expect(withLabelOptions(current, { hidden: ['Nasion', 3, 'Nasion'] }).hidden).toEqual([
      'Nasion',
    ]);
    expect(withLabelOptions(current, undefined)).toEqual(current);
  });

  it('keeps the options for the session: saved, then loaded as they were', () => {
    const storage = memoryStorage();
    expect(loadLabelOptions(storage)).toEqual(DEFAULT_LABEL_OPTIONS);
    const options = { showNames: true, numbersOnly: true, hidden: ['Menton', 'Gnathion'] };
    saveLabelOptions(options, storage);
    expect(JSON.parse(storage.data[LABEL_OPTIONS_KEY]!)).toEqual(options);
    expect(loadLabelOptions(storage)).toEqual(options);
  });

  it('falls back to the defaults on a damaged entry or without storage', () => {
    expect(loadLabelOptions(memoryStorage({ [LABEL_OPTIONS_KEY]: '{oops' }))).toEqual(
      DEFAULT_LABEL_OPTIONS,
    );
    expect(loadLabelOptions(undefined)).toEqual(DEFAULT_LABEL_OPTIONS);
    const full: OptionsStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => saveLabelOptions(DEFAULT_LABEL_OPTIONS, full)).not.toThrow();
  });
});
