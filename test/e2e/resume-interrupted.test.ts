// Ctrl-C in the middle of an investigation prints "Resume it with: incident resume <id>":
// that command goes on with the investigation to its diagnosis, rather than printing the
// interrupted turn again and ending inconclusive.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, startCli, tempHome, userBundle } from './cli.js';

/**
 * The fixture with a busy proxy's log beside it (some 40 MB over its window): reading it
 * keeps the investigation going long enough that an interrupt lands in the middle of it.
 */
function busyBundle(): string {
  const bundle = userBundle('checkout-cache-removed');
  const alert = readFileSync(join(bundle, 'incident.yaml'), 'utf8');
  const page = Date.parse(/started_at:\s*"?([^"\n]+)/.exec(alert)?.[1] ?? '');
  const lines: string[] = [];
  const count = 400_000;
  for (let i = 0; i < count; i += 1) {
    const at = new Date(page - 3 * 3600_000 + (3.5 * 3600_000 * i) / count).toISOString();
    lines.push(`${at} INFO [edge-proxy] GET /api/items/${(i * 7919) % 100_000} status=200 duration=${i % 90}ms`);
  }
  writeFileSync(join(bundle, 'logs', 'edge-proxy.log'), `${lines.join('\n')}\n`);
  return bundle;
}

interface Line {
  id: string;
  type: string;
  name?: string;
}

describe('resume after an interrupted investigation', () => {
  it('continues it to a diagnosis', async () => {
    const env = cliEnv(tempHome());
    const child = startCli(['diagnose', busyBundle(), '--ndjson'], env);
    let out = '';
    // Interrupted at its first tool call, mid-turn, long before the investigation can end.
    child.stdout?.on('data', (chunk: Buffer) => {
      const calling = !out.includes('"agent.tool_use"');
      out += chunk.toString();
      if (calling && out.includes('"agent.tool_use"')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(130);
    const first = out.trim().split('\n').map((line) => JSON.parse(line) as Line);
    expect(first.some((line) => line.type === 'agent.tool_use' && line.name === 'submit_diagnosis')).toBe(false);

    const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string; outcome: string }>;
    expect(listed[0]?.outcome).toBe('interrupted');

    const resumed = await runCli(['resume', listed[0]?.id ?? '', '--ndjson'], env);
    const lines = resumed.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line);
    // The log as it stood, then the investigation going on to its diagnosis.
    expect(lines.slice(0, first.length).map((line) => line.id)).toEqual(first.map((line) => line.id));
    expect(lines.some((line) => line.type === 'agent.tool_use' && line.name === 'submit_diagnosis')).toBe(true);
    const after = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ outcome: string }>;
    expect(after[0]?.outcome).not.toBe('interrupted');
  });
});
