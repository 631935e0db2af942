// One evidence item as a line a person reads: where it is (`logs/api.log:86`, a series, a
// change) and what it shows, each said once. Brains often start the detail with the ref
// again (a series name, a log line that begins with the time the brain also put in front),
// and a ref under `logs/` needs no "logs" before it.
import type { Evidence } from '../protocol/diagnosis.js';
import { oneLine, stripControl } from './format.js';

/** The source and the ref, the source left out when the ref already starts with it. */
export function evidenceLabel(item: Evidence): string {
  const ref = stripControl(item.ref, true).trim();
  const source = stripControl(item.source, true).trim();
  if (source === '' || ref === source || ref.startsWith(`${source}/`)) return ref;
  return `${source} ${ref}`;
}

/** A run of six or more non-blank characters said twice in a row (a time, a series name). */
const REPEATED = /(\S{6,})(?:\s+\1)+(?=\s|$)/g;

/** The detail without a repeat of the ref in front and without words said twice in a row. */
export function evidenceDetail(item: Evidence): string {
  let detail = oneLine(stripControl(item.detail, true));
  const ref = oneLine(stripControl(item.ref, true));
  if (ref !== '' && detail.startsWith(ref)) detail = detail.slice(ref.length).replace(/^[\s:;,.-]+/, '');
  return detail.replace(REPEATED, '$1');
}
