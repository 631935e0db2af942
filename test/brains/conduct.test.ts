import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZERO_USAGE, type BrainContext } from '../../src/brains/brain.js';
import { createTriageBrain } from '../../src/brains/triage/index.js';
import { EnvironmentDefinitionSchema } from '../../src/definitions/index.js';
import type { SessionEvent } from '../../src/protocol/events.js';
import type { DiagnosisRejected, VerifierProblem } from '../../src/protocol/results/index.js';
import { alreadyReverted, FIXTURES, fixtureBundles, triage, truthOf } from './helpers.js';

const bundles = fixtureBundles();
const withTruth = (category: string): string | undefined => bundles.find((name) => truthOf(join(FIXTURES, name)).category === category);
const deployBundle = join(FIXTURES, withTruth('deploy') ?? bundles[0] ?? '');
/** A deploy bundle whose culprit nobody rolled back yet: the rollback is still to be asked for. */
const pendingDeploy = bundles.find((name) => truthOf(join(FIXTURES, name)).category === 'deploy' && !alreadyReverted(join(FIXTURES, name), truthOf(join(FIXTURES, name)).change_id));
/** One whose culprit was already rolled back in the bundle. */
const revertedDeploy = bundles.find((name) => truthOf(join(FIXTURES, name)).category === 'deploy' && alreadyReverted(join(FIXTURES, name), truthOf(join(FIXTURES, name)).change_id));

/** submit_diagnosis rejecting the claim with one problem, as the runtime answers (DiagnosisRejected). */
function rejection(problem: VerifierProblem): { text: string; isError: boolean } {
  const rejected: DiagnosisRejected = { summary: `diagnosis rejected: ${problem.message}`, accepted: false, problems: [problem] };
  return { text: JSON.stringify(rejected), isError: true };
}

function contextFor(history: readonly SessionEvent[], stepsLeft = 40): BrainContext {
  return { sessionId: 'sesn_test', model: 'triage', system: '', tools: [], history, stepsLeft, signal: new AbortController().signal };
}

/** An environment whose one remediation action is a rollback (never run here: every call is denied). */
const ROLLBACK_ONLY = EnvironmentDefinitionSchema.parse({
  name: 'rollback-only',
  actions: [
    {
      name: 'rollback',
      kind: 'rollback',
      description: 'Roll back a deployment.',
      argv: ['kubectl', 'rollout', 'undo', 'deployment/{service}', '--namespace', '{namespace}'],
      parameters: {
        service: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
        namespace: { type: 'string', default: 'production' },
        change_id: { type: 'string', required: false },
      },
    },
  ],
});

// The deploy bundle's plain run, read (never changed) by every test below that needs it:
// the brain is deterministic (test/brains/fixtures.test.ts runs each fixture twice), so
// one run stands for any other.
let deployRun: ReturnType<typeof triage> | undefined;
const plainDeployRun = (): ReturnType<typeof triage> => (deployRun ??= triage(deployBundle));

