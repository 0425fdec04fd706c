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

/**
 * The 37 hand landmarks, in the order of ../shared/data/hand-xray-shapes (x1..x37). Roles read from
 * the mean shape: 1–13 wrist and carpal region (1 ulnar, 5 radial distal end), 14–18 metacarpal bases
 * (little → thumb), then thumb MCP, IP, tip (19–21) and, per finger, MCP, PIP, DIP, tip: index 22–25,
 * middle 26–29, ring 30–33, little 34–37.
 */
export const HAND_LANDMARKS: readonly string[] = [
  ...Array.from({ length: 13 }, (_, i) => `Carpal region ${i + 1}`),
  ...['little', 'ring', 'middle', 'index', 'thumb'].map((d) => `Metacarpal base (${d})`),
  'Thumb MCP',
  'Thumb IP',
  'Thumb tip',
  ...['Index', 'Middle', 'Ring', 'Little'].flatMap((d) => [
    `${d} MCP`,
    `${d} PIP`,
    `${d} DIP`,
    `${d} tip`,
  ]),
];
