// The bodies of `incident sessions …`.
import { writeFile } from 'node:fs/promises';
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { EXIT, type ExitCode } from '../errors.js';
import {
  diagnosisToJson,
  emptyView,
  foldEvent,
  foldEvents,
  hang,
  OUTCOME_LABEL_WIDTH,
  outcomeLabel,
  outcomeOf,
  renderMarkdownReport,
  toNdjsonLine,
  type Outcome,
} from '../render/index.js';
import { chainWarnings, listChecked } from './chain-check.js';
import { clientFailure, connect, type RuntimeConnection } from './connect.js';
import { alertOfSession } from './intake/alert-keys.js';
import { infoOf } from './incident-info.js';
import { colorEnabled, processIO } from './io.js';
import { exitCodeOf } from './outcome.js';
import { printEvent, terminalWidth, type OutputMode } from './scripted-run.js';

async function withRuntime<T>(runtime: string, work: (connection: RuntimeConnection) => Promise<T>): Promise<T> {
  const connection = await connect({ runtime, env: process.env });
  try {
    return await work(connection);
  } catch (error) {
    throw clientFailure(error, connection.label, connection.keyHint);
  } finally {
    await connection.close();
  }
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface SessionWithOutcome {
  session: BetaManagedAgentsSession;
  /** Where it stands, folded from its event log; null when the log could not be read. */
  outcome: Outcome | null;
}

/** Logs read at once while listing: enough to be quick, few enough for a shared runtime. */
const LISTING_CONCURRENCY = 4;

async function outcomeOfSession(client: Anthropic, id: string): Promise<Outcome | null> {
  try {
    let view = emptyView();
    let batch = [];
    for await (const event of client.beta.sessions.events.list(id, { limit: 1000 })) {
      batch.push(event);
      if (batch.length === 1000) {
        view = foldEvents(view, batch);
        batch = [];
      }
    }
    return outcomeOf(foldEvents(view, batch));
  } catch {
    // A log that cannot be read (deleted meanwhile, damaged) still leaves the session listed.
    return null;
  }
}

/** The most recent sessions, newest first, each with its outcome from its own log. */
export async function recentSessions(client: Anthropic, limit: number): Promise<SessionWithOutcome[]> {
  const page = await client.beta.sessions.list({ limit, order: 'desc' });
  const sessions = page.data;
  const outcomes: Array<Outcome | null> = new Array<Outcome | null>(sessions.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sessions.length) {
      const index = next;
      next += 1;
      const session = sessions[index];
      if (session) outcomes[index] = await outcomeOfSession(client, session.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LISTING_CONCURRENCY, sessions.length) }, worker));
  return sessions.map((session, index) => ({ session, outcome: outcomes[index] ?? null }));
}

export async function listSessions(runtime: string, limit: number, json: boolean): Promise<void> {
  await withRuntime(runtime, async ({ client }) => {
    const listed = await recentSessions(client, limit);
    if (json) {
      write(
        JSON.stringify(
          listed.map(({ session: s, outcome }) => ({ id: s.id, title: s.title, outcome, status: s.status, created_at: s.created_at, updated_at: s.updated_at, alert: alertOfSession(s.metadata) })),
          null,
          2,
        ),
      );
      return;
    }
    if (listed.length === 0) {
      write('no sessions yet: start one with `incident diagnose <bundle>` or `incident <bundle>`');
      return;
    }
    for (const { session: s, outcome } of listed) {
      const said = outcome === null ? 'unknown' : outcomeLabel(outcome);
      const alert = alertOfSession(s.metadata);
      // Which alert opened it (the intake of `incident serve --alertmanager`), and whether it has resolved.
      const opened = alert === null ? '' : `  (alert ${alert.name}, ${alert.status === 'resolved' ? `resolved ${alert.resolved_at ?? ''}`.trim() : alert.status})`;
      write(`${s.id}  ${said.padEnd(OUTCOME_LABEL_WIDTH)}  ${s.created_at.slice(0, 19).replace('T', ' ')}  ${s.title ?? ''}${opened}`.trimEnd());
    }
  });
}

/**
 * The session and its readable events, the hash chain checked on this side (damage is
 * named on stderr, and the intact rest is still shown or exported).
 */
async function historyOf(client: Anthropic, id: string) {
  const session = await client.beta.sessions.retrieve(id);
  const { events, problems } = await listChecked(client, id);
  for (const warning of chainWarnings(id, problems ?? [])) process.stderr.write(`${warning}\n`);
  return { session, events };
}

export async function showSession(runtime: string, id: string, mode: OutputMode): Promise<ExitCode> {
  return withRuntime(runtime, async (connection) => {
    const { session, events } = await historyOf(connection.client, id);
    let view = emptyView();
    const color = colorEnabled(processIO());
    const width = terminalWidth();
    if (mode === 'human' || mode === 'plain') write(hang('', `session ${session.id} · ${session.title ?? ''} · ${outcomeLabel(outcomeOf(foldEvents(view, events)))}`, width));
    for (const event of events) {
      view = foldEvent(view, event);
      printEvent(event, view, mode, color, write, width);
    }
    if (mode === 'json') write(JSON.stringify(diagnosisToJson(view, { id: session.id, title: session.title, createdAt: session.created_at }), null, 2));
    return session.status === 'running' ? EXIT.ok : exitCodeOf(view, false);
  });
}

export async function exportSession(runtime: string, id: string, format: 'ndjson' | 'markdown', output: string | undefined): Promise<void> {
  await withRuntime(runtime, async (connection) => {
    const { session, events } = await historyOf(connection.client, id);
    let text: string;
    if (format === 'ndjson') {
      text = events.map((event) => toNdjsonLine(event)).join('\n') + (events.length > 0 ? '\n' : '');
    } else {
      let view = emptyView();
      for (const event of events) view = foldEvent(view, event);
      const info = infoOf(session);
      text = renderMarkdownReport(view, events, {
        id: session.id,
        title: session.title,
        service: info.service,
        severity: info.severity,
        runtime: connection.label,
        createdAt: session.created_at,
      });
    }
    if (output) {
      await writeFile(output, text);
      process.stderr.write(`wrote ${output}\n`);
    } else {
      process.stdout.write(text);
    }
  });
}

export async function deleteSessions(runtime: string, ids: readonly string[]): Promise<void> {
  await withRuntime(runtime, async ({ client }) => {
    for (const id of ids) {
      await client.beta.sessions.delete(id);
      write(`deleted ${id}`);
    }
  });
}
