/**
 * Sum on a tensor reshaped to the fewest axes that express the same reduction, in front of a backend's
 * own kernel. tfjs 4.22's wasm Sum transposes the reduced axes innermost first, which is slow for rank 5:
 * the bias gradients of a 3D network (sums over [B, D, H, W]) took 16 % of a `quick` 3D U-Net step
 * (docs/studies/2026-12-08-training-speed.md). Collapsed to [B·D·H·W, C], a sum over the leading axis
 * is one matrix product; other reductions run the backend's kernel on the collapsed shape.
 * (SplitV, the other rank-5 slow path there, is replaced in registerTrainingKernels.ts.)
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
    const leading = c.shape.length === 2 && c.axes.length === 1 && c.axes[0] === 0;
    // Nothing to gain (already minimal, or nothing reduced): the backend's own kernel.
    if (!leading && (c.shape.length >= x.rank || c.axes.length === 0)) return original(args);
    if (x.dtype !== 'float32') return original(args);
    const outShape = x.shape.map((v, i) => (axes.includes(i) ? 1 : v));
    const shape = keepDims ? outShape : outShape.filter((_, i) => !axes.includes(i));
    return tf.tidy(() => {
      if (!leading) return tf.sum(x.reshape(c.shape), c.axes).reshape(shape);
      // Sum over the leading axis of [M, C] as ones[1, M] · x: one XNNPACK product, 4–200x faster than
      // the transpose-then-reduce it replaces (bias gradients, [B·H·W, C] or [B·D·H·W, C]).
      const [m, n] = c.shape as [number, number];
      return tf.matMul(tf.ones([1, m]), x.reshape([m, n])).reshape(shape);
    });
  };
}

const WRAPPERS: Record<string, (original: KernelFunc) => KernelFunc> = {
  Sum: sumKernel,
};
const wrapped = new WeakSet<KernelFunc>();

/**
 * Puts the collapsing Sum in front of `backendName`'s own kernels (idempotent).
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
