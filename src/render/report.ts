// The markdown incident report: what an incident commander pastes into the postmortem.
// Summary, timeline, evidence, remediation with risks, every hypothesis (and why each
// decoy was ruled out), the actions taken and every tool call.
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';
import type { StreamEvent } from '../protocol/events.js';
import { usageFacts } from './activity.js';
import { describeEvent, diagnosisHeadline, stepKind } from './describe.js';
import { evidenceDetail, evidenceLabel } from './evidence.js';
import { elapsedMs } from './fold.js';
import { clockTime, formatDuration, formatTokens, oneLine, stripControl, truncate } from './format.js';
import { outcomeLabel, outcomeOf } from './outcome.js';
import { explainError } from './session-error.js';
import type { HypothesisView, SessionInfo, SessionView, ToolCallView } from './view.js';

/** Text safe inside a table cell: one line, pipes escaped. */
function cell(text: string): string {
  return stripControl(oneLine(text), true).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** Text as inline code, choosing a fence longer than any backtick run inside. */
function code(text: string): string {
  const clean = stripControl(oneLine(text), true);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${clean} ${fence}` : `${fence}${clean}${fence}`;
}

function prose(text: string): string {
  return stripControl(text).trim();
}

function usageText(view: SessionView): string {
  const usage = view.usage;
  const facts = usageFacts(usage);
  // The offline engine uses no model: its steps cost nothing to count.
  if (facts.length === 0) return 'no model tokens';
  const input = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  const cost = facts[1];
  return `${usage.requests} model request${usage.requests === 1 ? '' : 's'}, ${formatTokens(input)} input / ${formatTokens(usage.outputTokens)} output tokens${cost ? `, ${cost}` : ''}`;
}

function header(view: SessionView, info: SessionInfo): string[] {
  const elapsed = elapsedMs(view, Date.now(), info.createdAt);
  const rows: Array<[string, string]> = [
    ['Session', code(info.id)],
    ['Service', cell(info.service ?? 'unknown')],
    ['Severity', cell(info.severity ?? 'unknown')],
    ['Runtime', cell(info.runtime)],
    ['Created', cell(info.createdAt)],
    ['Outcome', outcomeLabel(outcomeOf(view))],
    ['Elapsed', elapsed === null ? 'unknown' : formatDuration(elapsed)],
    ['Usage', usageText(view)],
  ];
  return [`# Incident report: ${cell(view.title ?? info.title ?? info.id)}`, '', '| | |', '| --- | --- |', ...rows.map(([key, value]) => `| ${key} | ${value} |`)];
}

function summary(view: SessionView): string[] {
  const lines = ['## Summary', ''];
  const diagnosis = view.diagnosis?.value;
  if (!diagnosis) {
    lines.push('No diagnosis was accepted.');
    for (const rejection of view.rejectedDiagnoses) lines.push(`- Rejected at ${clockTime(rejection.at)}: ${cell(rejection.reason)}`);
    return lines;
  }
  const cause = diagnosis.root_cause;
  const where = [cause.category, cause.service ? `service ${code(cause.service)}` : null, cause.change_id ? `change ${code(cause.change_id)}` : null];
  lines.push(prose(diagnosis.summary), '');
  lines.push(`**Root cause** (${where.filter((part) => part !== null).join(', ')}): ${prose(cause.description) || 'not described'}`, '');
  lines.push(`**Confidence:** ${diagnosis.confidence.toFixed(2)}`);
  if (view.rejectedDiagnoses.length > 0) lines.push('', `Earlier claims rejected by the verifier: ${view.rejectedDiagnoses.length}.`);
  return lines;
}

function timeline(view: SessionView, events: readonly StreamEvent[]): string[] {
  const lines = ['## Timeline', ''];
  const entries = view.diagnosis?.value.timeline ?? [];
  if (entries.length > 0) {
    lines.push('| Time | Event |', '| --- | --- |', ...entries.map((entry) => `| ${cell(entry.at)} | ${cell(entry.event)} |`), '');
  }
  lines.push('### Investigation', '');
  const seen = new Set<string>();
  let count = 0;
  for (const event of events) {
    const id = 'id' in event ? event.id : '';
    if (id) {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    const described = describeEvent(event, view);
    if (!described || described.tag === 'tool' || described.tag === 'status') continue;
    // The diagnosis is told in the summary above; here it is the moment it was accepted.
    const text = described.diagnosis ? `accepted: ${diagnosisHeadline(described.diagnosis)}` : described.text;
    lines.push(`- ${clockTime(described.at)} **${described.tag}** ${cell(truncate(text, 300))}`);
    count += 1;
  }
  if (count === 0) lines.push('Nothing recorded.');
  return lines;
}

function evidence(view: SessionView): string[] {
  const items = view.diagnosis?.value.evidence ?? [];
  if (items.length === 0) return ['## Evidence', '', 'None cited.'];
  return ['## Evidence', '', '| Source | Ref | Detail |', '| --- | --- | --- |', ...items.map((item) => `| ${cell(item.source)} | ${code(item.ref)} | ${cell(evidenceDetail(item))} |`)];
}

function actionLine(tool: ToolCallView): string {
  const answer =
    tool.confirmation?.result === 'allow' ? 'approved' : tool.confirmation?.result === 'deny' ? `denied (${cell(tool.confirmation.denyMessage ?? 'no reason')})` : tool.state === 'awaiting_approval' ? 'awaiting approval' : tool.state;
  const result = tool.summary && tool.confirmation?.result !== 'deny' ? `: ${cell(tool.summary)}` : '';
  return `- ${code(tool.name)} ${cell(tool.keyArgs)} — ${answer}${result}`;
}

function remediation(view: SessionView): string[] {
  const lines = ['## Remediation', ''];
  const steps = view.diagnosis?.value.remediation ?? [];
  if (steps.length === 0) lines.push('No remediation proposed.');
  steps.forEach((step, index) => {
    const kind = stepKind(step);
    lines.push(`${index + 1}. ${kind === '' ? '' : `**${kind}** `}${code(step.target)} (risk: **${step.risk}**): ${cell(step.detail)}`);
  });
  const actions = view.toolOrder.map((id) => view.tools.get(id)).filter((tool): tool is ToolCallView => tool?.name.startsWith(ACTION_TOOL_PREFIX) === true);
  if (actions.length > 0) lines.push('', '### Actions', '', ...actions.map(actionLine));
  return lines;
}

const STATUS_LABEL: Readonly<Record<HypothesisView['status'], string>> = { proposed: 'proposed', supported: 'supported', refuted: 'ruled out' };

function hypotheses(view: SessionView): string[] {
  const lines = ['## Hypotheses', ''];
  if (view.hypothesisOrder.length === 0) return [...lines, 'None recorded.'];
  for (const id of view.hypothesisOrder) {
    const hypothesis = view.hypotheses[id];
    if (!hypothesis) continue;
    const target = [hypothesis.change_id ? `change ${code(hypothesis.change_id)}` : null, hypothesis.service ? `service ${code(hypothesis.service)}` : null].filter(Boolean);
    lines.push(`- **${cell(id)}** (${STATUS_LABEL[hypothesis.status]}): ${cell(hypothesis.statement)}${target.length > 0 ? ` [${target.join(', ')}]` : ''}`);
    const refs = hypothesis.evidence.map((item) => `${code(evidenceLabel(item))} ${cell(evidenceDetail(item))}`.trimEnd());
    if (refs.length === 0) continue;
    // Evidence is attributed to the status it was noted under: what supported a hypothesis
    // before it was ruled out is not why it was ruled out. Without evidence of its own, a
    // hypothesis's statement above is the reason given.
    const noted = hypothesis.evidenceStatus;
    if (hypothesis.status === 'refuted' && noted === 'refuted') lines.push(`  - Ruled out because: ${refs.join('; ')}`);
    else if (noted !== null && noted !== hypothesis.status) lines.push(`  - Evidence noted while it was ${STATUS_LABEL[noted]}: ${refs.join('; ')}`);
    else for (const ref of refs) lines.push(`  - ${ref}`);
  }
  return lines;
}

function toolTable(view: SessionView): string[] {
  const lines = ['## Tool calls', ''];
  if (view.toolOrder.length === 0) return [...lines, 'None.'];
  lines.push('| # | Tool | Arguments | Duration | Result |', '| --- | --- | --- | --- | --- |');
  view.toolOrder.forEach((id, index) => {
    const tool = view.tools.get(id);
    if (!tool) return;
    const state = tool.state === 'done' ? null : tool.state.replace('_', ' ');
    const result = [state, tool.summary].filter((part) => part !== null && part !== '').join(': ');
    lines.push(`| ${index + 1} | ${code(tool.name)} | ${cell(truncate(tool.keyArgs, 80))} | ${formatDuration(tool.durationMs)} | ${cell(truncate(result, 160))} |`);
  });
  return lines;
}

function errors(view: SessionView): string[] {
  if (view.errors.length === 0) return [];
  return ['## Errors', '', ...view.errors.map((error) => `- ${clockTime(error.at)} ${cell(explainError(error).sentence)} ${code(error.type)}`)];
}

export function renderMarkdownReport(view: SessionView, events: readonly StreamEvent[], info: SessionInfo): string {
  const sections = [header(view, info), summary(view), timeline(view, events), evidence(view), remediation(view), hypotheses(view), toolTable(view), errors(view)];
  return `${sections
    .filter((section) => section.length > 0)
    .map((section) => section.join('\n'))
    .join('\n\n')}\n`;
}
