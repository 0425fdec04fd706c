/**
 * Registers replacements for the convolution-gradient kernels that tfjs 4.22's wasm backend lacks or
 * gets wrong (see convGradients.ts). Works for any backend name; call it once after the backend's module
 * is imported and before training. Idempotent.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  Conv3DAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  Conv3DBackpropFilterV2Attrs,
  Conv3DBackpropInputV2Attrs,
  KernelConfig,
  SplitVAttrs,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { conv2dFilterGradient, convInputGradient } from './convGradients.ts';
import conv3dViaConv2d, { conv3dFilterGradientViaConv2d } from './conv3dViaConv2d.ts';

/** Kernel inputs are the caller's tensors at run time; the registry types them as TensorInfo. */
function asTensor<T extends tf.Tensor>(info: TensorInfo): T {
  if (!(info instanceof tf.Tensor)) throw new Error('training kernel: expected a tensor input');
  return info as T;
}

function triple(v: number | number[]): number[] {
  return typeof v === 'number' ? [v, v, v] : v;
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter: only NHWC is supported');
  const x = asTensor<tf.Tensor4D>(inputs.x!);
  const dy = asTensor<tf.Tensor4D>(inputs.dy!);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const p = info.padInfo;
  return conv2dFilterGradient(
    x,
    dy,
    [info.filterHeight, info.filterWidth],
    [info.strideHeight, info.strideWidth],
    {
      before: [p.top, p.left],
      after: [p.bottom, p.right],
    },
  );
};

const conv2dBackpropInput: KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as Conv2DBackpropInputAttrs;
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput: only NHWC is supported');
  const dy = asTensor<tf.Tensor4D>(inputs.dy!);
  const filter = asTensor<tf.Tensor4D>(inputs.filter!);
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const p = info.padInfo;
  return convInputGradient(dy, filter, a.inputShape, [info.strideHeight, info.strideWidth], {
    before: [p.top, p.left],
    after: [p.bottom, p.right],
  });
};

function conv3dInfo(
  xShape: number[],
  filterShape: number[],
  strides: number | number[],
  pad: 'same' | 'valid',
) {
  return tf.backend_util.computeConv3DInfo(
    xShape as [number, number, number, number, number],
    filterShape as [number, number, number, number, number],
    strides as [number, number, number],
    1,
    pad,
  );
}

const conv3dBackpropFilter: KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as Conv3DBackpropFilterV2Attrs;
  const x = asTensor<tf.Tensor5D>(inputs.x!);
  const dy = asTensor<tf.Tensor5D>(inputs.dy!);
  const info = conv3dInfo(x.shape, a.filterShape, a.strides, a.pad);
  const p = info.padInfo;
  const padding = { before: [p.front, p.top, p.left], after: [p.back, p.bottom, p.right] };
  const strides = triple(a.strides);
  return conv3dFilterGradientViaConv2d(x, dy, a.filterShape.slice(0, 3), strides, padding);
};

const conv3dBackpropInput: KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as Conv3DBackpropInputV2Attrs;
  const dy = asTensor<tf.Tensor5D>(inputs.dy!);
  const filter = asTensor<tf.Tensor5D>(inputs.filter!);
  const info = conv3dInfo(a.inputShape, filter.shape, a.strides, a.pad);
  const p = info.padInfo;
  return convInputGradient(dy, filter, a.inputShape, triple(a.strides), {
    before: [p.front, p.top, p.left],
    after: [p.back, p.bottom, p.right],
  });
};

const conv3d: KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as Conv3DAttrs;
  if (triple(a.dilations).some((v) => v !== 1))
    throw new Error('Conv3D: only dilation 1 is supported');
  if (a.dataFormat === 'NCDHW') throw new Error('Conv3D: only NDHWC is supported');
  const x = asTensor<tf.Tensor5D>(inputs.x!);
  const filter = asTensor<tf.Tensor5D>(inputs.filter!);
  const info = conv3dInfo(x.shape, filter.shape, a.strides, a.pad);
  const p = info.padInfo;
  return conv3dViaConv2d(x, filter, triple(a.strides), {
    before: [p.front, p.top, p.left],
    after: [p.back, p.bottom, p.right],
  });
};

/**
 * Split as rank-3 slices of an [outer, axis, inner] view. The U-Net's skip concatenation splits its
 * gradient with SplitV, which wasm does with rank-5 slices, element by element in JavaScript.
 */
