// The log files a log tool reads: chosen by path pattern and, where cheap, by service.
import type { Bundle, BundleFile, LogLevel } from '../../bundle/index.js';
import { InputError } from '../../errors.js';
import { compileNamePattern } from './patterns.js';

export const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export function levelRank(level: LogLevel | null): number {
  return level === null ? -1 : LEVELS.indexOf(level);
}

export function isLogFile(file: BundleFile): boolean {
  return file.kind === 'log_text' || file.kind === 'log_jsonl';
}

/** Log files whose bundle path matches `pattern` (glob, /regex/, substring, or exact path); all when undefined. */
export function selectLogFiles(bundle: Bundle, pattern: string | undefined): BundleFile[] {
  const logs = bundle.files.filter(isLogFile);
  if (logs.length === 0) {
    throw new InputError('the bundle has no log files', { hint: 'logs live in logs/*.log (text) or logs/*.jsonl (JSON lines)' });
  }
  if (pattern === undefined) return logs;
  const exact = logs.filter((f) => f.path === pattern.replace(/^\.?\//, ''));
  if (exact.length > 0) return exact;
  const match = compileNamePattern(pattern, 'file');
  const chosen = logs.filter((f) => match(f.path));
  if (chosen.length === 0) {
    throw new InputError(`no log file matches "${pattern}"`, { hint: `log files: ${logs.slice(0, 20).map((f) => f.path).join(', ')}` });
  }
  return chosen;
}
