/** Data types of the learning pipeline. */

/** A single-channel image in its original pixels, row-major (index = y·width + x), any intensity range. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

/**
 * A single-channel volume in its original voxels (index = (z·height + y)·width + x: x fastest, then y,
 * then slice z, as dicom/volume.ts assembles a series), any intensity range, with its voxel size.
 */
export interface GrayVolume {
  width: number;
  height: number;
  depth: number;
  voxels: Float32Array;
  /** Millimetres per voxel along (x, y, z); may be anisotropic. */
  spacingMm: [number, number, number];
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

/**
 * The 3D letterbox: original voxels → network-input voxels, input = original · scale + offset per axis
 * (continuous, voxel i covering [i, i+1), as {@link Letterbox}). The scales differ per axis so that every
 * input voxel covers about the same millimetres along x, y and z (physical aspect kept).
 */
export interface VolumeLetterbox extends Letterbox {
  scaleZ: number;
  offsetZ: number;
  /** Network input depth, voxels. */
  inputDepth: number;
}

/**
 * What the training loop needs of a sample, 2D or 3D: the input intensities, the labels (if any) in
 * INPUT pixels/voxels and the millimetres per input pixel/voxel.
 */
export interface LearningSample {
  id: string;
  /** Input intensities normalised to [0, 1]: H × W (2D) or D × H × W (3D), x fastest. */
  image: Float32Array;
  /**
   * n × 2 (x, y) or n × 3 (x, y, z) landmark coordinates in input pixels/voxels; NaN rows are missing.
   * Absent when unlabelled.
   */
  landmarks?: number[][];
  /** Millimetres per INPUT pixel/voxel along (x, y[, z]). */
  spacingMm: number[];
}

/** One image ready for the network, with its labels (if any) in INPUT pixels. */
export interface TrainingSample extends LearningSample {
  /** inputHeight × inputWidth intensities normalised to [0, 1], row-major. */
  image: Float32Array;
  /** n × 2 landmark coordinates (x, y) in input pixels; NaN rows are missing. Absent when unlabelled. */
  landmarks?: number[][];
  /** Millimetres per INPUT pixel along (x, y). */
  spacingMm: number[];
  /** How the original image maps to the input (to map predictions back). */
  letterbox: Letterbox;
}

/** One volume ready for the network, with its labels (if any) in INPUT voxels (n × 3, x y z). */
export interface VolumeSample extends LearningSample {
  /** How the original volume maps to the input (to map predictions back). */
  letterbox: VolumeLetterbox;
}
