// Raw bytes of a log file in chunks that end on a line boundary: the bundle's chunk reader
// (src/bundle/line-chunks.ts), which scanners here search before they decode anything.
export { CHUNK_BYTES, lineChunks } from '../../bundle/index.js';
export type { ChunkOptions } from '../../bundle/index.js';
