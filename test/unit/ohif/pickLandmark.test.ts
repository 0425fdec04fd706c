/**
 * Hit-testing of landmark points and undo of moves (issue 14): in review, with Gonion selected in the
 * panel, dragging its point moved Sella (they overlap; Cornerstone grabs the first annotation in store
 * order) and Sella was saved as "corrected". Canvas positions are hand-made, non-square.
 */
import { describe, expect, it } from 'vitest';
import { MoveHistory } from '../../../extension/src/ohif/controller/moveHistory.ts';
import pickLandmark, {
  pickMessage,
  type PickCandidate,
} from '../../../extension/src/ohif/tools/pickLandmark.ts';

/** Sella first in store order, Gonion on top of it, Articulare 4 px to the right, Menton far off. */
const POINTS: PickCandidate[] = [
  { uid: 'u-sella', name: 'Sella', canvas: [100, 50] },
  { uid: 'u-gonion', name: 'Gonion', canvas: [100, 50] },
  { uid: 'u-articulare', name: 'Articulare', canvas: [104, 50] },
  { uid: 'u-menton', name: 'Menton', canvas: [300, 220] },
];
const PROXIMITY = 6;

describe('landmark hit-testing', () => {
  it('grabs the landmark selected in the panel when it is in reach, even under another one', () => {
    const pick = pickLandmark(POINTS, [101, 51], PROXIMITY, 'u-gonion');
    expect(pick).toMatchObject({ uid: 'u-gonion', name: 'Gonion', why: 'selected' });
    expect(pick?.others.map((o) => o.name)).toEqual(['Sella', 'Articulare']);
    // Nearer to Articulare, still the selected Gonion.
    expect(pickLandmark(POINTS, [103.5, 50], PROXIMITY, 'u-gonion')?.name).toBe('Gonion');
  });

  it('grabs the nearest point in reach when the selected one is not (or none is selected)', () => {
    expect(pickLandmark(POINTS, [104, 51], PROXIMITY)).toMatchObject({
      name: 'Articulare',
      why: 'nearest',
    });
    expect(pickLandmark(POINTS, [104, 51], PROXIMITY, 'u-menton')?.name).toBe('Articulare');
    // Equal distance: the first in store order.
    expect(pickLandmark(POINTS, [100, 50], PROXIMITY)?.name).toBe('Sella');
  });

  it('grabs nothing out of reach, and the only point in reach says so', () => {
    expect(pickLandmark(POINTS, [200, 50], PROXIMITY)).toBeUndefined();
    // 6 px away is out of reach (Cornerstone's mouse proximity: distance < 6).
    expect(pickLandmark(POINTS, [300, 226], PROXIMITY)).toBeUndefined();
    expect(pickLandmark(POINTS, [300, 225], PROXIMITY)).toMatchObject({
      name: 'Menton',
      why: 'only',
      distance: 5,
      others: [],
    });
  });

  it('says which point it grabbed and why', () => {
    expect(pickMessage(pickLandmark(POINTS, [300, 222], PROXIMITY)!)).toBe('Moving Menton');
    expect(pickMessage(pickLandmark(POINTS, [104, 50], PROXIMITY)!)).toBe(
      'Moving Articulare: the nearest of 3 points under the cursor (also Sella 4 px, Gonion 4 px)',
    );
    expect(pickMessage(pickLandmark(POINTS, [100, 50], PROXIMITY, 'u-gonion')!)).toBe(
      'Moving Gonion: selected in the list, of 3 points under the cursor (also Sella 0 px, Articulare 4 px)',
    );
  });
});

describe('move history', () => {
  it('records a drag only when the point moved, and undoes the newest move first', () => {
    const h = new MoveHistory();
    h.start('u-gonion', 'Gonion', [1, 2, 0]);
    expect(h.end('u-gonion', [1, 2, 0])).toBeUndefined();
    h.start('u-gonion', 'Gonion', [1, 2, 0]);
    expect(h.end('u-gonion', [5, 2, 0])).toEqual({
      uid: 'u-gonion',
      name: 'Gonion',
      before: [1, 2, 0],
      after: [5, 2, 0],
    });
    h.record({ uid: 'u-sella', name: 'Sella', before: [0, 0, 0], after: [3, 4, 0] });
    expect(h.last()?.name).toBe('Sella');
    expect(h.pop()?.before).toEqual([0, 0, 0]);
    expect(h.pop()?.name).toBe('Gonion');
    expect(h.pop()).toBeUndefined();
  });

  it('ignores the end of a press on another annotation, and keeps at most `limit` moves', () => {
    const h = new MoveHistory(2);
    h.start('a', 'A', [0, 0]);
    expect(h.end('b', [9, 9])).toBeUndefined();
    for (const k of [1, 2, 3]) h.record({ uid: 'a', name: `A${k}`, before: [0, 0], after: [k, 0] });
    expect([h.pop()?.name, h.pop()?.name, h.pop()]).toEqual(['A3', 'A2', undefined]);
  });
});
