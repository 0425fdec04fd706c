/** Landmark metrics: radial error (mm), MRE, SD, SDR per landmark and overall, table formatting. */
export { default as radialErrors } from './radialErrors.ts';
export { default as errorStatistics } from './errorStatistics.ts';
export { default as landmarkMetrics } from './landmarkMetrics.ts';
export { default as evaluateLandmarks, type Evaluation } from './evaluateLandmarks.ts';
export { default as formatMetricsTable, type TableOptions } from './formatMetricsTable.ts';
export * from './types.ts';
