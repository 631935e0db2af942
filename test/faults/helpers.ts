// What the fault and load suites share: a served process's memory, a session on a
// scripted brain, and stream clients that read every event (or stop reading).
import type Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

/** The resident memory of a process, in bytes (Linux: /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process's resident memory while `work` runs; the highest seen. */
export async function peakRss<T>(pid: number, work: () => Promise<T>, everyMs = 50): Promise<{ result: T; peak: number }> {
  let peak = rssBytes(pid);
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // The process is gone: the work will say why.
    }
  }, everyMs);
  try {
    const result = await work();
    peak = Math.max(peak, rssBytes(pid));
    return { result, peak };
  } finally {
    clearInterval(sampler);
  }
}

export const MiB = 1024 * 1024;

/** An agent with one custom tool and room for a long turn, an environment, and a session on them. */
export async function scriptedSession(client: Anthropic, maxSteps = 500): Promise<string> {
  const agent = await client.beta.agents.create({
    name: 'faults',
    model: 'claude-opus-4-8',
    tools: [{ type: 'custom', name: 'query_metrics', description: 'q', input_schema: { type: 'object', properties: {} } }],
    metadata: { 'incident.max_steps': String(maxSteps) },
  });
  const environment = await client.beta.environments.create({ name: 'local' });
  return (await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id })).id;
}

export interface Seen {
  id: string;
  type: string;
  stop?: string | undefined;
}

/** Whether a stream event ends the turn a test waits for: idle, and not for an approval. */
export function endsTurn(event: Seen): boolean {
  return event.type === 'session.status_idle' && event.stop !== 'requires_action';
}

/**
 * Opens the session's stream with the SDK and collects the logged events it delivers (previews
 * have no id and are left out) until `done` says the turn is over.
 */
export async function readStream(client: Anthropic, sessionId: string, done: (event: Seen) => boolean = endsTurn): Promise<() => Promise<Seen[]>> {
  const stream = await client.beta.sessions.events.stream(sessionId);
  return async () => {
    const seen: Seen[] = [];
    for await (const event of stream) {
      const raw = event as unknown as { id?: string; type: string; stop_reason?: { type?: string } };
      if (!raw.id) continue;
      const item = { id: raw.id, type: raw.type, stop: raw.stop_reason?.type };
      seen.push(item);
      if (done(item)) break;
    }
    return seen;
  };
}

/** Every logged event of a session, in log order, through the SDK's pages. */
export async function loggedEvents(client: Anthropic, sessionId: string): Promise<Seen[]> {
  const all: Seen[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 })) {
    const raw = event as unknown as { id: string; type: string; stop_reason?: { type?: string } };
    all.push({ id: raw.id, type: raw.type, stop: raw.stop_reason?.type });
  }
  return all;
}

/**
 * A stream client in a process of its own (so nothing it holds counts as the server's) that
 * connects, reads the headers, and then reads nothing until told to.
 */
export interface StalledClient {
  /** Starts reading: everything the stream sends from now on is collected. */
  resume(): void;
  /** The SSE text received since `resume`. */
  text(): string;
  /** Resolves once the text satisfies `check`, checking each time more arrives. */
  until(check: (text: string) => boolean): Promise<string>;
  close(): void;
}

const STALLED_CLIENT = `
const http = require('node:http');
const req = http.get(process.argv[1], { headers: { accept: 'text/event-stream' } }, (res) => {
  res.pause();
  process.stdout.write('connected ' + res.statusCode + '\\n');
  process.stdin.once('data', () => res.pipe(process.stdout));
});
req.on('error', (error) => { process.stderr.write(String(error)); process.exit(1); });
`;

export function stalledClient(url: string, sessionId: string): Promise<StalledClient> {
  const child = spawn(process.execPath, ['-e', STALLED_CLIENT, `${url}/v1/sessions/${sessionId}/events/stream`], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let text = '';
  let connected = false;
  return new Promise((resolveClient, reject) => {
    child.once('exit', (code) => reject(new Error(`the stalled client exited with ${code}`)));
    child.stdout.on('data', (chunk: string) => {
      if (connected) {
        text += chunk;
        return;
      }
      connected = true;
      resolveClient({
        resume: () => void child.stdin.write('go\n'),
        text: () => text,
        until: (check) =>
          new Promise((done) => {
            const look = (): void => (check(text) ? done(text) : void child.stdout.once('data', () => setImmediate(look)));
            look();
          }),
        close: () => void child.kill('SIGKILL'),
      });
    });
  });
}

/** The logged events in SSE text (complete frames with an id), in the order they came. */
export function framesOf(text: string): Seen[] {
  const seen: Seen[] = [];
  // The text after the last blank line is a frame still arriving.
  for (const frame of text.split('\n\n').slice(0, -1)) {
    const id = /^id: (.+)$/m.exec(frame)?.[1];
    const data = /^data: (.+)$/m.exec(frame)?.[1];
    if (!id || !data) continue;
    const event = JSON.parse(data) as { type: string; stop_reason?: { type?: string } };
    seen.push({ id, type: event.type, stop: event.stop_reason?.type });
  }
  return seen;
}
