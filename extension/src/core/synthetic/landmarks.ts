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
 * The 18 CBCT skull landmarks of the synthetic volumes, the viewer's CBCT template (names and order):
 * Sella, Nasion, Basion, Anterior nasal spine, Posterior nasal spine, Subspinale (A point),
 * Supramentale (B point), Pogonion, Menton, Orbitale R/L, Porion R/L, Gonion R/L, Condylion R/L,
 * Upper incisal incision (R = patient right).
 */
export const CBCT_LANDMARKS: readonly string[] = CBCT_MODEL_LANDMARKS;

/**
 * The 37 hand landmarks, named like the viewer's hand template ('Hand 01'..'Hand 37', the order of
 * ../shared/data/hand-xray-shapes). Roles read from the mean shape: 1–13 wrist and carpal region
 * (1 ulnar, 5 radial distal end), 14–18 metacarpal bases (little → thumb), thumb MCP, IP, tip (19–21)
 * and, per finger, MCP, PIP, DIP, tip: index 22–25, middle 26–29, ring 30–33, little 34–37.
 */
export const HAND_LANDMARKS: readonly string[] = Array.from(
  { length: 37 },
  (_, i) => `Hand ${String(i + 1).padStart(2, '0')}`,
);
