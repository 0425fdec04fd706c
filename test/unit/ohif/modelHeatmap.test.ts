/**
 * Heatmap confidence, the overlay map, the overlay's placement on the image, the model-URL allow-list
 * and the "already pseudo-labelled by this model" rule (issue 5). Hand-computed cases on non-square
 * maps (a swapped row/column fails).
 */
import { describe, expect, it } from 'vitest';
import computeLetterbox, {
  toInputPixels,
} from '../../../extension/src/core/data/computeLetterbox.ts';
import type { LandmarkSrInfo } from '../../../extension/src/dicom/srReader.ts';
import heatmapConfidence from '../../../extension/src/core/heatmap/heatmapConfidence.ts';
import heatmapImageRect from '../../../extension/src/ohif/services/heatmapImageRect.ts';
import heatmapOverlayMap from '../../../extension/src/ohif/services/heatmapOverlayMap.ts';
import type { ModelInfo } from '../../../extension/src/ohif/services/modelBundle.ts';
import {
  checkModelUrl,
  configuredModelOrigins,
} from '../../../extension/src/ohif/services/modelUrlPolicy.ts';
import type { StudyImage } from '../../../extension/src/ohif/services/trainingSet.ts';
import { labelledByModel, MODEL_NAME } from '../../../extension/src/ohif/trainingController.ts';

/** [H=2, W=3, n=3] maps, channel last: value of (y, x, t). */
function maps(values: Record<string, number>): Float32Array {
  const out = new Float32Array(2 * 3 * 3);
  for (const [key, v] of Object.entries(values)) {
    const [y, x, t] = key.split(',').map(Number) as [number, number, number];
    out[(y * 3 + x) * 3 + t] = v;
  }
  return out;
}

describe('heatmapConfidence', () => {
  // t=0: all mass in the cell (y=1, x=2); t=1: equal mass in (0,0) and (0,2), mean between them,
  // each 1 px = 3 mm away in x; t=2: nothing positive (a negative value is ignored).
  const heat = maps({ '1,2,0': 5, '0,0,1': 2, '0,2,1': 2, '1,1,2': -1 });

  it('a peak in one cell: confidence 1, spread 0', () => {
    const [c] = heatmapConfidence(heat, [2, 3, 3], [3, 0.5]);
    expect(c).toEqual({ confidence: 1, spreadMm: 0 });
  });

  it('two cells one pixel from the mean: spread = that distance; inside, as R is at least a pixel', () => {
    // sx = 3 mm: R = max(2, 3, 0.5) = 3 mm, both cells 3 mm away → all inside.
    expect(heatmapConfidence(heat, [2, 3, 3], [3, 0.5])[1]).toEqual({
      confidence: 1,
      spreadMm: 3,
    });
    // The spacings swapped: the cells are 0.5 mm away (a swapped row/column would give 3 mm).
    expect(heatmapConfidence(heat, [2, 3, 3], [0.5, 3])[1]).toEqual({
      confidence: 1,
      spreadMm: 0.5,
    });
  });

  it('mass two pixels away: outside 2 mm, inside a 3 mm radius', () => {
    // H=1, W=5, n=1: equal mass at x=0 and x=4, mean at 2.5, each 2 px = 3 mm away (sx = 1.5 mm).
    const row = Float32Array.from([1, 0, 0, 0, 1]);
    expect(heatmapConfidence(row, [1, 5, 1], [1.5, 1])).toEqual([{ confidence: 0, spreadMm: 3 }]);
    expect(heatmapConfidence(row, [1, 5, 1], [1.5, 1], 3)[0]!.confidence).toBe(1);
    // One of three masses in the centre cell: 1/3 within 2 mm.
    const three = Float32Array.from([1, 0, 1, 0, 1]);
    expect(heatmapConfidence(three, [1, 5, 1], [1.5, 1])[0]!.confidence).toBeCloseTo(1 / 3, 12);
  });

  it('an empty map: confidence 0, spread Infinity; a wrong size is refused', () => {
    expect(heatmapConfidence(heat, [2, 3, 3], [1, 1])[2]).toEqual({
      confidence: 0,
      spreadMm: Number.POSITIVE_INFINITY,
    });
    expect(() => heatmapConfidence(heat, [3, 2, 2], [1, 1])).toThrow(
      /18 values for shape \[3, 2, 2\]/,
    );
  });
});

