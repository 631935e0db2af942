// Follow-up questions after the diagnosis, through the real runtime, worker and tools: the
// offline engine answers what its tools can (a log search, what a change touched, why a
// change was or was not blamed, a metric around a time) and never repeats its conclusion;
// anything else gets one line saying what it can do offline.
import type Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInvestigation, sendMessage, INVESTIGATE_PROMPT } from '../../src/cli/investigation.js';
import { openLocalRuntime } from '../../src/cli/local-runtime.js';
import { followSession, listHistory } from '../../src/client/follow.js';
import { makeClient } from '../../src/client/sdk.js';
import type { LocalRuntime } from '../../src/runtime/runtime.js';
import { defaultEnvironmentPath, loadEnvironmentDefinition } from '../../src/definitions/index.js';

const BUNDLE = resolve('fixtures/checkout-cache-removed');

let home: string;
let runtime: LocalRuntime;
let client: Anthropic;
let sessionId: string;

/** Follows the session until it rests again, past what was already logged. */
async function untilRest(): Promise<void> {
  const seen = new Set((await listHistory(client, sessionId)).map((e) => e.id));
  let running = false;
  for await (const event of followSession(client, sessionId, { seen })) {
    if (event.type === 'session.status_running') running = true;
    if (event.type === 'session.status_idle' && running) return;
  }
}

/** Sends a question and returns what the agent said back, and the tools it called, in that turn. */
async function ask(question: string): Promise<{ said: string; tools: string[] }> {
  const before = (await listHistory(client, sessionId)).length;
  const rest = untilRest();
  await sendMessage(client, sessionId, question);
  await rest;
  const turn = (await listHistory(client, sessionId)).slice(before);
  const said = turn
    .filter((e) => e.type === 'agent.message')
    .map((e) => (e.content as Array<{ text?: string }>).map((c) => c.text ?? '').join(''))
    .join('\n');
  const tools = turn.filter((e) => e.type === 'agent.tool_use').map((e) => (e as { name: string }).name);
  return { said, tools };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'incident-followup-'));
  const environment = await loadEnvironmentDefinition(defaultEnvironmentPath());
  runtime = openLocalRuntime({ env: { ...process.env, INCIDENT_HOME: home, INCIDENT_BRAIN: 'triage' }, environments: [environment] }).runtime;
  client = await makeClient({ fetch: runtime.fetch });
  const { session } = await openInvestigation(client, { bundle: [BUNDLE] });
  sessionId = session.id;
  const rest = untilRest();
  await sendMessage(client, sessionId, INVESTIGATE_PROMPT);
  await rest;
  // The investigation ends asking to run its remediation: the person declines, as at a terminal.
  const history = await listHistory(client, sessionId);
  const idle = history.filter((e) => e.type === 'session.status_idle').at(-1) as { stop_reason?: { type: string; event_ids?: string[] } } | undefined;
  const pending = idle?.stop_reason?.type === 'requires_action' ? (idle.stop_reason.event_ids ?? []) : [];
  if (pending.length > 0) {
    const declined = untilRest();
    await client.beta.sessions.events.send(sessionId, {
      events: pending.map((id) => ({ type: 'user.tool_confirmation' as const, tool_use_id: id, result: 'deny' as const, deny_message: 'not now' })),
    });
    await declined;
  }
}, 60_000);

afterAll(async () => {
  await runtime.close();
  rmSync(home, { recursive: true, force: true });
});

describe('follow-up questions to the offline engine', () => {
  it('searches the logs for the phrase asked and says what came back', async () => {
    const { said, tools } = await ask('search the logs for "timed out"');
    expect(tools).toEqual(['search_logs']);
    expect(said).toMatch(/log lines? mention "timed out"|No log line mentions "timed out"/);
    expect(said).not.toMatch(/Conclusion:/);
  });

  it('finds the words of a phrase no line says as written, with a few others between them', async () => {
    // The sweeper logs "Released 25 expired reservations older than 30m".
    const { said, tools } = await ask('search the logs for released reservations');
    expect(tools).toEqual(['search_logs', 'search_logs']);
    expect(said).toMatch(/^No log line says "released reservations" as written; \d+ log lines have those words in that order/);
    expect(said).toContain('Released 25 expired reservations');
  });

  it('says when the first match was, though the lines it shows come from a later file', async () => {
    // The gateway's log, read first, has its first "error" at 14:18; another file has one at 13:00.
    const { said } = await ask('search the logs for error');
    expect(said).toMatch(/the first between 2026-02-10T13:0\d:00Z and/);
    expect(said).not.toMatch(/the first at 2026-02-10T14:18/);
  });

  it('says what a change touched, from its diff', async () => {
    // The investigation read this diff already: its answer is reused, not asked for again.
    const { said, tools } = await ask('what did deploy-4821 change?');
    expect(tools.filter((name) => name !== 'get_diff')).toEqual([]);
    expect(said).toMatch(/deploy-4821 .* touched \d+ files?/);
    expect(said).not.toMatch(/Conclusion:/);
  });

  it('says why a change was or was not blamed, from the investigation, without new calls', async () => {
    const { said, tools } = await ask('why not cfg-1180?');
    expect(tools).toEqual([]);
    expect(said).toMatch(/cfg-1180/);
    expect(said).not.toMatch(/Conclusion:/);
  });

  it('shows a metric of a service around a time', async () => {
    const { said, tools } = await ask('show checkout latency around the onset');
    expect(tools).toEqual(['query_metrics']);
    expect(said).toMatch(/^Around \d{4}-\d{2}-\d{2}T/);
  });

  it('says in one line what it cannot answer offline', async () => {
    const { said, tools } = await ask('what is the meaning of life?');
    expect(tools).toEqual([]);
    expect(said).toMatch(/^I can't answer that offline\./);
    expect(said.split('\n')).toHaveLength(1);
  });
});
