// Human output for a TTY: the same descriptions as the plain lines, with symbols,
// colour (when allowed) and agent messages rendered from their markdown. Colour is a
// parameter, never read from the environment here: the CLI decides once.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Diagnosis } from '../protocol/diagnosis.js';
import type { StreamEvent } from '../protocol/events.js';
import { describeEvent, diagnosisHeadline, stepHeading, type Tone } from './describe.js';
import { evidenceDetail, evidenceLabel } from './evidence.js';
import { clockTime, confidenceBar, stripControl } from './format.js';
import { parseMarkdown, type Inline } from './markdown.js';
import type { SessionView } from './view.js';
import { hang } from './wrap.js';

/** One line of output: what starts it (kept as it is) and the text that may wrap under it. */
type Line = readonly [prefix: string, body: string];

function fit(lines: readonly Line[], width: number | null | undefined): string {
  return lines.map(([prefix, body]) => hang(prefix, body, width)).join('\n');
}

export interface HumanOptions {
  color: boolean;
  /** The terminal's width: lines are wrapped to it with a hanging indent. Unset: not wrapped. */
  width?: number | null;
}
const SYMBOLS: Readonly<Record<string, string>> = {
  tool: '▸',
  done: '✓',
  failed: '✗',
  approval: '?',
  approved: '✓',
  denied: '✗',
  blocked: '✗',
  rejected: '✗',
  error: '!',
  interrupt: '■',
  status: '·',
  user: '›',
  agent: ' ',
  diagnosis: '◆',
  retrying: '…',
  timeout: '■',
};

function toneStyle(chalk: ChalkInstance, tone: Tone): (text: string) => string {
  switch (tone) {
    case 'ok':
      return chalk.green;
    case 'warn':
      return chalk.yellow;
    case 'error':
      return chalk.red;
    case 'dim':
      return chalk.dim;
    case 'user':
      return chalk.bold;
    case 'info':
      return chalk.cyan;
    case 'agent':
      return (text) => text;
  }
}

export function inlineToAnsi(inlines: readonly Inline[], chalk: ChalkInstance): string {
  return inlines
    .map((span) => {
      const text = stripControl(span.text, true);
      if (span.style === 'bold') return chalk.bold(text);
      if (span.style === 'code') return chalk.cyan(text);
      return text;
    })
    .join('');
}

function markdownLines(markdown: string, chalk: ChalkInstance, indent: string): Line[] {
  const out: Line[] = [];
  for (const block of parseMarkdown(markdown)) {
    if (block.kind === 'heading') out.push([indent, chalk.bold.underline(inlineToAnsi(block.inlines, chalk))]);
    if (block.kind === 'paragraph') for (const line of block.lines) out.push([indent, inlineToAnsi(line, chalk)]);
    if (block.kind === 'list') for (const item of block.items) out.push([`${indent}  ${item.marker} `, inlineToAnsi(item.inlines, chalk)]);
    if (block.kind === 'code') for (const line of block.lines) out.push([`${indent}  `, chalk.dim(stripControl(line, true))]);
  }
  return out;
}

/** Markdown as terminal text: lists indented, headings bold, code dimmed; wrapped to `width` when given. */
export function markdownToAnsi(markdown: string, chalk: ChalkInstance, indent = '', width?: number | null): string {
  return fit(markdownLines(markdown, chalk, indent), width);
}

function diagnosisLines(diagnosis: Diagnosis, chalk: ChalkInstance): Line[] {
  const clean = (text: string): string => stripControl(text, true);
  // Said once: the headline names the cause, the summary tells it; the evidence and the plan follow.
  const lines: Line[] = [
    [`${chalk.green.bold('◆ Diagnosis')} `, chalk.bold(clean(diagnosisHeadline(diagnosis)))],
    ['  ', `confidence ${chalk.green(confidenceBar(diagnosis.confidence))} ${Math.round(diagnosis.confidence * 100)}%`],
    ['  ', clean(diagnosis.summary)],
  ];
  if (diagnosis.evidence.length > 0) {
    lines.push(['  ', chalk.bold('Evidence')]);
    for (const item of diagnosis.evidence) lines.push(['    • ', `${chalk.cyan(evidenceLabel(item))} ${evidenceDetail(item)}`.trimEnd()]);
  }
  if (diagnosis.remediation.length > 0) {
    lines.push(['  ', chalk.bold('Remediation')]);
    diagnosis.remediation.forEach((step, index) => {
      const risk = step.risk === 'high' ? chalk.red(step.risk) : step.risk === 'medium' ? chalk.yellow(step.risk) : chalk.green(step.risk);
      lines.push([`    ${index + 1}. `, `${chalk.bold(clean(stepHeading(step)))} (risk ${risk}) ${clean(step.detail)}`]);
    });
  }
  return lines;
}

/** The diagnosis as a block of lines: headline, confidence, summary, evidence, remediation. */
export function diagnosisToAnsi(diagnosis: Diagnosis, chalk: ChalkInstance, width?: number | null): string {
  return fit(diagnosisLines(diagnosis, chalk), width);
}

/**
 * `view` is the session folded through this event. May return several lines (an
 * agent message, the diagnosis); null when the event has nothing to show.
 */
export function renderHuman(event: StreamEvent, view: SessionView, options: HumanOptions): string | null {
  const described = describeEvent(event, view);
  if (!described) return null;
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const time = chalk.dim(clockTime(described.at));
  if (described.diagnosis) {
    const [first, ...rest] = diagnosisLines(described.diagnosis, chalk);
    return fit(first ? [[`${time} ${first[0]}`, first[1]], ...rest] : rest, options.width);
  }
  if (described.tag === 'agent' && described.markdown !== undefined) return `${time}\n${markdownToAnsi(described.markdown, chalk, '  ', options.width)}`;
  const symbol = SYMBOLS[described.tag] ?? '·';
  const style = toneStyle(chalk, described.tone);
  return hang(`${time} ${style(symbol)} `, style(stripControl(described.text, true)), options.width);
}
