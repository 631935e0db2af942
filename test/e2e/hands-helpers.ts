// For the tests of hands outside the runtime: an `incident serve` with its own key and
// environment files, a proxy that records everything a worker sends to it, and the
// check that every tool call of a log got exactly one answer.
import Anthropic from '@anthropic-ai/sdk';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { startServed, type Served } from '../runtime/served.js';
import { BIN, cliEnv } from './cli.js';

export interface Serve extends Served {
  key: string;
  client: Anthropic;
  stop(): Promise<void>;
}

export async function startServe(home: string, environmentFiles: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Serve> {
  const key = `incident_rk_${randomBytes(24).toString('base64url')}`;
  const args = [BIN, 'serve', '--port', '0', ...environmentFiles.flatMap((file) => ['--environment', file])];
  const served = await startServed(process.execPath, args, cliEnv(home, { INCIDENT_RUNTIME_KEY: key, ...extra }));
  return {
    ...served,
    key,
    client: new Anthropic({ apiKey: key, baseURL: served.url, maxRetries: 0 }),
    async stop() {
      served.child.kill('SIGTERM');
      await served.exited;
    },
  };
}

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Recorder {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` (as its own Host, so its guard accepts it) and keeps a copy of what was sent.
 * `refuse` answers a request itself instead, with the status and error body it returns (a runtime's own refusals).
 */
export async function recordingProxy(target: string, refuse?: (request: Recorded) => { status: number; message: string } | null): Promise<Recorder> {
  const to = new URL(target);
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded = { method: req.method ?? 'GET', url: req.url ?? '', headers: { ...req.headers }, body: body.toString('utf8') };
      requests.push(recorded);
      const refused = refuse?.(recorded);
      if (refused) {
        res.writeHead(refused.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: refused.message } }));
        return;
      }
      const upstream = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          // An event stream's headers go out at once, as the runtime sends them, not with its first event.
          res.flushHeaders();
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LoggedEvent {
  id: string;
  type: string;
  name?: string;
  tool_use_id?: string;
  custom_tool_use_id?: string;
  evaluated_permission?: string;
  stop_reason?: { type: string; event_ids?: string[] };
  content?: Array<{ type: string; text?: string }>;
  is_error?: boolean;
}

export async function history(client: Anthropic, sessionId: string): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 })) events.push(event as unknown as LoggedEvent);
  return events;
}

/** The events a `--ndjson` run printed, one JSON object per line. */
export function loggedEvents(stdout: string): LoggedEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LoggedEvent);
}

/** A user of the cloud: their Claude key and the SDK's address override, nothing of a served runtime. */
export function cloudUserEnv(home: string, key: string, baseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = cliEnv(home, { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: baseUrl });
  delete env['INCIDENT_RUNTIME_KEY'];
  delete env['INCIDENT_RUNTIME'];
  return { ...env, ...extra };
}

/** How many results each tool call of the log got, by call id (a call with none is listed with 0). */
export function answersPerCall(events: readonly LoggedEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'agent.custom_tool_use' || event.type === 'agent.tool_use') counts.set(event.id, 0);
  }
  for (const event of events) {
    const id = event.type === 'user.custom_tool_result' ? event.custom_tool_use_id : event.type === 'user.tool_result' || event.type === 'agent.tool_result' ? event.tool_use_id : undefined;
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export function textOf(event: LoggedEvent | undefined): string {
  return (event?.content ?? []).map((block) => block.text ?? '').join('\n');
}

/** Polls `check` until it returns a value (or gives up after `tries`), for state another process reaches. */
export async function eventually<T>(check: () => Promise<T | null>, tries = 200, everyMs = 100): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = await check();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error('the expected state was never reached');
}

/** The session rests waiting on custom tool results (calls nobody has answered yet): their ids. */
export async function pendingCustomCalls(client: Anthropic, sessionId: string): Promise<string[] | null> {
  const events = await history(client, sessionId);
  const last = events.at(-1);
  if (last?.type !== 'session.status_idle' || last.stop_reason?.type !== 'requires_action') return null;
  const custom = new Set(events.filter((event) => event.type === 'agent.custom_tool_use').map((event) => event.id));
  const pending = (last.stop_reason.event_ids ?? []).filter((id) => custom.has(id));
  return pending.length > 0 ? pending : null;
}

/**
 * Freezes (SIGSTOP) a `diagnose --ndjson` the moment it prints the investigation's first
 * message, so the calls that follow stay unanswered; resolves with the promise of its exit
 * (for after the caller kills it). Rejects if it ends before it could be stopped.
 */
export async function freezeAtFirstMessage(child: ChildProcess): Promise<{ exited: Promise<void> }> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let printed = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('"user.message"')) {
        child.kill('SIGSTOP');
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`the CLI ended before it could be stopped: ${printed}`)));
  });
  return { exited };
}
