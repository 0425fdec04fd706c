/**
 * T_α and b_α (Eq. 4) for a shape with missing landmarks, on its visible landmarks only.
 *
 * b is eliminated (variable projection): for a given similarity T, b(T) is the least-squares fit of
 * T X_v − X̄_v on the visible rows of P, and the residual left is (I − Π)(T X_v − X̄_v) with Π the
 * projection onto those rows' span. T is found by Gauss–Newton on that residual (parameters: log
 * scale, rotation, translation), which converges in a few steps and recovers a model shape exactly when
 * the visible coordinates determine every mode. When they cannot (more modes than visible degrees of
 * freedom), T stays the plain Procrustes fit onto X̄_v (the paper's T_α) and b the least-squares
 * solution of smallest Mahalanobis norm.
 */
import { CholeskyDecomposition, Matrix, solve as leastSquares } from 'ml-matrix';
import { applySimilarity, fitSimilarity, type Similarity } from './similarity.ts';
import type { Shape, ShapeModel } from './types.ts';

/** At most this many Gauss–Newton steps. */
const MAX_STEPS = 20;
/** Stop when no step parameter (log scale, radians, mm / shape size) exceeds this. */
const STEP_TOLERANCE = 1e-12;
/** Largest accepted step (log scale, radians, translation / shape size). */
const MAX_STEP = 0.5;

/** S (K × m) gives b = S r_v; Q = P_v S (m × m) the part of r_v the modes explain. Row-major. */
interface VisibleSolver {
  k: number;
  m: number;
  s: Float64Array;
  q: Float64Array;
}

/** Per model, per set of visible coordinates: the solver matrices (a pure memo cache). */
const solverCache = new WeakMap<ShapeModel, Map<string, VisibleSolver>>();

/**
 * b = S r_v = argmin |P_v b − r_v|² over the visible coordinates, solved in whitened coordinates
 * b = σ∘c with a tiny ridge (1e-6 of the mean diagonal) so that an under-determined system gives,
 * essentially, the least-squares solution of smallest Mahalanobis norm. Normal equations by ml-matrix's
 * Cholesky; memoised per model and visibility pattern.
 */
function visibleSolver(model: ShapeModel, coords: number[]): VisibleSolver {
  let byMask = solverCache.get(model);
  if (!byMask) solverCache.set(model, (byMask = new Map()));
  const key = coords.join(',');
  const cached = byMask.get(key);
  if (cached) return cached;
  const { components, sigma } = model;
  const a = new Matrix(coords.map((j) => components.map((p, k) => p[j]! * sigma[k]!)));
  const at = a.transpose();
  const normal = at.mmul(a);
  const ridge = (1e-6 * normal.trace()) / sigma.length;
  for (let k = 0; k < sigma.length; k++) normal.set(k, k, normal.get(k, k) + ridge);
  const sMatrix = new CholeskyDecomposition(normal).solve(at).mulColumnVector(sigma);
  const pv = new Matrix(coords.map((j) => components.map((p) => p[j]!)));
  const solver = {
    k: sigma.length,
    m: coords.length,
    s: Float64Array.from(sMatrix.to1DArray()),
    q: Float64Array.from(pv.mmul(sMatrix).to1DArray()),
  };
  if (byMask.size > 64) byMask.clear();
  byMask.set(key, solver);
  return solver;
}

/** y = M v for a row-major rows × v.length matrix. */
function apply(matrix: Float64Array, rows: number, v: readonly number[]): number[] {
  const n = v.length;
  const out = new Array<number>(rows);
  for (let i = 0; i < rows; i++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += matrix[i * n + j]! * v[j]!;
    out[i] = acc;
  }
  return out;
}

/**
 * Infinitesimal generators of a similarity at the flattened points y (x1, y1[, z1], …): scale,
 * rotation(s) (e_k × p in 3D, the 90° turn in 2D), one shift per axis. Plain loops: this is the hot path.
 */
function generators(y: readonly number[], d: number): number[][] {
  const n = y.length;
  const rotations = d === 2 ? 1 : 3;
  const cols = Array.from({ length: 1 + rotations + d }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i += d) {
    cols[0]![i] = y[i]!;
    cols[0]![i + 1] = y[i + 1]!;
    if (d === 2) {
      cols[1]![i] = -y[i + 1]!;
      cols[1]![i + 1] = y[i]!;
    } else {
      const [u, v, w] = [y[i]!, y[i + 1]!, y[i + 2]!];
      cols[0]![i + 2] = w;
      [cols[1]![i + 1], cols[1]![i + 2]] = [-w, v];
      [cols[2]![i], cols[2]![i + 2]] = [w, -u];
      [cols[3]![i], cols[3]![i + 1]] = [-v, u];
    }
    for (let a = 0; a < d; a++) cols[1 + rotations + a]![i + a] = 1;
  }
  return cols;
}

