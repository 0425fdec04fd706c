/**
 * Drawing one placed label (issue 14 item 3): the text over a dark halo (SVG paint-order stroke), in
 * its box, and a leader line only while the label is away from its default spot. Uses a minimal fake
 * of the SVG DOM and of Cornerstone's SVG node cache (the unit project runs in Node, without a DOM).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  drawName,
  HALO,
  LABEL_PAD,
  labelBoxSize,
  NAME_IDS,
  type DrawnLabel,
} from '../../../extension/src/ohif/tools/drawName.ts';
import { estimateText } from '../../../extension/src/ohif/tools/createTextMeasurer.ts';

class FakeElement {
  attributes = new Map<string, string>();
  children: FakeElement[] = [];
  parent?: FakeElement;
  textContent = '';
  constructor(readonly tagName: string) {}
  getAttribute(k: string) {
    return this.attributes.get(k) ?? null;
  }
  setAttribute(k: string, v: string) {
    this.attributes.set(k, v);
  }
  appendChild(c: FakeElement) {
    c.parent = this;
    this.children.push(c);
    return c;
  }
  insertBefore(c: FakeElement, before: FakeElement) {
    c.parent = this;
    this.children.splice(this.children.indexOf(before), 0, c);
    return c;
  }
  querySelector(tag: string) {
    return this.children.find((c) => c.tagName === tag) ?? null;
  }
  remove() {
    this.parent?.children.splice(this.parent.children.indexOf(this), 1);
  }
}

/** Cornerstone's per-canvas SVG node cache, as getSvgDrawingHelper hands it to tools. */
function helper() {
  const cache = new Map<string, FakeElement>();
  const touched: string[] = [];
  return {
    cache,
    touched,
    getSvgNode: (hash: string) => cache.get(hash),
    appendNode: (node: FakeElement, hash: string) => cache.set(hash, node),
    setNodeTouched: (hash: string) => touched.push(hash),
  };
}

const label = (moved: boolean): DrawnLabel => ({
  annotationUID: 'uid-1',
  textUID: 'landmark-name',
  text: 'Menton',
  anchor: [100, 50],
  box: moved
    ? { left: 40, top: 70, width: 50, height: 21 }
    : { left: 106, top: 39.5, width: 50, height: 21 },
  moved,
  ids: NAME_IDS,
});

describe('drawName', () => {
  const saved = (globalThis as { document?: unknown }).document;
  beforeEach(() => {
    (globalThis as { document?: unknown }).document = {
      createElementNS: (_ns: string, tag: string) => new FakeElement(tag),
    };
  });
  afterEach(() => {
    (globalThis as { document?: unknown }).document = saved;
  });

  it('draws the text in its status colour over a dark halo painted first', () => {
    const h = helper();
    drawName(h, label(false), { color: 'rgb(0, 220, 0)', fontSize: '14px' });
    const group = [...h.cache.values()][0]!;
    expect(group.getAttribute('data-annotation-uid')).toBe('uid-1');
    expect(group.getAttribute('data-id')).toBe(NAME_IDS.text);
    const text = group.querySelector('text')!;
    expect(text.textContent).toBe('Menton');
    expect(Object.fromEntries(text.attributes)).toMatchObject({
      fill: 'rgb(0, 220, 0)',
      stroke: HALO.color,
      'stroke-width': String(HALO.width),
      'paint-order': 'stroke',
      'dominant-baseline': 'central',
      x: String(106 + LABEL_PAD),
      y: String(39.5 + 21 / 2),
    });
    expect(group.querySelector('line')).toBeNull();
  });

  it('adds a leader line while the label is moved, removes it when back, and reuses its node', () => {
    const h = helper();
    drawName(h, label(true), {});
    const group = [...h.cache.values()][0]!;
    const line = group.querySelector('line')!;
    expect(line.getAttribute('data-id')).toBe(NAME_IDS.leader);
    // From 3 px beside the point towards the box, to the box's nearest corner (90, 70).
    expect(Number(line.getAttribute('x2'))).toBe(90);
    expect(Number(line.getAttribute('y2'))).toBe(70);
    expect(group.children.map((c) => c.tagName)).toEqual(['line', 'text']);
    drawName(h, label(false), {});
    expect(h.cache.size).toBe(1);
    expect(h.touched).toHaveLength(1);
    expect(group.querySelector('line')).toBeNull();
  });

  it('sizes the box from the measured text plus its padding, one line high', () => {
    const size = labelBoxSize('Menton', { fontSize: '14px' }, estimateText);
    expect(size.width).toBe(Math.ceil(estimateText('Menton', '600 14px x')) + 2 * LABEL_PAD);
    expect(size.height).toBe(Math.ceil(14 * 1.2) + 2 * LABEL_PAD);
  });
});
