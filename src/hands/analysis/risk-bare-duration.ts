// A setting now read as a duration while the configuration gives it as a bare number. Go's
// configuration readers (viper's `GetDuration`, spf13/cast's `ToDuration`) read a number with no
// unit as nanoseconds: `accept_window: 45`, meant as seconds by the code it replaces, becomes
// 45 ns, and whatever it bounds (a window, a timeout, a lifetime) is over before it begins. A
// test that sets "45s" passes; production's file that still says 45 does not. Read where the
// change's own diff shows both the new read and the bare number (in its added or unchanged lines).
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { isComment, stripComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A duration read of a configuration key, by its dotted name: `v.GetDuration("offers.accept_window")`, `cast.ToDuration(v.Get("x"))`. */
const DURATION_READ = /\b(?:GetDuration|getDuration)\s*\(\s*"([\w.-]+)"|\bToDuration(?:E)?\s*\(\s*\w+\.Get\s*\(\s*"([\w.-]+)"/g;
/** A configuration line giving a key a bare number: `  accept_window: 45`, `ACCEPT_WINDOW=45`. */
const BARE_NUMBER = /^\s*["']?([\w.-]+)["']?\s*[:=]\s*["']?(\d+)["']?\s*(?:#.*)?$/;
/** Files that configure, not code. */
const CONFIG_FILE = /\.(?:ya?ml|json|toml|ini|env|properties|conf)$|(?:^|\/)\.env/i;
/** Test files set the value their own way ("45s"): they say nothing of production's. */
const TEST_FILE = /(?:^|\/)(?:test|tests|spec|__tests__)\/|_test\.go$|\.test\.|\.spec\./i;

const lastPart = (key: string): string => key.split('.').pop()?.toLowerCase() ?? '';

export function bareDurations(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const reads: Array<{ line: DiffLine; path: string; key: string }> = [];
  const bare = new Map<string, string>();
  for (const file of files) {
    const path = file.newPath ?? file.oldPath ?? '';
    if (TEST_FILE.test(path)) continue;
    for (const line of file.hunks.flatMap((h) => h.lines)) {
      if (line.kind === 'del' || isComment(line.text)) continue;
      if (CONFIG_FILE.test(path)) {
        const m = BARE_NUMBER.exec(line.text);
        if (m && Number(m[2]) > 0) bare.set(lastPart(m[1] as string), m[2] as string);
        continue;
      }
      if (line.kind !== 'add') continue;
      for (const m of stripComment(line.text).matchAll(DURATION_READ)) reads.push({ line, path, key: (m[1] ?? m[2]) as string });
    }
  }
  const read = reads.find((r) => bare.has(lastPart(r.key)));
  if (read === undefined) return [];
  const key = lastPart(read.key);
  const value = bare.get(key) as string;
  return [
    makeSignal(diff, read.path, read.line, 'unit_mismatch', `${read.key} is now read as a duration, but the configuration gives ${key} as ${value} with no unit: a bare number is read as nanoseconds, so it is ${value} ns`, {
      identifiers: [key],
    }),
  ];
}
