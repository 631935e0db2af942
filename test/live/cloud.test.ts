// The cloud runtime against Claude Managed Agents itself. It costs money and needs the
// network, so it runs only when asked: ANTHROPIC_API_KEY set and INCIDENT_LIVE=1
// (`INCIDENT_LIVE=1 npx vitest run test/live`). Otherwise it is skipped, and says why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome, userBundle } from '../e2e/cli.js';

const key = process.env['ANTHROPIC_API_KEY'] ?? '';
const live = key !== '' && process.env['INCIDENT_LIVE'] === '1';
if (!live) {
  console.warn(
    `live cloud suite skipped: ${key === '' ? 'ANTHROPIC_API_KEY is not set' : 'INCIDENT_LIVE is not 1'} (set ANTHROPIC_API_KEY and INCIDENT_LIVE=1 to run it against Claude Managed Agents)`,
  );
}

const home = tempHome();

function env(): NodeJS.ProcessEnv {
  const base = cliEnv(home, { ANTHROPIC_API_KEY: key });
  delete base['INCIDENT_RUNTIME'];
  if (process.env['ANTHROPIC_BASE_URL']) base['ANTHROPIC_BASE_URL'] = process.env['ANTHROPIC_BASE_URL'];
  return base;
}

function recorded(): string[] {
  const record = JSON.parse(readFileSync(join(home, 'cloud-uploads.json'), 'utf8')) as { runtimes: Record<string, Record<string, { file_id: string }>> };
  return Object.values(record.runtimes).flatMap((entries) => Object.values(entries).map((upload) => upload.file_id)).sort();
}

describe.skipIf(!live)('Claude Managed Agents (live)', () => {
  const bundle = userBundle('checkout-cache-removed');
  const sessions: string[] = [];

  it('diagnoses a bundle, the SRE tools answered on this machine', { timeout: 900_000 }, async () => {
    const run = await runCli(['diagnose', bundle, '--runtime', 'cloud', '--ndjson', '--timeout', '12m'], env());
    const events = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; id: string });
    expect([0, 3], run.stderr).toContain(run.code);
    expect(events.some((event) => event.type === 'agent.custom_tool_use')).toBe(true);
    expect(events.some((event) => event.type === 'user.custom_tool_result')).toBe(true);
    const list = await runCli(['sessions', 'list', '--runtime', 'cloud', '--limit', '1', '--json'], env());
    expect(list.code).toBe(0);
    sessions.push(...(JSON.parse(list.stdout) as Array<{ id: string }>).map((row) => row.id));
  });

  it('a second diagnosis uploads nothing new', { timeout: 900_000 }, async () => {
    const before = recorded();
    const run = await runCli(['diagnose', bundle, '--runtime', 'cloud', '--json', '--timeout', '12m'], env());
    expect([0, 3], run.stderr).toContain(run.code);
    expect(recorded()).toEqual(before);
    sessions.push((JSON.parse(run.stdout) as { session_id: string }).session_id);
  });

  it('shows a session and deletes them', { timeout: 120_000 }, async () => {
    const shown = await runCli(['sessions', 'show', sessions[0] ?? '', '--runtime', 'cloud', '--json'], env());
    expect(shown.code, shown.stderr).not.toBe(2);
    const deleted = await runCli(['sessions', 'delete', ...sessions, '--runtime', 'cloud'], env());
    expect(deleted.code, deleted.stderr).toBe(0);
  });
});
