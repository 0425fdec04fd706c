// Patch ↔ image coordinates: hand-computed cases, the exact round trip (property), and the round trip
// through a box-averaged level of prepareRefinerImage back to ORIGINAL pixels.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  imageToPatch,
  patchToImage,
} from '../../../extension/src/core/refinement/patchGeometry.ts';
import prepareRefinerImage, {
  toLevelPixels,
  toOriginalFromLevel,
} from '../../../extension/src/core/refinement/prepareRefinerImage.ts';
import { originalToPatch } from '../../../extension/src/core/refinement/refineLandmarks.ts';

describe('patch geometry', () => {
  const g = {
    centre: [10, 20],
    patchShape: [4, 8],
    mmPerPixel: 0.5,
    spacingMm: [0.25, 0.5],
    angleRad: 0,
  };

  it('maps the patch centre onto the centre and scales by mm per pixel ⊘ spacing', () => {
    expect(patchToImage([4, 2], g)).toEqual([10, 20]); // (W/2, H/2) with W = 8, H = 4
    // One patch pixel right = 0.5 mm = 2 image pixels in x; one down = 0.5 mm = 1 image pixel in y.
    expect(patchToImage([5, 2], g)).toEqual([12, 20]);
    expect(patchToImage([4, 3], g)).toEqual([10, 21]);
    // The patch's top-left corner.
    expect(patchToImage([0, 0], g)).toEqual([2, 18]);
  });

  it('rotates about the centre', () => {
    const r = { ...g, spacingMm: [0.5, 0.5], angleRad: Math.PI / 2 };
    const [x, y] = patchToImage([5, 2], r); // one patch pixel along +x → one image pixel along +y
    expect(x).toBeCloseTo(10, 12);
    expect(y).toBeCloseTo(21, 12);
  });

  it('imageToPatch inverts patchToImage (property)', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: -50, max: 50, noNaN: true }),
          fc.double({ min: -50, max: 50, noNaN: true }),
        ),
        fc.double({ min: -4, max: 4, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.tuple(
          fc.double({ min: 0.05, max: 1, noNaN: true }),
          fc.double({ min: 0.05, max: 1, noNaN: true }),
        ),
        (q, angleRad, mmPerPixel, spacingMm) => {
          const geometry = {
            centre: [30, 40],
            patchShape: [16, 24],
            mmPerPixel,
            spacingMm,
            angleRad,
          };
          const back = imageToPatch(patchToImage(q, geometry), geometry);
          expect(back[0]).toBeCloseTo(q[0], 8);
          expect(back[1]).toBeCloseTo(q[1], 8);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('original → level → patch → level → original is the identity', () => {
    // 0.1 mm pixels sampled at 0.4 mm per patch pixel: the level is averaged by 4 per axis.
    const image = prepareRefinerImage(
      { width: 37, height: 23, pixels: new Float32Array(37 * 23) },
      [0.1, 0.1],
      0.4,
    );
    expect(image.factor).toEqual([4, 4]);
    const options = { patchShape: [8, 12], mmPerPixel: 0.4, passes: 1 };
    const point = [17.3, 9.9];
    const centre = [15, 11];
    const q = originalToPatch(point, centre, image, options);
    // 0.4 mm per patch pixel = 4 original pixels: (17.3 − 15)/4 + 6, (9.9 − 11)/4 + 4.
    expect(q[0]).toBeCloseTo(2.3 / 4 + 6, 10);
    expect(q[1]).toBeCloseTo(-1.1 / 4 + 4, 10);
    const geometry = {
      centre: toLevelPixels(centre, image),
      patchShape: options.patchShape,
      mmPerPixel: 0.4,
      spacingMm: image.spacingMm,
      angleRad: 0,
    };
    const back = toOriginalFromLevel(patchToImage(q, geometry), image);
    expect(back[0]).toBeCloseTo(point[0]!, 10);
    expect(back[1]).toBeCloseTo(point[1]!, 10);
  });
});
