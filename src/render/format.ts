// Small formatters shared by every renderer, so a duration or a cost reads the same in
// the TUI, piped lines and the report.

/** Milliseconds between two ISO times, or null when either is missing or unparsable. */
export function msBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.max(0, b - a);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

export function formatCost(usd: number | null): string {
  if (usd === null) return '';
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** HH:MM:SS in UTC (incident timelines are read in UTC), or a placeholder. */
export function clockTime(iso: string | null | undefined): string {
  if (!iso) return '--:--:--';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '--:--:--';
  return new Date(ms).toISOString().slice(11, 19);
}

/** Whitespace collapsed to single spaces: a multi-line text as one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cut to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max === 1) return '…';
  return `${chars.slice(0, max - 1).join('')}…`;
}

export function firstLine(text: string): string {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.length > 0) return trimmed;
  }
  return '';
}

/** A short rendering of any JSON value for argument lists. */
export function shortValue(value: unknown, max = 60): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return truncate(oneLine(value), max);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return truncate(value.map((item) => shortValue(item, max)).join(','), max);
  return truncate(JSON.stringify(value), max);
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Control characters removed (escape sequences included): tool output quotes logs and
 * files verbatim, and none of it may drive the reader's terminal. Newlines survive
 * unless `singleLine`.
 */
export function stripControl(text: string, singleLine = false): string {
  const cleaned = text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');
  return singleLine ? cleaned.replace(/\n/g, ' ') : cleaned;
}

/** A bar of `width` cells filled in proportion to a 0..1 value. */
export function confidenceBar(value: number, width = 10): string {
  const clamped = Math.min(1, Math.max(0, value));
  const filled = Math.round(clamped * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** The last `max` lines of a program's output, control characters removed, and how many came before. */
export function tailLines(text: string, max: number): { lines: string[]; hidden: number } {
  // A carriage return redraws its line (progress bars): only what was drawn last is kept.
  const all = text.split('\n').map((raw) => {
    const line = raw.replace(/\r+$/, '');
    return stripControl(line.slice(line.lastIndexOf('\r') + 1), true).trimEnd();
  });
  while (all.length > 0 && all.at(-1) === '') all.pop();
  while (all.length > 0 && all[0] === '') all.shift();
  const hidden = Math.max(0, all.length - Math.max(0, max));
  return { lines: all.slice(hidden), hidden };
}