describe('how the triage brain conducts an investigation', () => {
  // Determinism over every fixture is proved beside each fixture's plain run, in test/brains/fixtures.test.ts.

  it('is stateless: from any prefix of the log it proposes what it proposed then', async () => {
    const run = await plainDeployRun();
    const brain = createTriageBrain();
    const ends = run.events.flatMap((event, i) => (event.type === 'agent.tool_result' && run.events[i + 1]?.type !== 'agent.tool_result' ? [i + 1] : []));
    for (const end of ends) {
      const step = await brain.step(contextFor(run.events.slice(0, end), 40 - run.events.slice(0, end).filter((e) => e.type === 'agent.tool_use').length));
      const next = run.events.slice(end).filter((e) => e.type === 'agent.message' || e.type === 'agent.tool_use');
      const expected = next.slice(0, step.outputs.length).map((e) =>
        e.type === 'agent.message' ? { kind: 'message', text: (e.content[0] as { text: string }).text } : { kind: 'tool_use', name: e.name, input: e.input },
      );
      expect(step.outputs).toEqual(expected);
      expect(step.usage).toEqual(ZERO_USAGE);
    }
  });

  it('says what it found and rules out, and records a hypothesis for each change it weighed', async () => {
    const run = await plainDeployRun();
    const messages = run.events.filter((e) => e.type === 'agent.message').map((e) => (e.content[0] as { text: string }).text);
    expect(messages.some((text) => text.startsWith('Paged:'))).toBe(true);
    expect(messages.some((text) => text.includes('The incident began at'))).toBe(true);
    expect(messages.at(-1)).toMatch(/^Conclusion: deploy /);
    const notes = run.toolCalls.filter((call) => call.name === 'note_hypothesis');
    expect(notes.filter((call) => call.input['status'] === 'supported')).toHaveLength(1);
    expect(notes.some((call) => call.input['status'] === 'refuted')).toBe(true);
  });

  it('corrects a diagnosis the verifier rejects for a claim it can fix', async () => {
    let rejected = false;
    const run = await triage(deployBundle, {
      intercept: (name, input) => {
        if (name !== 'submit_diagnosis' || rejected) return null;
        rejected = true;
        const confidence = input['confidence'] as number;
        return rejection({
          code: 'confidence_uncorroborated',
          path: ['confidence'],
          expected: 0.7,
          got: confidence,
          message: `confidence ${confidence} needs corroboration: cite a diff line, or lower the confidence below 0.7`,
        });
      },
    });
    const submissions = run.toolCalls.filter((call) => call.name === 'submit_diagnosis');
    expect(submissions).toHaveLength(2);
    const [first, second] = submissions.map((call) => call.input as { confidence: number; root_cause: { change_id: string | null } });
    expect(second?.confidence).toBeLessThan(0.7);
    expect(second?.root_cause.change_id).toBe(first?.root_cause.change_id);
    expect(run.diagnosis?.root_cause.change_id).toBe(truthOf(deployBundle).change_id);
  });

  it('pages on from the offset a truncated result names as a field, whatever its hint says', async () => {
    let cut = false;
    const run = await triage(deployBundle, {
      intercept: (name, input) => {
        if (name !== 'list_changes' || input['offset'] !== undefined || cut) return null;
        cut = true;
        const changes = { summary: 'no change shown', total: 1, matched: 1, window: { from: null, to: null }, offset: 0, changes: [] };
        return { text: JSON.stringify({ ...changes, truncated: { omitted: 1, next_offset: 0, hint: 'more changes follow' } }), isError: false };
      },
    });
    expect(run.toolCalls).toContainEqual({ name: 'list_changes', input: { limit: 200, offset: 0 } });
  });

  it('treats a result that does not match its tool\'s schema as a failed call, and guesses nothing from it', async () => {
    const clean = await plainDeployRun();
    const run = await triage(deployBundle, {
      // A list whose change record lacks its type: the whole result is off the contract.
      intercept: (name, input) =>
        name === 'list_changes' && input['offset'] === undefined
          ? { text: JSON.stringify({ summary: 'x', total: 1, matched: 1, window: { from: null, to: null }, offset: 0, changes: [{ id: 'deploy-x', at: '2026-01-01T00:00:00Z' }] }), isError: false }
          : null,
    });
    const named = (r: typeof run): string[] => r.toolCalls.filter((c) => c.name === 'note_hypothesis').map((c) => String(c.input['change_id'] ?? ''));
    expect(named(run)).not.toContain('deploy-x');
    // The changes still come from describe_bundle's overview, as when list_changes fails.
    expect(run.diagnosis?.root_cause.change_id).toBe(clean.diagnosis?.root_cause.change_id);
  });

  it('falls back to unknown when the verifier rejects the claim itself', async () => {
    let rejected = false;
    const run = await triage(deployBundle, {
      intercept: (name, input) => {
        if (name !== 'submit_diagnosis' || rejected) return null;
        rejected = true;
        const cause = input['root_cause'] as { change_id: string };
        return rejection({
          code: 'change_after_onset',
          path: ['root_cause', 'change_id'],
          expected: '2026-01-01T00:00:00Z',
          got: '2026-01-01T00:05:00Z',
          message: `change ${cause.change_id} took effect after the onset you state: a change after the onset cannot be the cause; blame an earlier change or say unknown`,
        });
      },
    });
    expect(run.diagnosis?.root_cause).toMatchObject({ category: 'unknown', change_id: null });
    expect(run.diagnosis?.confidence).toBeLessThanOrEqual(0.3);
  });

  it('asks to run a declared remediation action with exact arguments, and finishes when it is denied', async () => {
    if (!pendingDeploy) return;
    const bundle = join(FIXTURES, pendingDeploy);
    const truth = truthOf(bundle);
    const asked: Array<Readonly<Record<string, unknown>>> = [];
    const run = await triage(bundle, {
      environment: ROLLBACK_ONLY,
      approve: ({ name, input }) => {
        if (name === 'action_rollback') asked.push(input);
        return { allow: false, message: 'denied by the person at the terminal' };
      },
    });
    expect(asked).toEqual([{ service: truth.service, change_id: truth.change_id }]);
    const last = run.events.filter((e) => e.type === 'agent.message').at(-1);
    expect(run.events.some((e) => e.type === 'agent.message' && (e.content[0] as { text: string }).text.includes('action_rollback was not run'))).toBe(true);
    expect(last).toBeDefined();
    expect(run.diagnosis?.root_cause.change_id).toBe(truth.change_id);
  });

  it('does not ask to roll back a change the bundle shows already rolled back, and says it was done', async () => {
    if (!revertedDeploy) return;
    const bundle = join(FIXTURES, revertedDeploy);
    const truth = truthOf(bundle);
    const asked: string[] = [];
    const run = await triage(bundle, {
      environment: ROLLBACK_ONLY,
      approve: ({ name }) => {
        asked.push(name);
        return { allow: false, message: 'denied' };
      },
    });
    expect(run.diagnosis?.root_cause.change_id).toBe(truth.change_id);
    expect(asked).toEqual([]);
    expect(run.diagnosis?.remediation[0]?.action).toBe('other');
    expect(run.diagnosis?.remediation[0]?.detail).toMatch(/^Already done: \S+ undid/);
  });

  it('proposes no action that does not fit the cause', async () => {
    const other = withTruth('capacity') ?? withTruth('unknown');
    if (!other) return;
    const asked: string[] = [];
    await triage(join(FIXTURES, other), {
      environment: ROLLBACK_ONLY,
      approve: ({ name }) => {
        asked.push(name);
        return { allow: false, message: 'denied' };
      },
    });
    expect(asked).toEqual([]);
  });

  it('stays within a small budget and still submits a diagnosis', async () => {
    for (const budget of [4, 8, 12]) {
      const run = await triage(deployBundle, { maxSteps: budget });
      expect(run.toolCalls.length).toBeLessThanOrEqual(budget);
      expect(run.toolCalls.some((call) => call.name === 'submit_diagnosis')).toBe(true);
      expect(run.diagnosis).not.toBeNull();
    }
  });
});
