// The claude brain in a real local runtime session against a Messages API stand-in on
// 127.0.0.1: retries that are told as they happen and wait what the endpoint asked,
// failures inside an open stream, prompt caching the usage figures prove, the agent's
// model settings, budgets that end the session with or without a diagnosis, and a long
// session kept inside the context window.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClaudeBrain } from '../../../src/brains/claude/index.js';
import { createLocalRuntime, type LocalRuntime } from '../../../src/runtime/runtime.js';
import { echoHands } from '../../runtime/scripted.js';
import { startStandIn, type Fault, type ModelTurn, type StandIn, type StandInOptions } from './messages-stand-in.js';

let runtime: LocalRuntime | undefined;
let standIn: StandIn | undefined;
afterEach(async () => {
  await runtime?.close();
  await standIn?.close();
  runtime = undefined;
  standIn = undefined;
});

const UNKNOWN_DIAGNOSIS = {
  summary: 'The cause could not be established within the budget.',
  root_cause: { category: 'unknown', service: null, change_id: null, description: 'not identified' },
  confidence: 0.1,
  evidence: [],
  remediation: [],
  timeline: [],
};
const SUBMIT: ModelTurn = { tool: { name: 'submit_diagnosis', input: UNKNOWN_DIAGNOSIS } };
const QUERY: ModelTurn = { text: 'Looking at the metrics.', tool: { name: 'query_metrics', input: { service: 'checkout' } } };

type Event = Record<string, unknown> & { type: string };

interface Run {
  events: Event[];
  waits: number[];
  standIn: StandIn;
}

interface RunOptions extends Partial<StandInOptions> {
  model?: string | { id: string; effort: string };
  metadata?: Record<string, string>;
  sessionMetadata?: Record<string, string>;
  budgetCents?: number;
  maxTranscriptChars?: number;
  clearToolUsesAtTokens?: number;
  /** A large result each query returns (characters). */
  resultChars?: number;
}

async function runSession(options: RunOptions): Promise<Run> {
  standIn = await startStandIn({ script: options.script ?? (() => ({ text: 'done' })), ...options });
  const waits: number[] = [];
  const brain = createClaudeBrain({
    apiKey: 'sk-ant-test-key',
    baseURL: standIn.baseURL,
    ...(options.maxTranscriptChars ? { maxTranscriptChars: options.maxTranscriptChars } : {}),
    ...(options.clearToolUsesAtTokens ? { clearToolUsesAtTokens: options.clearToolUsesAtTokens } : {}),
  });
  const big = 'x'.repeat(options.resultChars ?? 0);
  const hands = echoHands();
  const call = hands.call.bind(hands);
  hands.call = async (name, input, context) => {
    const outcome = await call(name, input, context);
    return big ? { ...outcome, text: `${outcome.text}${big}` } : outcome;
  };
  runtime = createLocalRuntime({
    home: mkdtempSync(join(tmpdir(), 'incident-claude-')),
    deps: {
      brainFor: () => brain,
      handsFor: () => hands,
      // Records what the turn would wait, without waiting: the test asserts the delay, not the clock.
      wait: async (ms) => void waits.push(ms),
    },
  });
  const client = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch });
  const agent = await client.beta.agents.create({
    name: 'sre',
    model: (options.model ?? 'claude-sonnet-4-6') as Parameters<typeof client.beta.agents.create>[0]['model'],
    system: 'You are an SRE.',
    tools: [
      { type: 'custom', name: 'query_metrics', description: 'metrics', input_schema: { type: 'object', properties: { service: { type: 'string' } } } },
      { type: 'custom', name: 'submit_diagnosis', description: 'submit', input_schema: { type: 'object', properties: {} } },
    ],
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  const environment = await client.beta.environments.create({ name: 'e' });
  const session = await client.beta.sessions.create({
    agent: agent.id,
    environment_id: environment.id,
    ...(options.sessionMetadata ? { metadata: options.sessionMetadata } : {}),
    ...(options.budgetCents ? { budget: { type: 'limit', max_list_cost: { amount: String(options.budgetCents), currency: 'USD' } } } : {}),
  } as Parameters<typeof client.beta.sessions.create>[0]);
  const stream = await client.beta.sessions.events.stream(session.id);
  await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'Investigate' }] }] });
  for await (const event of stream) if (event.type === 'session.status_idle') break;
  const events: Event[] = [];
  for await (const event of client.beta.sessions.events.list(session.id)) events.push(event as unknown as Event);
  return { events, waits, standIn };
}

