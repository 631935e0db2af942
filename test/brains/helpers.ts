// Running the triage brain on a bundle as a session of the local runtime (the same loop
// `incident diagnose` runs, with the hands served in process), and reading a fixture's truth.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import YAML from 'yaml';
import type { Brain, BrainContext } from '../../src/brains/brain.js';
import { createTriageBrain } from '../../src/brains/triage/index.js';
import type { Finding } from '../../src/brains/triage/model.js';
import type { ChangeInfo } from '../../src/brains/triage/read.js';
import { blankSuspect, type Suspect } from '../../src/brains/triage/suspects.js';
import { openEvalRuntime, type EvalRuntime, type Investigation, type InvestigateOptions } from '../../src/eval/investigate.js';
import type { SessionEvent } from '../../src/protocol/events.js';
import { emptyView, foldEvents } from '../../src/render/index.js';
import { writeBundle, type BundleSpec } from './synthetic.js';
import { tempDir } from './transform.js';
import { closedWhenFileEnds } from '../temp-dirs.js';

export const FIXTURES = resolve('fixtures');

export type Run = Investigation;

export interface Truth {
  category: string;
  service: string | null;
  change_id: string | null;
  onset: string;
}

export interface ScriptedOutcome {
  text: string;
  isError: boolean;
}

export interface TriageOptions extends InvestigateOptions {
  /**
   * Shows the brain this outcome in place of a call's real result when it returns one
   * (to script a verifier's rejection). The run's events are the log as the brain saw it.
   */
  intercept?: (name: string, input: Record<string, unknown>, history: readonly SessionEvent[]) => ScriptedOutcome | null;
}

export function fixtureBundles(): string[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .filter((name) => existsSync(join(FIXTURES, name, 'truth.json')))
    .sort();
}

export function truthOf(bundle: string): Truth {
  return JSON.parse(readFileSync(join(bundle, 'truth.json'), 'utf8')) as Truth;
}

// One runtime per test file serves every plain run: sessions one after another, as the eval runs them.
let shared: Promise<EvalRuntime> | undefined;

/** A runtime closed, and its state home removed, when the test file that opened it ends. */
function openForThisFile(open: () => Promise<EvalRuntime>): Promise<EvalRuntime> {
  const runtime = open();
  closedWhenFileEnds(async () => {
    if (shared === runtime) shared = undefined;
    await (await runtime).close();
  });
  return runtime;
}

/** The log with each intercepted call's result replaced by its scripted outcome. */
function asScripted(events: readonly SessionEvent[], outcomes: ReadonlyMap<string, ScriptedOutcome>): SessionEvent[] {
  return events.map((event) => {
    const outcome = event.type === 'agent.tool_result' ? outcomes.get(event.tool_use_id) : undefined;
    return outcome ? ({ ...event, content: [{ type: 'text', text: outcome.text }], is_error: outcome.isError } as SessionEvent) : event;
  });
}

/**
 * The triage brain, shown scripted outcomes for the calls `intercept` picks. Each call is
 * asked about once, in log order, with the log as the brain saw it up to that call.
 */
function interceptedBrain(intercept: NonNullable<TriageOptions['intercept']>, outcomes: Map<string, ScriptedOutcome>, asked: Set<string>): Brain {
  const inner = createTriageBrain();
  return {
    provider: inner.provider,
    step(context: BrainContext) {
      for (const [i, event] of context.history.entries()) {
        if (event.type !== 'agent.tool_use' || asked.has(event.id)) continue;
        asked.add(event.id);
        const outcome = intercept(event.name, event.input as Record<string, unknown>, asScripted(context.history.slice(0, i), outcomes));
        if (outcome) outcomes.set(event.id, outcome);
      }
      return inner.step({ ...context, history: asScripted(context.history, outcomes) });
    },
  };
}

export async function triage(bundle: string, options: TriageOptions = {}): Promise<Run> {
  const { intercept, ...investigate } = options;
  if (intercept === undefined) {
    shared ??= openForThisFile(() => openEvalRuntime());
    return (await shared).investigate(bundle, investigate);
  }
  const outcomes = new Map<string, ScriptedOutcome>();
  const runtime = openForThisFile(() => openEvalRuntime({ brain: () => interceptedBrain(intercept, outcomes, new Set()) }));
  const run = await (await runtime).investigate(bundle, investigate);
  const events = asScripted(run.events, outcomes);
  return { ...run, events, diagnosis: foldEvents(emptyView(), events).diagnosis?.value ?? null };
}

/** What a run concluded: the category, service and change of its root cause (undefined with no diagnosis). */
export function verdict(run: Run): { category?: string; service?: string | null; change_id?: string | null } {
  const cause = run.diagnosis?.root_cause;
  return { category: cause?.category, service: cause?.service, change_id: cause?.change_id };
}

/** What the run said of one change in its hypotheses, every statement joined. */
export function saidOf(run: Run, changeId: string): string {
  return run.toolCalls
    .filter((call) => call.name === 'note_hypothesis' && call.input['change_id'] === changeId)
    .map((call) => String(call.input['statement']))
    .join('\n');
}

/** The onset a diagnosis states in its timeline. */
export function statedOnset(run: Run): number | null {
  const entry = run.diagnosis?.timeline.find((e) => /\bonset\b/i.test(e.event));
  return entry ? Date.parse(entry.at) : null;
}

/** Whether the bundle's changes include a later one that reverts the given change (a rollback already done). */
export function alreadyReverted(bundle: string, changeId: string | null): boolean {
  if (changeId === null) return false;
  const file = ['changes.yaml', 'changes.yml', 'changes.json'].map((name) => join(bundle, name)).find((path) => existsSync(path));
  if (!file) return false;
  const parsed = YAML.parse(readFileSync(file, 'utf8')) as unknown;
  const list = Array.isArray(parsed) ? parsed : ((parsed as { changes?: unknown[] } | null)?.changes ?? []);
  return list.some((change) => (change as { reverts?: unknown }).reverts === changeId);
}

/**
 * Runs of synthetic bundles for one test file: each written with `defaults` (its start, its
 * length) into a temporary folder of its own, triaged, and removed after the file's tests.
 */
export function syntheticRunner(prefix: string, defaults: Pick<BundleSpec, 'start' | 'minutes'> & Partial<BundleSpec>): (spec: Omit<BundleSpec, 'start' | 'minutes'>) => Promise<Run> {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (spec) => {
    const dir = tempDir(prefix);
    const bundle = writeBundle(dir, { ...defaults, ...spec });
    // KEEP_SYNTHETIC=1 keeps the bundle and prints its path, to run `incident diagnose` on it.
    if (process.env.KEEP_SYNTHETIC) console.error(`synthetic bundle: ${bundle}`);
    else made.push(dir);
    return triage(bundle);
  };
}

/** A suspect made straight from its findings, for tests of how the model weighs them (no bundle, no tools). */
export function suspectWith(change: Pick<ChangeInfo, 'id' | 'service' | 'type' | 'summary'>, findings: Finding[], traits: Partial<Suspect> = {}): Suspect {
  return { ...blankSuspect({ at: 0, finishedAt: null, attributes: {}, ...change } as unknown as ChangeInfo), findings, ...traits };
}
