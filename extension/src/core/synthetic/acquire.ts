/**
 * Simulated acquisition: attenuation map (2D or 3D, row-major, x fastest) → stored pixel values.
 * signal = offset + contrast · (1 − e^(−A))^γ + ramp; then detector blur, signal-dependent Gaussian
 * noise, and quantisation to the device's bit depth.
 */
import type { Random } from './random.ts';
import type { DeviceProfile } from './types.ts';

/**
 * Separable Gaussian blur in place, σ per axis in pixels (edges clamped). Hand-written: a few lines,
 * and no image library in the dependencies works on Float32Array volumes.
 */
export function gaussianBlur(data: Float32Array, dims: number[], sigmaPx: number[]): void {
  const strides = dims.map((_, a) => dims.slice(0, a).reduce((p, d) => p * d, 1));
  dims.forEach((size, axis) => {
    const sigma = sigmaPx[axis];
    if (!(sigma > 0.05) || size < 2) return;
    const radius = Math.ceil(3 * sigma);
    const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) =>
      Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
    );
    const norm = kernel.reduce((a, b) => a + b, 0);
    const stride = strides[axis];
    const line = new Float32Array(size);
    const outer = data.length / (stride * size);
    for (let o = 0; o < outer; o++) {
      for (let inner = 0; inner < stride; inner++) {
        const start = o * stride * size + inner;
        for (let i = 0; i < size; i++) line[i] = data[start + i * stride];
        for (let i = 0; i < size; i++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) {
            const j = i + k < 0 ? 0 : i + k >= size ? size - 1 : i + k;
            sum += kernel[k + radius] * line[j];
          }
          data[start + i * stride] = sum / norm;
        }
      }
    }
  });
}

/**
 * Turns an attenuation map into stored values for a device.
 * @param attenuation non-negative attenuation map (modified in place).
 * @param dims sizes per axis (x first).
 * @param spacingMm millimetres per pixel per axis.
 */
export default function acquire(
  attenuation: Float32Array,
  dims: number[],
  spacingMm: number[],
  device: DeviceProfile,
  rng: Random,
): Uint16Array {
  const signal = attenuation;
  const direction = dims.map(() => rng.normal());
  const norm = Math.hypot(...direction) || 1;
  // Ramp term per axis and index: direction · (position / extent − ½).
  const ramps = dims.map((size, a) =>
    Float32Array.from(
      { length: size },
      (_, i) => ((direction[a] / norm) * (i + 0.5)) / size - (direction[a] / norm) * 0.5,
    ),
  );
  const [nx, ny = 1, nz = 1] = dims;
  const [rx, ry = new Float32Array(1), rz = new Float32Array(1)] = ramps;
  for (let z = 0, k = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const rzy = rz[z] + ry[y];
      for (let x = 0; x < nx; x++, k++) {
        const a = 1 - Math.exp(-Math.max(0, signal[k]));
        signal[k] =
          device.offset +
          device.contrast * a ** device.gamma +
          device.rampAmplitude * (rzy + rx[x]);
      }
    }
  }
  gaussianBlur(
    signal,
    dims,
    spacingMm.map((s) => device.blurMm / s),
  );
  const maxValue = 2 ** device.bitsStored - 1;
  const out = new Uint16Array(signal.length);
  for (let k = 0; k < signal.length; k++) {
    const s = Math.max(0, signal[k]);
    const noisy = s + device.noiseSd * Math.sqrt(s + 0.05) * rng.normal();
    out[k] = Math.round(Math.min(1, Math.max(0, noisy)) * maxValue);
  }
  return out;
}
