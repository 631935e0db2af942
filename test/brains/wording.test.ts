// The brain reads the tools' fields, never their words: with every piece of prose the hands
// and the verifier write (each result's summary, a risky edit's detail, a truncation's hint,
// a verifier problem's message...) rewritten before the brain sees it, the diagnosis of every
// shipped bundle is the same, and a rejected claim is corrected the same way.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Brain } from '../../src/brains/brain.js';
import { createTriageBrain } from '../../src/brains/triage/index.js';
import { runBrainOnBundle, type HarnessOptions, type HarnessRun } from '../../src/cli/eval-harness.js';
import type { SessionEvent } from '../../src/protocol/events.js';
import { answerRuntimeTool } from '../../src/runtime/runtime-tools.js';
import { FIXTURES, fixtureBundles } from './helpers.js';

const bundles = fixtureBundles();

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

/** The triage brain, shown every tool result with its prose rewritten. */
function rewordingBrain(inner: Brain): Brain {
  return { provider: inner.provider, step: (context) => inner.step({ ...context, history: context.history.map(rewordEvent) }) };
}

/** What a diagnosis claims, without its own words. */
function claimOf(run: HarnessRun): unknown {
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

async function both(bundle: string, options: HarnessOptions = {}): Promise<{ plain: HarnessRun; reworded: HarnessRun }> {
  const plain = await runBrainOnBundle(createTriageBrain(), bundle, options);
  const rewordedRun = await runBrainOnBundle(rewordingBrain(createTriageBrain()), bundle, options);
  return { plain, reworded: rewordedRun };
}

describe('a diagnosis does not depend on how the tools word their results', () => {
  it('has bundles to run on', () => {
    expect(bundles.length).toBeGreaterThan(0);
  });

  it.each(bundles)('%s: the same diagnosis with every summary, detail, hint and message reworded', async (name) => {
    const { plain, reworded: other } = await both(join(FIXTURES, name));
    expect(plain.diagnosis).not.toBeNull();
    expect(claimOf(other)).toEqual(claimOf(plain));
  });

  it('corrects a rejected claim from the problem\'s code and path, whatever its message says', async () => {
    // The first claim is judged as if no log had been read: the verifier rejects the log lines it
    // cites as unseen, and the brain drops them and submits again.
    let judged = false;
    const intercept: HarnessOptions['intercept'] = (name, input, history) => {
      if (name !== 'submit_diagnosis' || judged) return null;
      judged = true;
      const logTools = new Set(history.filter((e) => e.type === 'agent.tool_use' && (e.name === 'search_logs' || e.name === 'log_patterns')).map((e) => e.id));
      const withoutLogs = history.filter((e) => !(e.type === 'agent.tool_result' && logTools.has(e.tool_use_id)));
      return answerRuntimeTool({ id: 'judged', seq: 0, name, input, permission: 'allow' }, withoutLogs);
    };
    const bundle = bundles.map((name) => join(FIXTURES, name)).find((path) => path.endsWith('checkout-cache-removed'));
    expect(bundle).toBeDefined();
    const plain = await runBrainOnBundle(createTriageBrain(), bundle as string, { intercept });
    judged = false;
    const other = await runBrainOnBundle(rewordingBrain(createTriageBrain()), bundle as string, { intercept });
    const submissions = (run: HarnessRun): number => run.toolCalls.filter((c) => c.name === 'submit_diagnosis').length;
    // The rejection happened, and was corrected rather than given up on.
    expect(submissions(plain)).toBe(2);
    expect(plain.diagnosis?.root_cause.category).not.toBe('unknown');
    expect(claimOf(other)).toEqual(claimOf(plain));
  });
});
