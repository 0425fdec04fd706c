/**
 * Similarity transforms (scale, rotation, translation; never a reflection) between shapes, and their
 * least-squares fit (Umeyama 1991, with the determinant correction that forbids reflections).
 * A point p (row vector, mm) maps to s·R·p + t.
 */
import { Matrix, SVD } from 'ml-matrix';

/** x ↦ scale · rotation · x + translation; rotation is d×d with det +1. */
export interface Similarity {
  scale: number;
  rotation: number[][];
  translation: number[];
}

/** Centroid of the given rows (all finite). */
export function centroid(points: readonly (readonly number[])[]): number[] {
  const d = points[0]!.length;
  const c = Array<number>(d).fill(0);
  for (const p of points) for (let a = 0; a < d; a++) c[a]! += p[a]!;
  return c.map((v) => v / points.length);
}

/** Determinant of a 2×2 or 3×3 matrix. */
function det(m: Matrix): number {
  if (m.rows === 2) return m.get(0, 0) * m.get(1, 1) - m.get(0, 1) * m.get(1, 0);
  return (
    m.get(0, 0) * (m.get(1, 1) * m.get(2, 2) - m.get(1, 2) * m.get(2, 1)) -
    m.get(0, 1) * (m.get(1, 0) * m.get(2, 2) - m.get(1, 2) * m.get(2, 0)) +
    m.get(0, 2) * (m.get(1, 0) * m.get(2, 1) - m.get(1, 1) * m.get(2, 0))
  );
}

/**
 * Least-squares similarity mapping `source` onto `target` (same rows, all finite):
 * argmin Σ |s·R·x_i + t − y_i|² with det R = +1. With `allowScale: false` the scale is fixed at 1.
 * The caller guarantees the source is not degenerate (see validateShape).
 */
export function fitSimilarity(
  source: readonly (readonly number[])[],
  target: readonly (readonly number[])[],
  options: { allowScale?: boolean } = {},
): Similarity {
  const d = source[0]!.length;
  const mx = centroid(source);
  const my = centroid(target);
  const h = Matrix.zeros(d, d);
  let sourceSs = 0;
  for (let i = 0; i < source.length; i++) {
    for (let a = 0; a < d; a++) {
      const xa = source[i]![a]! - mx[a]!;
      sourceSs += xa * xa;
      for (let b = 0; b < d; b++) h.set(a, b, h.get(a, b) + xa * (target[i]![b]! - my[b]!));
    }
  }
  // H = U S Vᵀ; R = V D Uᵀ with D = diag(1, …, sign det(V Uᵀ)) so that R is a rotation.
  const svd = new SVD(h);
  const u = svd.leftSingularVectors;
  const v = svd.rightSingularVectors;
  const sign = det(v.mmul(u.transpose())) < 0 ? -1 : 1;
  const dm = Matrix.eye(d, d);
  dm.set(d - 1, d - 1, sign);
  const r = v.mmul(dm).mmul(u.transpose());
  const sv = svd.diagonal;
  const trace = sv.reduce((s, x, i) => s + x * (i === d - 1 ? sign : 1), 0);
  const scale = options.allowScale === false ? 1 : trace / sourceSs;
  const rotation = r.to2DArray();
  const translation = my.map(
    (m, a) => m - scale * rotation[a]!.reduce((s, rab, b) => s + rab * mx[b]!, 0),
  );
  return { scale, rotation, translation };
}

/** Applies T to each row; NaN rows (missing landmarks) stay NaN. */
export function applySimilarity(t: Similarity, shape: readonly (readonly number[])[]): number[][] {
  return shape.map((p) =>
    t.rotation.map(
      (row, a) => t.scale * row.reduce((s, r, b) => s + r * p[b]!, 0) + t.translation[a]!,
    ),
  );
}

/** T⁻¹: x ↦ Rᵀ(x − t)/s. */
export function invertSimilarity(t: Similarity): Similarity {
  const d = t.translation.length;
  const rt = Array.from({ length: d }, (_, a) =>
    Array.from({ length: d }, (__, b) => t.rotation[b]![a]!),
  );
  const translation = rt.map(
    (row) => -row.reduce((s, r, b) => s + r * t.translation[b]!, 0) / t.scale,
  );
  return { scale: 1 / t.scale, rotation: rt, translation };
}
