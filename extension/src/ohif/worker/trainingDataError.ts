import type { RegulatorFactory } from '../../core/selfTraining/types.ts';

/**
 * An error in the training data (e.g. too few complete shapes for the shape model): every backend
 * would fail the same way, so the worker reports it once instead of retrying on the next backend.
 */
export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}

/** `factory`, with the errors of fitting the shape model on the labelled shapes marked as data errors. */
export function dataErrors(factory: RegulatorFactory): RegulatorFactory {
  return (labelledShapesMm) => {
    try {
      return factory(labelledShapesMm);
    } catch (err) {
      throw new TrainingDataError(
        `training data: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
}
