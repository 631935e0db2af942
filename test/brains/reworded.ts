// The triage brain shown the log another way: every piece of prose the hands and the
// verifier write (each result's summary, a risky edit's detail, a truncation's hint, a
// verifier problem's message...) rewritten before the brain sees it, and/or its first claim
// judged as if no log had been read. The brain reads the tools' fields, never their words:
// what it concludes must not change (test/brains/wording.test.ts, and per fixture
// test/brains/fixtures.test.ts).
import type { Brain } from '../../src/brains/brain.js';
import { createTriageBrain } from '../../src/brains/triage/index.js';
import { openEvalRuntime, type EvalRuntime, type Investigation } from '../../src/eval/investigate.js';
import type { SessionEvent } from '../../src/protocol/events.js';
import { closedWhenFileEnds } from '../temp-dirs.js';
import { answerRuntimeTool } from '../../src/runtime/runtime-tools.js';

/** Other words for a text: reversed and marked, so no pattern written for the original can match it. */
function reworded(text: string): string {
  return `(reworded) ${[...text].reverse().join('')}`;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The prose of a result rewritten: the fields the contract declares as words for a reader.
 * Data the bundle itself holds (a change's summary, a commit message, a log line) is left as is.
 */
function rewordResult(result: Json): Json {
  const out: Json = { ...result };
  for (const key of ['summary', 'error', 'hint'] as const) if (typeof out[key] === 'string') out[key] = reworded(out[key]);
  if (isObject(out['truncated'])) out['truncated'] = { ...out['truncated'], hint: reworded(String(out['truncated']['hint'])) };
  if (isObject(out['sampled'])) out['sampled'] = { ...out['sampled'], note: reworded(String(out['sampled']['note'])) };
  for (const key of ['missing', 'notes'] as const) if (Array.isArray(out[key])) out[key] = out[key].map((item) => reworded(String(item)));
  for (const key of ['risk_signals', 'other_edits', 'problems'] as const) {
    if (!Array.isArray(out[key])) continue;
    out[key] = out[key].map((item: unknown) => {
      if (typeof item === 'string') return reworded(item);
      if (!isObject(item)) return item;
      const prose = key === 'problems' ? 'message' : 'detail';
      return { ...item, [prose]: reworded(String(item[prose])) };
    });
  }
  return out;
}

function rewordEvent(event: SessionEvent): SessionEvent {
  if (event.type !== 'agent.tool_result') return event;
  const content = (event.content ?? []).map((block) => {
    if (block.type !== 'text') return block;
    let json: unknown;
    try {
      json = JSON.parse(block.text);
    } catch {
      return block;
    }
    return isObject(json) ? { ...block, text: JSON.stringify(rewordResult(json)) } : block;
  });
  return { ...event, content } as SessionEvent;
}

/**
 * The brain's first claim judged as if no log had been read: the verifier rejects the log
 * lines it cites as unseen, and the brain must correct the claim and submit it again.
 */
function firstClaimJudgedWithoutLogs(history: readonly SessionEvent[]): SessionEvent[] {
  const at = history.findIndex((e) => e.type === 'agent.tool_use' && e.name === 'submit_diagnosis');
  const use = history[at];
  if (use === undefined || use.type !== 'agent.tool_use') return [...history];
  const logCalls = new Set(history.filter((e) => e.type === 'agent.tool_use' && (e.name === 'search_logs' || e.name === 'log_patterns')).map((e) => e.id));
  const withoutLogs = history.slice(0, at).filter((e) => !(e.type === 'agent.tool_result' && logCalls.has(e.tool_use_id)));
  const verdict = answerRuntimeTool({ id: use.id, seq: 0, name: use.name, input: use.input as Record<string, unknown>, permission: 'allow' }, withoutLogs);
  return history.map((e) =>
    e.type === 'agent.tool_result' && e.tool_use_id === use.id ? ({ ...e, content: [{ type: 'text', text: verdict.text }], is_error: verdict.isError } as SessionEvent) : e,
  );
}

export interface Shown {
  reworded: boolean;
  rejectFirstClaim: boolean;
}

/** The triage brain, shown the log as `shown` says: every tool result's prose rewritten, the first claim rejected. */
function brainShown(shown: Shown): Brain {
  const inner = createTriageBrain();
  return {
    provider: inner.provider,
    step(context) {
      let history: readonly SessionEvent[] = context.history;
      if (shown.rejectFirstClaim) history = firstClaimJudgedWithoutLogs(history);
      if (shown.reworded) history = history.map(rewordEvent);
      return inner.step({ ...context, history });
    },
  };
}

const runtimes = new Map<string, Promise<EvalRuntime>>();

/** A bundle investigated by the brain shown the log as `shown` says (one runtime per way of showing it). */
export async function investigate(bundle: string, shown: Shown): Promise<Investigation> {
  const key = JSON.stringify(shown);
  let runtime = runtimes.get(key);
  if (runtime === undefined) {
    const opened = openEvalRuntime({ brain: () => brainShown(shown) });
    runtimes.set(key, opened);
    // Closed when the test file ends: this module is loaded once for every file of a worker.
    closedWhenFileEnds(async () => {
      runtimes.delete(key);
      await (await opened).close();
    });
    runtime = opened;
  }
  return (await runtime).investigate(bundle);
}

/** What a diagnosis claims, without its own words. */
export function claimOf(run: Investigation): unknown {
  const d = run.diagnosis;
  if (d === null) return null;
  const { category, change_id: changeId, service } = d.root_cause;
  return {
    root_cause: { category, change_id: changeId, service },
    confidence: d.confidence,
    evidence: d.evidence.map((e) => [e.source, e.ref]),
    timeline: d.timeline.map((e) => e.at),
    remediation: d.remediation.map((r) => [r.action, r.target]),
  };
}
