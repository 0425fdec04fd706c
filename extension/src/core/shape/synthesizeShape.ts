/** Shapes generated from a shape model (Eq. 3): for demos, benchmarks and property tests. */
import { applySimilarity, type Similarity } from './similarity.ts';
import type { Shape, ShapeModel } from './types.ts';

/**
 * X = T(X̄ + P b): the model's shape for parameters `b` (K values, mm), optionally placed by a
 * similarity `t` (default: the model frame). Returns n × d millimetres.
 */
export function synthesizeShape(model: ShapeModel, b: readonly number[], t?: Similarity): Shape {
  if (b.length !== model.components.length) {
    throw new Error(
      `${b.length} shape parameters for a model with ${model.components.length} modes`,
    );
  }
  const d = model.dimension;
  const shape = model.meanShape.map((p, i) =>
    p.map((m, a) => m + model.components.reduce((s, c, k) => s + c[i * d + a]! * b[k]!, 0)),
  );
  return t ? applySimilarity(t, shape) : shape;
}
