// prepareRefinerImage: hand-computed box averages (ragged last row/column averaged over the pixels that
// exist), intensity normalisation to [0, 1], the level ↔ original pixel mapping, and clear errors.
import { describe, expect, it } from 'vitest';
import prepareRefinerImage, {
  toLevelPixels,
} from '../../../extension/src/core/refinement/prepareRefinerImage.ts';
import { sampleBilinear } from '../../../extension/src/core/refinement/extractPatch.ts';

describe('prepareRefinerImage', () => {
  it('box-averages by floor(mm per patch pixel / spacing) and normalises to [0, 1]', () => {
    // 5 × 3 image, values 0..14 row-major; spacing 0.1 mm, patches at 0.25 mm → factor 2 per axis.
    const pixels = Float32Array.from({ length: 15 }, (_, i) => i);
    const level = prepareRefinerImage({ width: 5, height: 3, pixels }, [0.1, 0.1], 0.25);
    expect(level.factor).toEqual([2, 2]);
    expect(level.spacingMm[0]).toBeCloseTo(0.2, 12);
    expect([level.width, level.height]).toEqual([3, 2]);
    // Blocks: {0,1,5,6}, {2,3,7,8}, {4,9}, {10,11}, {12,13}, {14}; then (v − 0) / 14.
    const expected = [3, 5, 6.5, 10.5, 12.5, 14].map((v) => v / 14);
    Array.from(level.pixels).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('keeps the resolution when the spacing is already coarser, per axis', () => {
    const pixels = Float32Array.from({ length: 12 }, (_, i) => 10 + i);
    const level = prepareRefinerImage({ width: 4, height: 3, pixels }, [0.5, 0.1], 0.4);
    expect(level.factor).toEqual([1, 4]);
    expect([level.width, level.height]).toEqual([4, 1]);
    expect(level.spacingMm).toEqual([0.5, 0.4]);
  });

  it('level pixel centres sit at the centres of their original blocks (linear ramp)', () => {
    const [w, h] = [16, 12];
    const ramp = (x: number, y: number) => x + 2 * y;
    const pixels = new Float32Array(w * h);
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++) pixels[j * w + i] = ramp(i + 0.5, j + 0.5);
    const level = prepareRefinerImage({ width: w, height: h, pixels }, [0.1, 0.1], 0.4);
    const [min, range] = [ramp(0.5, 0.5), ramp(15.5, 11.5) - ramp(0.5, 0.5)];
    for (const point of [
      [6, 5],
      [9.3, 4.1],
    ]) {
      const [x, y] = toLevelPixels(point, level);
      expect(sampleBilinear(level, x!, y!)).toBeCloseTo(
        (ramp(point[0]!, point[1]!) - min) / range,
        5,
      );
    }
  });

  it('names the image and the problem', () => {
    const image = { width: 2, height: 2, pixels: Float32Array.from([0, 1, Number.NaN, 3]) };
    expect(() => prepareRefinerImage(image, [0.1, 0.1], 0.4, 'image "007"')).toThrow(
      /image "007": pixel value NaN is not finite/,
    );
    expect(() =>
      prepareRefinerImage({ ...image, pixels: new Float32Array(3) }, [0.1, 0.1], 0.4, 'x.png'),
    ).toThrow(/x.png: 3 pixels for a 2×2 image/);
    expect(() =>
      prepareRefinerImage({ ...image, pixels: new Float32Array(4) }, [0, 0.1], 0.4, 'x.png'),
    ).toThrow(/x.png: pixel spacing must be positive/);
  });
});
