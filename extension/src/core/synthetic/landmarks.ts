/** Landmark names of the synthetic studies. */
import { CBCT_MODEL_LANDMARKS } from './models/shapeModels.ts';

/**
 * The 19 ISBI 2015 cephalometric landmarks, in the challenge's order (see ../shared/data/README.md):
 * index i here is column pair (x{i+1}, y{i+1}) of the landmark CSV files.
 */
export const CEPHALOGRAM_LANDMARKS: readonly string[] = [
  'Sella',
  'Nasion',
  'Orbitale',
  'Porion',
  'Subspinale (A point)',
  'Supramentale (B point)',
  'Pogonion',
  'Menton',
  'Gnathion',
  'Gonion',
  'Lower incisal incision',
  'Upper incisal incision',
  'Upper lip',
  'Lower lip',
  'Subnasale',
  'Soft tissue pogonion',
  'Posterior nasal spine',
  'Anterior nasal spine',
  'Articulare',
];

/**
 * The 14 CBCT skull landmarks of the synthetic volumes, in order: Sella, Nasion, Anterior nasal spine,
 * Posterior nasal spine, Subspinale (A point), Supramentale (B point), Pogonion, Menton, Right porion,
 * Left porion, Right orbitale, Left orbitale, Right gonion, Left gonion.
 */
export const CBCT_LANDMARKS: readonly string[] = CBCT_MODEL_LANDMARKS;
