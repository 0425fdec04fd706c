import { HP_2D, TOOL_GROUP_2D } from '../id.ts';

/**
 * Hanging protocol for 2D X-rays (DX, CR, single images): one stack viewport showing the first image
 * series. Matches every study that does not contain CT; the MPR protocol takes CT/CBCT volumes.
 */
const landmarks2d = {
  id: HP_2D,
  name: 'Landmarks 2D',
  locked: true,
  createdDate: '2026-11-25',
  modifiedDate: '2026-11-25',
  availableTo: {},
  editableBy: {},
  numberOfPriorsReferenced: -1,
  protocolMatchingRules: [
    {
      weight: 1,
      attribute: 'ModalitiesInStudy',
      constraint: { doesNotContain: { value: 'CT' } },
      required: false,
    },
  ],
  imageLoadStrategy: 'interleaveTopToBottom',
  callbacks: {},
  displaySetSelectors: {
    xray: {
      seriesMatchingRules: [
        {
          weight: 10,
          attribute: 'Modality',
          constraint: { equals: { value: 'DX' } },
        },
        {
          weight: 5,
          attribute: 'Modality',
          constraint: { equals: { value: 'CR' } },
        },
        {
          weight: 1,
          attribute: 'numImageFrames',
          constraint: { greaterThan: { value: 0 } },
          required: true,
        },
      ],
    },
  },
  stages: [
    {
      name: 'One X-ray',
      viewportStructure: { layoutType: 'grid', properties: { rows: 1, columns: 1 } },
      viewports: [
        {
          viewportOptions: {
            viewportId: 'landmarks-2d',
            toolGroupId: TOOL_GROUP_2D,
            viewportType: 'stack',
            allowUnmatchedView: true,
          },
          displaySets: [{ id: 'xray' }],
        },
      ],
    },
  ],
};

export default landmarks2d;
