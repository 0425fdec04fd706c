/** Data types of the learning pipeline. */

/** A single-channel image in its original pixels, row-major (index = y·width + x), any intensity range. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

/**
 * Mapping between original pixels and network-input pixels (letterbox: aspect kept, zero padding).
 * Continuous coordinates with pixel i covering [i, i+1): input = original · scale + offset, per axis.
 */
export interface Letterbox {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
  /** Network input size, pixels. */
  inputWidth: number;
  inputHeight: number;
}

/** One image ready for the network, with its labels (if any) in INPUT pixels. */
export interface TrainingSample {
  id: string;
  /** inputHeight × inputWidth intensities normalised to [0, 1], row-major. */
  image: Float32Array;
  /** n × 2 landmark coordinates (x, y) in input pixels; NaN rows are missing. Absent when unlabelled. */
  landmarks?: number[][];
  /** Millimetres per INPUT pixel along (x, y). */
  spacingMm: number[];
  /** How the original image maps to the input (to map predictions back). */
  letterbox: Letterbox;
}
