/**
 * Sum and SplitV on tensors reshaped to the fewest axes that express the same operation, in front of a
 * backend's own kernels. tfjs 4.22's wasm backend runs both slowly on rank-5 tensors (3D networks):
 * SplitV (the gradient of every skip concatenation) slices rank 5 element by element in JavaScript, and
 * Sum (every bias gradient, over [B, D, H, W]) transposes rank 5 first. Profiled on the `quick` 3D U-Net
 * these two took 56 % of a training step (docs/studies/2026-12-08-training-speed.md); on the collapsed
 * shapes (rank 2–3) they are the backend's native paths.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/**
 * Merges neighbouring axes that are both reduced or both kept.
 * @returns the collapsed shape and the reduced axes in it
 */
export function collapseReduction(
  shape: readonly number[],
  axes: readonly number[],
): { shape: number[]; axes: number[] } {
  const reduced = new Set(axes.map((a) => (a < 0 ? a + shape.length : a)));
  const out: number[] = [];
  const outAxes: number[] = [];
  let previous: boolean | undefined;
  shape.forEach((size, axis) => {
    if (size === 1) return; // a unit axis changes nothing either way
    const isReduced = reduced.has(axis);
    if (isReduced === previous) out[out.length - 1]! *= size;
    else {
      out.push(size);
      if (isReduced) outAxes.push(out.length - 1);
    }
    previous = isReduced;
  });
  return { shape: out, axes: outAxes };
}

function asTensor(info: TensorInfo): tf.Tensor {
  if (!(info instanceof tf.Tensor)) throw new Error('collapsed kernel: expected a tensor input');
  return info;
}

function sumKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = asTensor(args.inputs.x!);
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const c = collapseReduction(x.shape, axes);
    // Already minimal (or a scalar result): the backend's own kernel.
    if (c.shape.length >= x.rank || c.axes.length === 0) return original(args);
    const outShape = x.shape.map((v, i) => (axes.includes(i) ? 1 : v));
    return tf.tidy(() =>
      tf
        .sum(x.reshape(c.shape), c.axes)
        .reshape(keepDims ? outShape : outShape.filter((_, i) => !axes.includes(i))),
    );
  };
}

function splitVKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = asTensor(args.inputs.x!);
    const { numOrSizeSplits, axis } = args.attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    if (x.rank <= 3) return original(args);
    const a = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const outer = x.shape.slice(0, a).reduce((p, v) => p * v, 1);
    const inner = x.shape.slice(a + 1).reduce((p, v) => p * v, 1);
    const shape = [outer, x.shape[a]!, inner];
    return tf.tidy(() =>
      tf.split(x.reshape(shape), numOrSizeSplits, 1).map((piece) => {
        const s = [...x.shape];
        s[a] = piece.shape[1]!;
        return piece.reshape(s);
      }),
    );
  };
}

const WRAPPERS: Record<string, (original: KernelFunc) => KernelFunc> = {
  Sum: sumKernel,
  SplitV: splitVKernel,
};
const wrapped = new WeakSet<KernelFunc>();

/**
 * Puts the collapsing Sum and SplitV in front of `backendName`'s own kernels (idempotent).
 * @returns the kernel names wrapped
 */
export default function registerCollapsedKernels(backendName = 'wasm'): string[] {
  const names: string[] = [];
  for (const [kernelName, wrap] of Object.entries(WRAPPERS)) {
    const current = tf.getKernel(kernelName, backendName) as KernelConfig | undefined;
    if (!current) continue;
    names.push(kernelName);
    if (wrapped.has(current.kernelFunc)) continue;
    const kernelFunc = wrap(current.kernelFunc);
    wrapped.add(kernelFunc);
    tf.unregisterKernel(kernelName, backendName);
    // setupFunc already ran when the backend started; the wrapped kernel keeps what it bound.
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
  return names;
}
