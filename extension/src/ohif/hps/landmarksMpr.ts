import { HP_MPR, TOOL_GROUP_MPR } from '../id.ts';

/** Viewport ids of the three MPR views; overlays draw the 3D landmarks in each of them. */
export const MPR_VIEWPORT_IDS = ['mpr-axial', 'mpr-sagittal', 'mpr-coronal'] as const;

const orientations = ['axial', 'sagittal', 'coronal'] as const;

/**
 * Hanging protocol for CT/CBCT volumes: axial, sagittal and coronal MPR of the reconstructable series,
 * in volume viewports of the `mpr` tool group (same layout as OHIF's own `mpr` protocol).
 */
const landmarksMpr = {
  id: HP_MPR,
  name: 'Landmarks MPR',
  locked: true,
  createdDate: '2026-11-25',
  modifiedDate: '2026-11-25',
  availableTo: {},
  editableBy: {},
  numberOfPriorsReferenced: -1,
  protocolMatchingRules: [
    {
      weight: 10,
      attribute: 'ModalitiesInStudy',
      constraint: { contains: { value: 'CT' } },
      required: true,
    },
  ],
  imageLoadStrategy: 'nth',
  callbacks: {},
  displaySetSelectors: {
    volume: {
      seriesMatchingRules: [
        {
          weight: 1,
          attribute: 'isReconstructable',
          constraint: { equals: { value: true } },
          required: true,
        },
      ],
    },
  },
  stages: [
    {
      name: 'MPR 1x3',
      viewportStructure: { layoutType: 'grid', properties: { rows: 1, columns: 3 } },
      viewports: orientations.map((orientation, i) => ({
        viewportOptions: {
          viewportId: MPR_VIEWPORT_IDS[i],
          toolGroupId: TOOL_GROUP_MPR,
          viewportType: 'volume',
          orientation,
          initialImageOptions: { preset: 'middle' },
          syncGroups: [{ type: 'voi', id: 'landmarks-mpr', source: true, target: true }],
        },
        displaySets: [{ id: 'volume' }],
      })),
    },
  ],
};

export default landmarksMpr;
