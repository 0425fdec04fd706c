/**
 * The refiner's gate: per landmark, refinement is kept only where it lowered the mean radial error on
 * images the refiner was not trained on. A landmark whose refined estimates are on average no closer to
 * the truth than the coarse ones (refined MRE ≥ coarse MRE − marginMm) keeps the coarse estimate.
 * Cases whose error is not finite (missing labels) are left out; a landmark without any case keeps
 * refinement (no evidence against it, the behaviour of a refiner without a gate).
 */

/** Per-landmark decision and the evidence it rests on. */
export interface RefinerGate {
  /** Per landmark: true = use the refined estimate, false = keep the coarse one. */
  useRefined: boolean[];
  /** Per landmark mean radial errors (mm) over the cases; NaN where there is no case. */
  coarseMreMm: number[];
  refinedMreMm: number[];
  /** Per landmark: the cases counted. */
  cases: number[];
}

/**
 * @param coarseErrorsMm cases × n radial errors (mm) of the coarse estimates
 * @param refinedErrorsMm cases × n radial errors (mm) of the refined estimates, same cases
 * @param marginMm refinement must gain more than this (mm) to be kept; default 0
 * @throws Error when the two tables differ in shape
 */
export default function decideRefinerGate(
  coarseErrorsMm: readonly (readonly number[])[],
  refinedErrorsMm: readonly (readonly number[])[],
  marginMm = 0,
): RefinerGate {
  if (coarseErrorsMm.length !== refinedErrorsMm.length)
    throw new Error(
      `refiner gate: ${coarseErrorsMm.length} coarse cases but ${refinedErrorsMm.length} refined`,
    );
  const n = coarseErrorsMm[0]?.length ?? refinedErrorsMm[0]?.length ?? 0;
  const coarseSum = new Array<number>(n).fill(0);
  const refinedSum = new Array<number>(n).fill(0);
  const cases = new Array<number>(n).fill(0);
  coarseErrorsMm.forEach((row, k) => {
    const refinedRow = refinedErrorsMm[k]!;
    if (row.length !== n || refinedRow.length !== n)
      throw new Error(
        `refiner gate: case ${k + 1} has ${row.length}/${refinedRow.length} landmarks, expected ${n}`,
      );
    for (let l = 0; l < n; l++) {
      const c = row[l]!;
      const r = refinedRow[l]!;
      if (!Number.isFinite(c) || !Number.isFinite(r)) continue;
      coarseSum[l]! += c;
      refinedSum[l]! += r;
      cases[l]! += 1;
    }
  });
  const coarseMreMm = coarseSum.map((s, l) => (cases[l]! > 0 ? s / cases[l]! : Number.NaN));
  const refinedMreMm = refinedSum.map((s, l) => (cases[l]! > 0 ? s / cases[l]! : Number.NaN));
  const useRefined = cases.map((c, l) => c === 0 || refinedMreMm[l]! < coarseMreMm[l]! - marginMm);
  return { useRefined, coarseMreMm, refinedMreMm, cases };
}
