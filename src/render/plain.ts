// One plain line per event for piped output: time, tag, text. No escape codes, no
// wrapping, stable columns, so grep and awk work on it. On a terminal (`width` given) the
// text wraps under itself instead of running off the edge.
import type { StreamEvent } from '../protocol/events.js';
import { describeEvent } from './describe.js';
import { clockTime, stripControl } from './format.js';
import type { SessionView } from './view.js';
import { hang } from './wrap.js';

const TAG_WIDTH = 9;

/** `view` is the session folded through this event; null when the event has no line. */
export function renderPlainLine(event: StreamEvent, view: SessionView, width?: number | null): string | null {
  const described = describeEvent(event, view);
  if (!described) return null;
  const text = stripControl(described.text, true).trimEnd();
  return hang(`${clockTime(described.at)} ${described.tag.padEnd(TAG_WIDTH)} `, text, width).trimEnd();
}
