// Float64 reference implementations of Eq. 2 and Eq. 10 in plain TypeScript, written independently of the
// tf code (loops over pixels), for value and finite-difference gradient checks.

/** heat[b][h][w][i] → coords[b][i] = [x, y], normalised, centre of pixel j at (j + 0.5) / size. */
export function refCoordinates(heat: number[][][][]): number[][][] {
  return heat.map((img) => {
    const H = img.length;
    const W = img[0]!.length;
    const n = img[0]![0]!.length;
    return Array.from({ length: n }, (_, i) => {
      let g = 0;
      let sx = 0;
      let sy = 0;
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++) {
          const v = img[h]![w]![i]!;
          g += v;
          sx += v * ((w + 0.5) / W);
          sy += v * ((h + 0.5) / H);
        }
      return [sx / g, sy / g];
    });
  });
}

export function refL1(pred: number[][][], target: number[][][], mask: number[][]): number {
  let s = 0;
  let c = 0;
  pred.forEach((p, b) =>
    p.forEach((xy, i) => {
      if (mask[b]![i]! > 0) {
        s += Math.abs(xy[0]! - target[b]![i]![0]!) + Math.abs(xy[1]! - target[b]![i]![1]!);
        c += 1;
      }
    }),
  );
  return s / Math.max(c, 1);
}

export function refRegionAttention(
  heat: number[][][][],
  pseudo: number[][][],
  delta: number[][],
  mask: number[][],
): number {
  let s = 0;
  let c = 0;
  heat.forEach((img, b) => {
    const H = img.length;
    const W = img[0]!.length;
    const n = img[0]![0]!.length;
    for (let i = 0; i < n; i++) {
      if (mask[b]![i]! <= 0) continue;
      let g = 0;
      let e = 0;
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++) {
          const v = img[h]![w]![i]!;
          const dx = (w + 0.5) / W - pseudo[b]![i]![0]!;
          const dy = (h + 0.5) / H - pseudo[b]![i]![1]!;
          g += v;
          e += v * Math.sqrt(dx * dx + dy * dy);
        }
      s += Math.abs(delta[b]![i]! - e / g);
      c += 1;
    }
  });
  return s / Math.max(c, 1);
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Maps a nested array elementwise. */
export function mapNested(a: number[][][][], f: (v: number) => number): number[][][][] {
  return a.map((x) => x.map((y) => y.map((z) => z.map(f))));
}
