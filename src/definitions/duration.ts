// Durations in definition files are written the way people say them (`30s`, `2m`,
// `1m30s`, `500ms`) and parsed to milliseconds, so nothing downstream guesses units.
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds for a duration such as `30s`, `2m`, `1m30s` or `250ms`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** Formats milliseconds back into the shortest form the parser reads (`90000` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}

/**
 * A duration field: reads a string like `30s`, yields milliseconds. Bounds are part of
 * the field so a typo such as `30h` for a per-call timeout is caught at load time.
 */
export function durationMs(bounds: { min: number; max: number }): z.ZodType<number, string> {
  const range = `from ${formatDuration(bounds.min)} to ${formatDuration(bounds.max)}`;
  return z
    .string({ error: `must be a duration such as 500ms, 30s, 2m or 1h (${range})` })
    .transform((text, ctx) => {
      const ms = parseDuration(text.trim());
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a duration such as 500ms, 30s, 2m or 1h (${range})` });
        return z.NEVER;
      }
      if (ms < bounds.min || ms > bounds.max) {
        ctx.addIssue({ code: 'custom', message: `must be ${range}` });
        return z.NEVER;
      }
      return ms;
    });
}
