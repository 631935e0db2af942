// Whether a bundle holds anything to investigate, found cheaply: the small formats are parsed
// (they are cached for the bundle anyway), and each log is read only up to its first event,
// so a gigabyte of good logs costs one chunk, and only a log with no event is read through.
import type { Bundle, BundleFile } from './types.js';

async function hasEvent(bundle: Bundle, file: BundleFile): Promise<boolean> {
  const stop = new AbortController();
  let found = false;
  await bundle.walkLog(
    file,
    () => {
      found = true;
      stop.abort();
    },
    { signal: stop.signal },
  );
  return found;
}

/**
 * True when the bundle holds a page, a metric sample, a change, a diff with file changes or
 * a log event: what an investigation can start from (spec/bundle.md). A folder of anything
 * else (binary files, truncated exports, text without timestamps) holds nothing.
 */
export async function hasReadableContent(bundle: Bundle): Promise<boolean> {
  if ((await bundle.alert()) !== null) return true;
  if ((await bundle.series()).some((series) => series.samples.some((sample) => sample.v !== null))) return true;
  if ((await bundle.changes()).length > 0) return true;
  if ((await bundle.diffs()).some((diff) => diff.files.length > 0)) return true;
  for (const file of bundle.files) {
    if ((file.kind === 'log_text' || file.kind === 'log_jsonl') && (await hasEvent(bundle, file))) return true;
  }
  return false;
}