/** Rotation matrix for a 2D angle or a 3D rotation vector (Rodrigues). */
function rotationFrom(omega: number[]): number[][] {
  if (omega.length === 1) {
    const [c, s] = [Math.cos(omega[0]!), Math.sin(omega[0]!)];
    return [
      [c, -s],
      [s, c],
    ];
  }
  const theta = Math.hypot(...omega);
  const k = theta > 0 ? omega.map((v) => v / theta) : [0, 0, 1];
  const [x, y, z] = k as [number, number, number];
  const [c, s, v] = [Math.cos(theta), Math.sin(theta), 1 - Math.cos(theta)];
  return [
    [c + x * x * v, x * y * v - z * s, x * z * v + y * s],
    [y * x * v + z * s, c + y * y * v, y * z * v - x * s],
    [z * x * v - y * s, z * y * v + x * s, c + z * z * v],
  ];
}

/** T ↦ D ∘ T for the step D = (e^δs, Rot(ω), δt). */
function compose(step: number[], t: Similarity, d: number): Similarity {
  const r = rotationFrom(step.slice(1, d === 2 ? 2 : 4));
  const shift = step.slice(d === 2 ? 2 : 4);
  const k = Math.exp(step[0]!);
  const mul = (m: number[][], v: readonly number[]) =>
    m.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
  return {
    scale: k * t.scale,
    rotation: r.map((row) =>
      t.rotation[0]!.map((_, j) => row.reduce((s, x, l) => s + x * t.rotation[l]![j]!, 0)),
    ),
    translation: mul(r, t.translation).map((v, a) => k * v + shift[a]!),
  };
}

/**
 * Aligns a partial shape: returns T_α (image → model frame) and b_α, using only the `visible` rows.
 */
export function alignPartialShape(
  model: ShapeModel,
  shape: Shape,
  visible: number[],
): { t: Similarity; bAlpha: number[] } {
  const d = model.dimension;
  const coords = visible.flatMap((i) => Array.from({ length: d }, (_, a) => i * d + a));
  const solver = visibleSolver(model, coords);
  const solve = (rv: number[]) => apply(solver.s, solver.k, rv);
  const reject = (rv: number[]) => {
    const explained = apply(solver.q, solver.m, rv);
    return rv.map((v, j) => v - explained[j]!);
  };
  const points = visible.map((i) => shape[i]!);
  const mean = visible.flatMap((i) => model.meanShape[i]!);
  const size = Math.hypot(...mean);
  const residual = (x: Similarity) =>
    reject(applySimilarity(x, points).flatMap((p, j) => p.map((v, a) => v - mean[j * d + a]!)));
  const cost = (r: number[]) => r.reduce((acc, v) => acc + v * v, 0);
  let t = fitSimilarity(
    points,
    visible.map((i) => model.meanShape[i]!),
  );
  let r = residual(t);
  // With more modes than visible degrees of freedom the residual is flat: keep the Procrustes fit.
  const determined = model.components.length + (d === 2 ? 4 : 7) <= coords.length;
  for (let step = 0; determined && step < MAX_STEPS; step++) {
    const jac = generators(applySimilarity(t, points).flat(), d).map(reject);
    // Normal equations (at most 7 × 7), min-norm by ml-matrix's SVD: far cheaper than an SVD of J.
    const jtj = jac.map((u) => jac.map((v) => u.reduce((acc, x, i) => acc + x * v[i]!, 0)));
    const jtr = jac.map((u) => [-u.reduce((acc, x, i) => acc + x * r[i]!, 0)]);
    const delta = leastSquares(new Matrix(jtj), new Matrix(jtr), true).getColumn(0);
    const moved = delta.map((v, i) => Math.abs(i >= (d === 2 ? 2 : 4) ? v / size : v));
    // Accept only small steps (where the linearisation holds) that lower the residual.
    if (!(Math.max(...moved) <= MAX_STEP)) break;
    const next = compose(delta, t, d);
    const rNext = residual(next);
    if (!(cost(rNext) < cost(r))) break;
    [t, r] = [next, rNext];
    if (Math.max(...moved) <= STEP_TOLERANCE) break;
  }
  const y = applySimilarity(t, points).flat();
  return { t, bAlpha: solve(y.map((v, j) => v - mean[j]!)) };
}
