// `incident sessions list|show|export|delete` over a session made by `diagnose`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosisSchema } from '../../src/protocol/diagnosis.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';

describe('incident sessions', () => {
  it('lists, shows, exports and deletes a session', async () => {
    const home = tempHome();
    const env = cliEnv(home);
    const diagnosed = await runCli(['diagnose', userBundle('gateway-timeout-cut'), '--json'], env);
    const id = (JSON.parse(diagnosed.stdout) as { session_id: string }).session_id;

    const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string; status: string }>;
    expect(listed.map((session) => session.id)).toEqual([id]);
    expect(listed[0]?.status).toBe('idle');

    const shown = await runCli(['sessions', 'show', id, '--json'], env);
    expect(shown.code).toBe(0);
    const result = JSON.parse(shown.stdout) as { diagnosis: unknown; outcome: string };
    expect(DiagnosisSchema.parse(result.diagnosis).root_cause.change_id).toBe('cfg-8102');
    expect(result.outcome).toBe('diagnosed');

    const plain = await runCli(['sessions', 'show', id], env);
    expect(plain.stdout).toContain(id);
    expect(plain.stdout).not.toMatch(/\u001b\[/);

    const report = join(home, 'report.md');
    const exported = await runCli(['sessions', 'export', id, '--format', 'markdown', '-o', report], env);
    expect(exported.code).toBe(0);
    const markdown = readFileSync(report, 'utf8');
    for (const section of ['## Summary', '## Timeline', '## Evidence', '## Remediation', 'cfg-8102']) expect(markdown).toContain(section);

    const ndjson = (await runCli(['sessions', 'export', id, '--format', 'ndjson'], env)).stdout.trim().split('\n');
    expect(ndjson.length).toBeGreaterThan(10);
    expect(ndjson.every((line) => (JSON.parse(line) as { id: string }).id.startsWith('sevt_'))).toBe(true);

    expect((await runCli(['sessions', 'delete', id], env)).stdout).toContain(`deleted ${id}`);
    const gone = await runCli(['sessions', 'show', id], env);
    expect(gone.code).toBe(2);
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
  });
});
