// An idle timeout set where none was: a load balancer's `tcp_idle_timeout_seconds = 60`, a
// proxy's `idle_timeout: 60s`, added to a listener that had kept the platform's default (AWS's
// NLB: 350 s). Every connection quiet for longer is now forgotten or cut, which the busy ones
// never notice; clients that hold a connection open and speak only every so often (a keepalive
// of 90 s, a stream, a pooled connection) find it reset on their next word. The value may come
// through a variable the same diff declares (`var.default_tcp_idle_timeout`, default 60).
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { codeWords, isComment, stripComment } from './code-words.js';
import { settingsOnLine } from './risk-settings.js';
import { parseValue } from './risk-values.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A key for how long a connection may sit idle: its words say idle (or keepalive) and timeout. */
function idleTimeoutKey(key: string): boolean {
  const words = codeWords(key);
  return words.includes('idle') && (words.includes('timeout') || words.includes('ttl'));
}

/** A duration in seconds (`60`, `"60"`, `30s`, `1m`, `PT1M`), as settings are read everywhere; null for anything else. */
function seconds(raw: string, key: string): number | null {
  const value = parseValue(raw, { key });
  return value.type === 'number' && (value.dimension === 'duration' || value.dimension === 'plain') ? value.value : null;
}

/** Defaults of variables the diff adds: Terraform's `variable "x" { … default = 60 }`. */
function variableDefaults(files: readonly DiffFile[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of files) {
    for (const hunk of file.hunks) {
      let open: string | null = null;
      for (const line of hunk.lines) {
        if (line.kind === 'del') continue;
        const code = stripComment(line.text);
        const declared = /^\s*variable\s+"([\w-]+)"/.exec(code);
        if (declared) open = declared[1] as string;
        const value = /^\s*default\s*=\s*(\S+)\s*$/.exec(code);
        if (open !== null && value) {
          const n = seconds(value[1] as string, open);
          if (n !== null) out.set(open, n);
          open = null;
        }
      }
    }
  }
  return out;
}

/** The seconds an added value sets: a number, or a variable (named anywhere in it) the diff gives a default. */
function valueOf(raw: string, key: string, defaults: ReadonlyMap<string, number>): { seconds: number; via: string | null } | null {
  const direct = seconds(raw, key);
  if (direct !== null) return { seconds: direct, via: null };
  for (const m of raw.matchAll(/\bvar\.([\w-]+)/g)) {
    const n = defaults.get(m[1] as string);
    if (n !== undefined) return { seconds: n, via: `var.${m[1] as string}` };
  }
  return null;
}

/** Idle timeouts a diff sets on lines of files that existed, where the hunk did not set that key before. */
export function idleTimeoutsAdded(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const defaults = variableDefaults(files);
  const out: RiskSignal[] = [];
  for (const file of files) {
    if (file.oldPath === null) continue;
    const path = file.newPath ?? file.oldPath;
    for (const hunk of file.hunks) {
      const before = new Set(
        hunk.lines.filter((l) => l.kind !== 'add').flatMap((l) => settingsOnLine(stripComment(l.text)).map(({ key }) => key.toLowerCase())),
      );
      for (const line of hunk.lines as DiffLine[]) {
        if (line.kind !== 'add' || isComment(line.text)) continue;
        for (const { key, raw } of settingsOnLine(stripComment(line.text))) {
          if (!idleTimeoutKey(key) || before.has(key.toLowerCase())) continue;
          const value = valueOf(raw, key, defaults);
          if (value === null) continue;
          out.push(
            makeSignal(
              diff,
              path,
              line,
              'limit_changed',
              `${key} set to ${value.seconds} s${value.via === null ? '' : ` (${value.via})`} where none was: connections idle longer than that are now cut, and clients that speak only now and then find theirs reset`,
              { new: String(value.seconds), direction: 'tightened', bounds: 'time', identifiers: [key, ...(value.via === null ? [] : [value.via.slice(4)])] },
            ),
          );
        }
      }
    }
  }
  return out;
}