const splitV: KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as SplitVAttrs;
  const x = asTensor<tf.Tensor>(inputs.x!);
  const axis = tf.util.parseAxisParam(a.axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x, a.numOrSizeSplits, axis);
  const outer = x.shape.slice(0, axis).reduce((p, v) => p * v, 1);
  const inner = x.shape.slice(axis + 1).reduce((p, v) => p * v, 1);
  return tf.tidy(() => {
    let begin = 0;
    if (inner === 1) {
      // Channel split (every skip concatenation): wasm slices in JavaScript row by row, one row per
      // pixel here (rank 3: one element at a time; 8–10x slower than the stock kernel on 2D). As whole
      // rows of the transposed [C, pixels] view, each piece is one contiguous copy (bench/speed.bench.ts
      // --profile; docs/studies/2026-12-08-training-speed.md).
      const t = x.reshape([outer, x.shape[axis]!]).transpose();
      return sizes.map((size) => {
        const piece = tf.slice(t, [begin, 0], [size, outer]).transpose();
        begin += size;
        return piece.reshape(x.shape.map((v, i) => (i === axis ? size : v)));
      });
    }
    const view = x.reshape([outer, x.shape[axis]!, inner]);
    return sizes.map((size) => {
      const piece = tf.slice(view, [0, begin, 0], [outer, size, inner]);
      begin += size;
      return piece.reshape(x.shape.map((v, i) => (i === axis ? size : v)));
    });
  });
};

/** Forward source index of each output index of tfjs's nearest resize (its cpu kernel's rule). */
function nearestSources(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): number[] {
  const aligned = alignCorners && outSize > 1;
  const ratio = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  return Array.from({ length: outSize }, (_, o) => {
    const frac = halfPixelCenters ? ratio * (o + 0.5) : ratio * o;
    const nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    return halfPixelCenters ? Math.max(0, nearest) : nearest;
  });
}

/** [inSize, outSize] with a 1 where output index o reads input index i. */
function selectionMatrix(sources: number[], inSize: number): tf.Tensor2D {
  return tf.oneHot(tf.tensor1d(sources, 'int32'), inSize).transpose() as tf.Tensor2D;
}

/**
 * The gradient of the nearest resize: every output pixel's gradient added to the input pixel it was
 * read from, as two products with 0/1 selection matrices (rows, then columns). tfjs 4.22's cpu kernel
 * indexes dy with the input's batch stride, so for a batch of more than one image it adds gradients
 * from the wrong places (off by 9–135 % of the largest value in a U-Net); wasm's and webgpu's are right.
 */
const resizeNearestNeighborGrad: KernelFunc = ({ inputs, attrs }) => {
  const images = asTensor<tf.Tensor4D>(inputs.images!);
  const dy = asTensor<tf.Tensor4D>(inputs.dy!);
  const { alignCorners, halfPixelCenters } = attrs as {
    alignCorners: boolean;
    halfPixelCenters: boolean;
  };
  return tf.tidy(() => {
    const [b, inH, inW, c] = images.shape;
    const [, outH, outW] = dy.shape;
    const rows = selectionMatrix(nearestSources(inH, outH, alignCorners, halfPixelCenters), inH);
    const cols = selectionMatrix(nearestSources(inW, outW, alignCorners, halfPixelCenters), inW);
    // [B, C, outH, outW] → columns summed into [.., inW] → rows summed into [.., inH].
    const byColumn = dy
      .transpose([0, 3, 1, 2])
      .reshape([b * c * outH, outW])
      .matMul(cols, false, true)
      .reshape([b * c, outH, inW])
      .transpose([0, 2, 1])
      .reshape([b * c * inW, outH]);
    return byColumn.matMul(rows, false, true).reshape([b, c, inW, inH]).transpose([0, 3, 2, 1]);
  });
};

/** Kernels registered only on request: backends other than cpu have correct, faster ones. */
const ON_REQUEST = new Set(['ResizeNearestNeighborGrad']);

/** The kernels this module provides, by kernel name. */
export const TRAINING_KERNELS: Record<string, KernelFunc> = {
  ResizeNearestNeighborGrad: resizeNearestNeighborGrad,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  // wasm has this one, but its own kernel took ~10x a forward convolution (profiled); this is one.
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv3DBackpropFilterV2: conv3dBackpropFilter,
  Conv3DBackpropInputV2: conv3dBackpropInput,
  // wasm's own Conv3D is a plain loop, ~10x slower than the same work as one XNNPACK conv2d.
  Conv3D: conv3d,
  SplitV: splitV,
};

/**
 * Registers {@link TRAINING_KERNELS} (or only `names`; by default all but the on-request ones) for
 * `backendName` (default 'wasm'), replacing that backend's own kernels of the same names. Returns the
 * kernel names registered.
 */
export default function registerTrainingKernels(
  backendName = 'wasm',
  names: readonly string[] = Object.keys(TRAINING_KERNELS).filter((n) => !ON_REQUEST.has(n)),
): readonly string[] {
  for (const kernelName of names) {
    if (tf.getKernel(kernelName, backendName) !== undefined) {
      const current = tf.getKernel(kernelName, backendName) as KernelConfig;
      if (current.kernelFunc === TRAINING_KERNELS[kernelName]) continue;
      tf.unregisterKernel(kernelName, backendName);
    }
    tf.registerKernel({ kernelName, backendName, kernelFunc: TRAINING_KERNELS[kernelName]! });
  }
  return names;
}

/** What the cpu backend needs: a fast conv2d weight gradient, and a nearest-resize gradient that is right. */
export const CPU_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'ResizeNearestNeighborGrad'] as const;