const ofType = (events: Event[], type: string): Event[] => events.filter((event) => event.type === type);
const stopReason = (events: Event[]): unknown => (ofType(events, 'session.status_idle').at(-1)?.['stop_reason'] as { type?: string } | undefined)?.type;
const retries = (events: Event[]): Array<{ type: string; retry_status: { type: string; retry_in_ms?: number } }> =>
  ofType(events, 'session.error').map((event) => event['error'] as { type: string; retry_status: { type: string; retry_in_ms?: number } });

const queryThenSubmit = (_request: unknown, answered: number): ModelTurn => (answered === 0 ? QUERY : answered === 1 ? SUBMIT : { text: 'Submitted.' });

describe('retries', () => {
  it.each<[string, Fault, string, number | null]>([
    ['429 with retry-after', { kind: 'status', status: 429, type: 'rate_limit_error', retryAfter: '8' }, 'model_rate_limited_error', 8000],
    ['529 with retry-after', { kind: 'status', status: 529, type: 'overloaded_error', retryAfter: '3' }, 'model_overloaded_error', 3000],
    ['an overload inside the open stream', { kind: 'overloaded_mid_stream' }, 'model_overloaded_error', null],
    ['a dropped connection mid-stream', { kind: 'drop_mid_stream' }, 'model_request_failed_error', null],
  ])('%s: each retry is an event saying how long, the wait is that long, and the session goes on', async (_name, fault, type, asked) => {
    const { events, waits, standIn: server } = await runSession({ faults: [fault, fault], script: queryThenSubmit });
    const told = retries(events);
    expect(told.map((error) => [error.type, error.retry_status.type])).toEqual([
      [type, 'retrying'],
      [type, 'retrying'],
    ]);
    const announced = told.map((error) => error.retry_status.retry_in_ms);
    expect(waits).toEqual(announced);
    if (asked !== null) expect(waits).toEqual([asked, asked]);
    else expect(waits.every((ms) => ms > 0)).toBe(true);
    // Two failed attempts, then the three answered requests of the script.
    expect(server.requests).toHaveLength(5);
    // Each failed attempt closes its span as an error; the session ends as the model decided.
    const spans = ofType(events, 'span.model_request_end').map((event) => event['is_error']);
    expect(spans).toEqual([true, true, false, false, false]);
    expect(stopReason(events)).toBe('end_turn');
    expect(ofType(events, 'agent.message').map((event) => (event['content'] as Array<{ text: string }>)[0]?.text)).not.toContain(undefined);
  });

  it('gives up after its retries with retries_exhausted, and never retries a refused request', async () => {
    const overloaded: Fault = { kind: 'status', status: 529, type: 'overloaded_error', retryAfter: '1' };
    const exhausted = await runSession({ faults: Array.from({ length: 10 }, () => overloaded) });
    expect(retries(exhausted.events).map((error) => error.retry_status.type)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'retrying', 'exhausted']);
    expect(stopReason(exhausted.events)).toBe('retries_exhausted');
    await runtime?.close();
    await standIn?.close();
    const refused = await runSession({ faults: [{ kind: 'status', status: 400, type: 'invalid_request_error' }] });
    expect(retries(refused.events).map((error) => error.retry_status.type)).toEqual(['exhausted']);
    expect(refused.standIn.requests).toHaveLength(1);
  });
});

describe('prompt caching and usage', () => {
  it('reads each request back from the cache: the usage figures in the spans prove it', async () => {
    const { events, standIn: server } = await runSession({ script: (_request, answered) => (answered < 3 ? QUERY : answered === 3 ? SUBMIT : { text: 'Submitted.' }) });
    const usage = ofType(events, 'span.model_request_end').map((event) => event['model_usage'] as Record<string, number>);
    expect(usage).toHaveLength(5);
    // The first request writes the cache; every later one reads at least everything the one before it sent.
    expect(usage[0]?.['cache_read_input_tokens']).toBe(0);
    expect(usage[0]?.['cache_creation_input_tokens']).toBeGreaterThan(0);
    for (let index = 1; index < usage.length; index += 1) {
      const previous = usage[index - 1] ?? {};
      const sentBefore = (previous['cache_read_input_tokens'] ?? 0) + (previous['cache_creation_input_tokens'] ?? 0);
      expect(usage[index]?.['cache_read_input_tokens']).toBeGreaterThanOrEqual(sentBefore);
      // The history itself is read back, not only the tools and the system prompt: the cached part grows.
      expect(usage[index]?.['cache_read_input_tokens']).toBeGreaterThan(previous['cache_read_input_tokens'] ?? 0);
    }
    // What the spans record is what the endpoint billed.
    expect(usage).toEqual(server.answers.map((answer) => answer.usage));
  });
});

