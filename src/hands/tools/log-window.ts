// Which stretches of a log file a windowed read must walk. Each file's block map (from the
// bundle's one pass over it) says the time range of every block of about a megabyte; a block
// whose events all fall outside the window holds nothing the window wants and is skipped. This
// is exact whatever order the file is in: no binary search assumes sorted timestamps.
import type { Bundle, BundleFile, LogBlock, LogMap, WalkRange } from '../../bundle/index.js';
import type { Window } from './time-args.js';

export interface FilePlan {
  file: BundleFile;
  map: LogMap;
  /** The blocks that hold events in the window, in file order. */
  blocks: LogBlock[];
}

const unbounded = (window: Window): boolean => window.from === null && window.to === null;

/** True when some line of the block may be dated in the window (undated events are in no window). */
export function reachesWindow(block: LogBlock, window: Window): boolean {
  if (unbounded(window)) return true;
  if (block.first === null || block.last === null) return false;
  return (window.from === null || block.last >= window.from) && (window.to === null || block.first <= window.to);
}

/** True when every event of the block is in the window, so its counts can be taken without reading it. */
export function insideWindow(block: LogBlock, window: Window): boolean {
  if (unbounded(window)) return true;
  if (block.undated > 0 || block.first === null || block.last === null) return false;
  return (window.from === null || block.first >= window.from) && (window.to === null || block.last <= window.to);
}

/**
 * Blocks as walk ranges, neighbours joined. A gzip file is read from its start whatever the
 * range, so it gets one range from the first block to the last: what lies between is walked
 * rather than decompressed again for each range.
 */
export function walkRanges(blocks: readonly LogBlock[], file: Pick<BundleFile, 'gzip'>): WalkRange[] {
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (file.gzip && first !== undefined && last !== undefined) return [{ offset: first.offset, line: first.line, end: last.end }];
  const ranges: WalkRange[] = [];
  for (const block of blocks) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.end === block.offset) last.end = block.end;
    else ranges.push({ offset: block.offset, line: block.line, end: block.end });
  }
  return ranges;
}

/** Each file's map (one pass per file, cached by the bundle) and the blocks the window reaches. */
export async function planWindow(bundle: Bundle, files: readonly BundleFile[], window: Window, signal: AbortSignal): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const file of files) {
    const map = await bundle.logMap(file, { signal });
    plans.push({ file, map, blocks: map.blocks.filter((block) => reachesWindow(block, window)) });
  }
  return plans;
}
