/**
 * The refiner's training budget, in optimiser steps, from passes over its training patches: one pass
 * draws every (image, landmark) pair once on average, so
 *
 *   steps = min(maxSteps, max(minSteps, ceil(passes · images · landmarks / batchSize)))
 *
 * A fixed step count trains a refiner on 150 images ~7× less per patch than one on 20 (session 2,
 * ISBI: 600 steps were 25 passes over 20 images' 380 patches but 3.4 over 150's 2,850, and the
 * 150-label refiner made the coarse estimates worse). `maxSteps` bounds the CPU cost (see presets.ts).
 */

/** Inputs of {@link refinerStepBudget}. */
export interface StepBudget {
  /** Passes over the (image, landmark) patches; > 0. */
  passes: number;
  /** Lower bound on the steps (small training sets still get enough updates); ≥ 0. */
  minSteps: number;
  /** Upper bound on the steps (CPU cost); ≥ minSteps. */
  maxSteps: number;
}

/**
 * @param images training images (the refiner's, i.e. without held-out ones)
 * @param landmarks landmarks per image (n)
 * @param batchSize patches per step
 * @returns the number of optimiser steps (integer)
 * @throws Error saying which input is invalid
 */
export default function refinerStepBudget(
  images: number,
  landmarks: number,
  batchSize: number,
  budget: StepBudget,
): number {
  const { passes, minSteps, maxSteps } = budget;
  for (const [name, value] of Object.entries({ images, landmarks, batchSize }))
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`refiner budget: ${name} must be a positive integer, got ${value}`);
  if (!(passes > 0 && Number.isFinite(passes)))
    throw new Error(`refiner budget: passes must be a positive number, got ${passes}`);
  if (
    !Number.isInteger(minSteps) ||
    minSteps < 0 ||
    !Number.isInteger(maxSteps) ||
    maxSteps < minSteps
  )
    throw new Error(
      `refiner budget: need integers 0 ≤ minSteps ≤ maxSteps, got ${minSteps} and ${maxSteps}`,
    );
  const wanted = Math.ceil((passes * images * landmarks) / batchSize);
  return Math.min(maxSteps, Math.max(minSteps, wanted));
}
