/** Cornerstone tool names registered by this extension (the only source of them). */
export const toolNames = {
  /** Point annotation that places the next landmark of the active template. */
  LandmarkPoint: 'LandmarkPoint',
} as const;
