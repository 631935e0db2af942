// A reader that stops reading (`incident … | head -1`): the CLI ends quietly with 0, and a
// session it was driving is left resumable (its lease released, `incident resume` goes on).
// The runtime ran in the CLI's own process, so nothing drives the session after it: its turn
// is interrupted and logged so, never shown as `running` with nothing running it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli, tempHome, userBundle } from './cli.js';

interface HeadResult {
  /** The CLI's exit code (not head's). */
  code: number;
  firstLine: string;
  stderr: string;
}

/** Runs `incident <args> | head -1` in a shell: head reads the first line and closes the pipe. */
function runIntoHead(args: readonly string[], env: NodeJS.ProcessEnv): Promise<HeadResult> {
  const pipeline = '"$@" | head -n 1; exit "${PIPESTATUS[0]}"';
  const child = spawn('bash', ['-c', pipeline, 'incident', process.execPath, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code: code ?? -1, firstLine: stdout.trimEnd(), stderr })));
}

function leaseOf(home: string, sessionId: string): unknown {
  const db = new DatabaseSync(join(home, 'incident.db'), { readOnly: true });
  try {
    return db.prepare('SELECT owner FROM leases WHERE session_id = ?').get(sessionId);
  } finally {
    db.close();
  }
}

async function newestSession(env: NodeJS.ProcessEnv): Promise<{ id: string; status: string; outcome: string }> {
  const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string; status: string; outcome: string }>;
  const newest = listed[0];
  if (!newest) throw new Error('no session was created');
  return newest;
}

describe('output closed by its reader', () => {
  const home = tempHome();
  const env = cliEnv(home);
  let sessionId = '';

  it('diagnose --ndjson | head -1: exits 0 without a word, and resume continues the session', async () => {
    const head = await runIntoHead(['diagnose', userBundle('checkout-cache-removed'), '--ndjson'], env);
    expect(head.stderr).toBe('');
    expect(head.code).toBe(0);
    // The first event: the run's rules recorded with the session, before its first message.
    expect(JSON.parse(head.firstLine)).toMatchObject({ type: 'session.updated' });

    // Stopped mid-turn and logged as interrupted (or, had the turn come to rest before the
    // pipe closed, left waiting for approval), and nobody holds it: the process that drove
    // it let go.
    const session = await newestSession(env);
    sessionId = session.id;
    expect(session.status).toBe('idle');
    expect(['interrupted', 'waiting_for_approval']).toContain(session.outcome);
    expect(leaseOf(home, session.id)).toBeUndefined();

    const resumed = await runCli(['resume', session.id, '--ndjson'], env);
    expect(resumed.stderr).toBe('');
    const lines = resumed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; type: string; name?: string; stop_reason?: { type: string } });
    expect(lines[0]?.id).toBe(JSON.parse(head.firstLine).id);
    expect(new Set(lines.map((line) => line.id)).size).toBe(lines.length);
    // It went on to its diagnosis, every call it made has its one result (the rollback it
    // asked for was denied, by the run's recorded policy or by the interruption), and the
    // turn ended.
    expect(lines.some((line) => line.type === 'agent.tool_use' && line.name === 'submit_diagnosis')).toBe(true);
    const count = (type: string): number => lines.filter((line) => line.type === type).length;
    expect(count('agent.tool_result')).toBe(count('agent.tool_use'));
    expect(lines.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    expect(resumed.code).toBe(0);
  });

  // Reading that session back: each prints far more than a pipe holds, so the reader is
  // gone before the last write.
  it('diagnose | head -1 (plain lines): the session is interrupted, not left running', async () => {
    const head = await runIntoHead(['diagnose', userBundle('checkout-cache-removed')], env);
    expect(head.stderr).toBe('');
    expect(head.code).toBe(0);
    expect(head.firstLine).toMatch(/^session sesn_/);
    const session = await newestSession(env);
    expect(session.id).not.toBe(sessionId);
    expect(session.status).toBe('idle');
    expect(['interrupted', 'waiting_for_approval']).toContain(session.outcome);
    expect(leaseOf(home, session.id)).toBeUndefined();
  });

  it.each([
    ['sessions show --ndjson', (id: string) => ['sessions', 'show', id, '--ndjson']],
    ['sessions export --format ndjson', (id: string) => ['sessions', 'export', id, '--format', 'ndjson']],
    ['resume --ndjson', (id: string) => ['resume', id, '--ndjson']],
  ])('%s | head -1 exits 0 without a word', async (_name, args) => {
    expect(sessionId).not.toBe('');
    const head = await runIntoHead(args(sessionId), env);
    expect(head.stderr).toBe('');
    expect(head.code).toBe(0);
    // The first event: the run's rules recorded with the session, before its first message.
    expect(JSON.parse(head.firstLine)).toMatchObject({ type: 'session.updated' });
  });
});
