// Name patterns in tool arguments: a glob (`*` any run, `?` one character, anchored,
// case-insensitive), a /regular expression/ with optional flags (unanchored), or, when the
// text has neither, a case-insensitive substring.
import { InputError } from '../../errors.js';

export type NameMatcher = (value: string) => boolean;

export function compileNamePattern(pattern: string, argument: string): NameMatcher {
  const slashed = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (slashed) {
    let regex: RegExp;
    try {
      regex = new RegExp(slashed[1] ?? '', (slashed[2] ?? '').replace(/[gy]/g, ''));
    } catch (error) {
      throw new InputError(`${argument} ${pattern} is not a valid regular expression: ${(error as Error).message}`, {
        hint: 'escape special characters, or use a glob such as *latency*',
      });
    }
    return (value) => regex.test(value);
  }
  if (/[*?]/.test(pattern)) {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const regex = new RegExp(`^${source}$`, 'is');
    return (value) => regex.test(value);
  }
  const needle = pattern.toLowerCase();
  return (value) => value.toLowerCase().includes(needle);
}

/** Case-insensitive equality, for service names. */
export function sameName(a: string | null, b: string): boolean {
  return a !== null && a.toLowerCase() === b.toLowerCase();
}