describe('heatmapOverlayMap', () => {
  const heat = maps({ '1,2,0': 4, '0,1,0': 1, '0,1,1': 2, '1,0,1': 1 });

  it('max over landmarks of each map rescaled between its own min and max', () => {
    // Minima are 0: cell (0,1): max(1/4, 2/2) = 1; (1,0): 1/2; (1,2): 4/4 = 1.
    expect(Array.from(heatmapOverlayMap(heat, [2, 3, 3]))).toEqual([0, 1, 0, 0.5, 0, 1]);
    // An offset map (all values + 10) gives the same picture; a flat map gives 0.
    const offset = heat.map((v, i) => (i % 3 === 2 ? 7 : v + 10));
    expect(Array.from(heatmapOverlayMap(offset, [2, 3, 3]))).toEqual([0, 1, 0, 0.5, 0, 1]);
  });

  it('with a region: min and max over the cells inside it, 0 outside', () => {
    // Region = cells with centre x in [0, 2] (columns 0 and 1): channel 0 there: 0, 1, 0, 0 → (0,1) = 1;
    // channel 1: 0, 2, 1, 0 → (0,1) = 1, (1,0) = 0.5; column 2 is outside.
    expect(
      Array.from(heatmapOverlayMap(heat, [2, 3, 3], undefined, { x0: 0, x1: 2, y0: 0, y1: 2 })),
    ).toEqual([0, 1, 0, 0.5, 0, 0]);
  });

  it('one landmark only; an index outside the maps is refused', () => {
    expect(Array.from(heatmapOverlayMap(heat, [2, 3, 3], 0))).toEqual([0, 0.25, 0, 0, 0, 1]);
    expect(() => heatmapOverlayMap(heat, [2, 3, 3], 3)).toThrow(/landmark 3 outside 0..2/);
  });
});

describe('heatmapImageRect', () => {
  it('inverts the letterbox at the map corners (hand-computed)', () => {
    const box = {
      scaleX: 0.5,
      scaleY: 0.25,
      offsetX: 2,
      offsetY: 4,
      inputWidth: 10,
      inputHeight: 20,
    };
    expect(heatmapImageRect(box, 10, 20)).toEqual({
      topLeft: [-4, -16],
      topRight: [16, -16],
      bottomLeft: [-4, 64],
    });
  });

  it('maps back the input positions of image points (320 × 256 image into 64 × 48)', () => {
    const box = computeLetterbox(320, 256, [48, 64]);
    const r = heatmapImageRect(box, 64, 48);
    for (const [x, y] of [
      [0, 0],
      [320, 256],
      [100, 37],
    ] as const) {
      const [[u, v]] = toInputPixels([[x, y]], box) as [[number, number]];
      const back = [
        r.topLeft[0] + (u / 64) * (r.topRight[0] - r.topLeft[0]),
        r.topLeft[1] + (v / 48) * (r.bottomLeft[1] - r.topLeft[1]),
      ];
      expect(back[0]).toBeCloseTo(x, 9);
      expect(back[1]).toBeCloseTo(y, 9);
    }
  });
});

describe('model URL allow-list', () => {
  const page = 'http://localhost:3000';

  it('allows the page origin (relative or absolute) and configured origins', () => {
    expect(checkModelUrl('/plugins/m.json', page)).toBe('http://localhost:3000/plugins/m.json');
    expect(checkModelUrl('http://localhost:3000/x.json', page)).toBe(
      'http://localhost:3000/x.json',
    );
    expect(
      checkModelUrl('https://models.example.org/a/m.json', page, ['https://models.example.org/']),
    ).toBe('https://models.example.org/a/m.json');
  });

  it('refuses other origins, other ports and non-http schemes, naming the allowed ones', () => {
    expect(() => checkModelUrl('https://evil.example.com/m.json', page)).toThrow(
      /origin https:\/\/evil.example.com is not allowed \(allowed: http:\/\/localhost:3000;/,
    );
    expect(() => checkModelUrl('http://localhost:3001/m.json', page)).toThrow(/not allowed/);
    expect(() => checkModelUrl('data:application/json,{}', page)).toThrow(/only http\(s\)/);
    expect(() => checkModelUrl('http://[', page)).toThrow(/not a valid URL/);
  });

  it('reads landmarks.modelOrigins from the app config, strings only', () => {
    expect(configuredModelOrigins({ landmarks: { modelOrigins: ['https://a.org', 3] } })).toEqual([
      'https://a.org',
    ]);
    expect(configuredModelOrigins(undefined)).toEqual([]);
    expect(configuredModelOrigins({ landmarks: { modelOrigins: 'https://a.org' } })).toEqual([]);
  });
});

describe('resumed pseudo-labelling skips what this model already labelled', () => {
  const model = { id: '0123456789abcdef' } as ModelInfo;
  const image = (status: string, name: string, version: string): StudyImage =>
    ({
      current: {
        set: { landmarks: [{ name: 'A', position: [1, 2], status }], model: { name, version } },
      } as unknown as LandmarkSrInfo,
    }) as StudyImage;

  it('only a pseudo-label SR of the same model name and weights id counts', () => {
    expect(labelledByModel(image('pseudo-label', MODEL_NAME, model.id), model)).toBe(true);
    expect(labelledByModel(image('flagged-abnormal', MODEL_NAME, model.id), model)).toBe(true);
    expect(labelledByModel(image('pseudo-label', MODEL_NAME, 'fedcba9876543210'), model)).toBe(
      false,
    );
    expect(labelledByModel(image('pseudo-label', 'other-model', model.id), model)).toBe(false);
    expect(labelledByModel({} as StudyImage, model)).toBe(false);
  });
});