describe('model settings from the agent', () => {
  it('sends effort and thinking, and hands the thinking back with the tool result', async () => {
    const { standIn: server } = await runSession({
      model: { id: 'claude-opus-4-8', effort: 'high' },
      metadata: { 'incident.thinking': 'adaptive' },
      script: queryThenSubmit,
    });
    const first = server.requests[0]?.body ?? {};
    expect(first['model']).toBe('claude-opus-4-8');
    expect(first['output_config']).toEqual({ effort: 'high' });
    expect(first['thinking']).toEqual({ type: 'adaptive', display: 'omitted' });
    // The signed thinking block leads the assistant turn that used the tool, as the API requires.
    const messages = (server.requests[1]?.body['messages'] ?? []) as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    const assistant = messages.find((message) => message.role === 'assistant');
    expect(assistant?.content[0]).toEqual({ type: 'thinking', thinking: '', signature: 'sig-1' });
    expect(assistant?.content.map((block) => block['type'])).toEqual(['thinking', 'text', 'tool_use']);
  });

  it('sends a thinking budget as extended thinking', async () => {
    const { standIn: server } = await runSession({ metadata: { 'incident.thinking': '4096' } });
    expect(server.requests[0]?.body['thinking']).toEqual({ type: 'enabled', budget_tokens: 4096, display: 'omitted' });
  });
});

describe('budgets', () => {
  it('--max-turns: the last request allowed must submit the diagnosis, then the session stops with budget_reached', async () => {
    const { events, standIn: server } = await runSession({ sessionMetadata: { 'incident.max_turns': '2' }, script: (request) => (request.body['tool_choice'] ? SUBMIT : QUERY) });
    expect(server.requests).toHaveLength(2);
    const last = server.requests[1]?.body ?? {};
    expect(last['tool_choice']).toEqual({ type: 'tool', name: 'submit_diagnosis' });
    expect((last['tools'] as Array<{ name: string }>).map((tool) => tool.name)).toEqual(['submit_diagnosis']);
    const results = ofType(events, 'agent.tool_result');
    expect(results.at(-1)?.['is_error']).toBe(false);
    expect(JSON.stringify(results.at(-1)?.['content'])).toContain('diagnosis accepted');
    expect(ofType(events, 'session.usage')).toHaveLength(1);
    expect(stopReason(events)).toBe('budget_reached');
  });

  it('--max-cost: stops before the request that would pass the ceiling, and says that no diagnosis was reached', async () => {
    // Each request costs about a cent at Sonnet's list price (large tool results).
    const { events, standIn: server } = await runSession({ budgetCents: 3, resultChars: 8000, script: () => QUERY });
    const spent = server.answers.length;
    expect(spent).toBeGreaterThan(1);
    expect(spent).toBeLessThan(10);
    expect(stopReason(events)).toBe('budget_reached');
    const said = ofType(events, 'agent.message').map((event) => JSON.stringify(event['content']));
    expect(said.at(-1)).toContain('Stopped before a verified diagnosis was reached');
    const usage = ofType(events, 'session.usage')[0]?.['usage'] as { list_cost: { amount: string } };
    expect(Number(usage.list_cost.amount)).toBeGreaterThanOrEqual(3);
  });
});

describe('context management', () => {
  it('a long session stays inside the context window: the API clears old tool results and the log says so', async () => {
    const { events } = await runSession({
      windowTokens: 12_000,
      clearToolUsesAtTokens: 6_000,
      resultChars: 4000,
      script: (_request, answered) => (answered < 14 ? QUERY : answered === 14 ? SUBMIT : { text: 'Submitted.' }),
    });
    expect(retries(events)).toEqual([]);
    expect(ofType(events, 'agent.tool_result')).toHaveLength(15);
    expect(ofType(events, 'agent.thread_context_compacted').length).toBeGreaterThan(0);
    expect(stopReason(events)).toBe('end_turn');
  });
});
