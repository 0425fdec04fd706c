/**
 * Public types of the synthetic study generator (pixels + landmarks, no DICOM).
 *
 * Pixel frame (2D): x = column index, y = row index, the centre of pixel (column i, row j) is at (i, j),
 * x to the right, y down. Voxel frame (3D): x = column (patient right → left), y = row (anterior →
 * posterior), z = slice index (inferior → superior), voxel centres at integer indices; i.e. the DICOM
 * patient axes (LPS) with identity orientation, so patient mm = index × spacing + origin.
 * Millimetres = pixel coordinate × spacing of that axis.
 */

/** Statistical shape model: mean + Σ b_k · sdMm_k · mode_k, millimetres. */
export interface ShapeModelParameters {
  dimension: 2 | 3;
  /** n × d mean shape, mm, centroid at the origin. */
  mean: number[][];
  /** K modes, each n × d, unit norm over all coordinates. */
  modes: number[][][];
  /** Standard deviation of each mode's coefficient, mm. */
  sdMm: number[];
  /** Mean centroid size (sqrt of the sum of squared distances to the centroid), mm. */
  centroidSizeMm: number;
  /** Standard deviation of the centroid size in the source population, mm. */
  centroidSizeSdMm: number;
}

/**
 * An imaging "device": how the ideal attenuation map becomes stored pixel values. Devices differ so
 * that labelled and unlabelled studies can come from different scanners, as in the paper.
 */
export interface DeviceProfile {
  /** Preset name, stored in each study. */
  name: string;
  /** Stored bits per pixel (pixel values are in [0, 2^bitsStored − 1]). */
  bitsStored: number;
  /** Exponent applied to the normalised signal (1 = linear). */
  gamma: number;
  /** Multiplier of the signal, normalised units (full scale = 1). */
  contrast: number;
  /** Added to the signal, normalised units. */
  offset: number;
  /** Gaussian blur of the detector, standard deviation in mm. */
  blurMm: number;
  /** Noise standard deviation at full signal, normalised units (scales with √signal, plus a floor). */
  noiseSd: number;
  /** Geometric magnification of the anatomy (cephalostats ≈ 1.1). */
  magnification: number;
  /** Mean shift of the anatomy in the field of view, mm, per axis. */
  fovOffsetMm: number[];
  /** Amplitude of a linear intensity ramp across the field (heel effect), normalised units. */
  rampAmplitude: number;
  /** CBCT reconstruction artefacts of the clinical generator; defaults in acquireClinicalCbct.ts. */
  cbct?: CbctArtefacts;
}

/** How a simulated CBCT unit reconstructs: noise, beam hardening, field of view (HU where noted). */
export interface CbctArtefacts {
  /** Standard deviation of the reconstruction noise, HU. */
  noiseHu: number;
  /** Depth of the dark streak between two metal objects in one axial slice, HU. */
  streakHu: number;
  /** Cupping: the centre of the field reads this many HU darker than its edge. */
  cuppingHu: number;
  /** Brightening next to the edge of a field that cuts the head (truncation), HU. */
  truncationHu: number;
  /** Radius of the cylindrical field of view, fraction of half the smaller axial extent. */
  fovRadiusFraction: number;
  /** What the unit stores outside the cylindrical field, HU (−1024 → stored 0). */
  outsideHu: number;
  /** Gaussian blur of the reconstruction, standard deviation in mm. */
  blurMm: number;
}

/** Random pose of the anatomy: global similarity transform drawn per study. */
export interface PoseJitter {
  /** SD of the relative scale (1 = model size); default from the model's centroid size SD. */
  scaleSd?: number;
  /** SD of the in-plane rotation (2D) or of each axis rotation (3D), degrees; default 4. */
  rotationSdDeg?: number;
  /** SD of the translation per axis, mm; default 6. */
  translationSdMm?: number;
}

/** The pose actually applied: x_image_mm = centre + offset + s · R · x_model_mm. */
export interface Pose {
  scale: number;
  /** 2D: [θ]; 3D: [about x, about y, about z], radians. */
  rotationRad: number[];
  /** Translation added to the field centre, mm, per axis (device offset included). */
  translationMm: number[];
}

