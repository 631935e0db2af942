// Log template mining: group log messages into the events that printed them, count the
// events, and compare their rates around a moment in time.
export { TemplateMiner } from './miner.js';
export type { MinerOptions, Template } from './miner.js';
export { tokenize, tokenizeMasked } from './tokenize.js';
export { maskToken, WILDCARD } from './shapes.js';
export { renderTemplate } from './render.js';
export { compareCounts } from './compare.js';
export type { CountShift, ShiftKind, CompareOptions } from './compare.js';
export { groupingAccuracy } from './accuracy.js';
