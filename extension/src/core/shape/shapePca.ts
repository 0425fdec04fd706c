/**
 * PCA of aligned shapes (Eq. 3): mean shape, principal directions and their variances, computed with
 * ml-matrix's symmetric eigendecomposition of the sample covariance (N − 1 denominator).
 */
import { EVD, Matrix } from 'ml-matrix';

export interface ShapePca {
  /** Column mean of the flattened aligned shapes (x1, y1[, z1], x2, …), millimetres. */
  mean: number[];
  /** Eigenvalues of the covariance, descending, mm² (all of them, clipped at 0). */
  eigenvalues: number[];
  /** Unit eigenvectors, one per eigenvalue, same order; sign fixed so the largest |entry| is positive. */
  components: number[][];
}

/** Flips a vector so that its entry of largest magnitude is positive (a deterministic sign). */
function fixSign(v: number[]): number[] {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[best]!)) best = i;
  return v[best]! < 0 ? v.map((x) => -x) : v;
}

/** PCA of N flattened shapes (rows); N ≥ 2. */
export function shapePca(flat: readonly (readonly number[])[]): ShapePca {
  const data = new Matrix(flat.map((r) => [...r]));
  const mean = data.mean('column');
  data.subRowVector(mean);
  const covariance = data
    .transpose()
    .mmul(data)
    .div(flat.length - 1);
  const evd = new EVD(covariance, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!);
  return {
    mean,
    eigenvalues: order.map((i) => Math.max(0, values[i]!)),
    components: order.map((i) => fixSign(vectors.getColumn(i))),
  };
}