/** Options shared by the 2D and 3D generators. */
export interface GeneratorOptions {
  /** 32-bit integer seed; the study is a pure function of the options. Default 1. */
  seed?: number;
  /** Device preset name or a full profile; default the kind's first preset. */
  device?: string | DeviceProfile;
  /** Study id; default `<kind>-<device>-<seed>`. */
  id?: string;
  /** Mode coefficients are drawn from N(0, 1) and clamped to ±shapeSigmaLimit; default 3. */
  shapeSigmaLimit?: number;
  /** Extra isotropic per-landmark noise not explained by the modes, SD in mm; default 0.5. */
  residualSdMm?: number;
  /** Pose variation; zeros give the mean pose. */
  pose?: PoseJitter;
  /** Number of landmark-like distractor structures placed away from the landmarks; default 3. */
  distractors?: number;
}

/** Options of {@link generateCephalogram}. */
export interface CephalogramOptions extends GeneratorOptions {
  /** Columns; default 256. */
  width?: number;
  /** Rows; default 320. */
  height?: number;
  /**
   * Millimetres per pixel, [x (column), y (row)]; default [0.8, 0.8] at the default size, otherwise
   * the isotropic spacing that fits the default 204.8 × 256 mm field into width × height.
   */
  spacingMm?: [number, number];
}

/** Options of {@link generateCbctVolume}. */
export interface CbctOptions extends GeneratorOptions {
  /** Columns (x, right → left); default 64. */
  width?: number;
  /** Rows (y, anterior → posterior); default 64. */
  height?: number;
  /** Slices (z, inferior → superior); default 56. */
  depth?: number;
  /**
   * Millimetres per voxel, [x, y, z]; default [3, 3, 3] at the default size (the face fits the
   * 192 × 192 × 168 mm field), otherwise the isotropic spacing that fits that field into the grid.
   */
  spacingMm?: [number, number, number];
}

/** Options of {@link generateClinicalCbctVolume}: the same fields, other defaults. */
export interface ClinicalCbctOptions extends CbctOptions {
  /**
   * Width, height and depth default to 336 × 336 × 304 voxels of 0.5 mm (a 16.8 × 16.8 × 15.2 cm field);
   * another size without spacingMm keeps that field (isotropic spacing).
   */
  spacingMm?: [number, number, number];
}

/** What every synthetic study carries. */
interface StudyBase {
  id: string;
  /** Stored values, row-major (x fastest, then y, then z), in [0, 2^bitsStored − 1]. */
  pixels: Uint16Array;
  width: number;
  height: number;
  bitsStored: number;
  /** n × d landmark coordinates in pixels (voxels), see the frame conventions above. */
  landmarksPx: number[][];
  landmarkNames: readonly string[];
  /** Device preset name. */
  device: string;
  seed: number;
  /** Mode coefficients in units of each mode's SD (after clamping). */
  shapeParams: number[];
  pose: Pose;
}

/** A 2D cephalogram-like image (lateral view, face to the right, bone bright). */
export interface SyntheticImage extends StudyBase {
  kind: 'cephalogram';
  /** [x (column), y (row)] millimetres per pixel. NB DICOM PixelSpacing is (row, column). */
  spacingMm: [number, number];
}

/** A 3D CBCT-like volume (bone bright). */
export interface SyntheticVolume extends StudyBase {
  kind: 'cbct';
  depth: number;
  /** [x, y, z] millimetres per voxel. */
  spacingMm: [number, number, number];
}

/**
 * A 2D hand radiograph-like image (PA view, fingers up). Kept out of {@link SyntheticStudy} so that
 * code switching on cephalogram/CBCT stays exhaustive.
 */
export interface SyntheticHandImage extends StudyBase {
  kind: 'hand';
  /** [x (column), y (row)] millimetres per pixel. */
  spacingMm: [number, number];
}

/** Either kind of synthetic study. */
export type SyntheticStudy = SyntheticImage | SyntheticVolume;
