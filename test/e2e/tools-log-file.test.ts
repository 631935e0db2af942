// `incident tools run log_patterns|search_logs --file <log>`: a log file anywhere on disk is a
// valid input on its own, and only that file is read (not the folder it sits in).
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome } from './cli.js';

describe('tools run on a log file given alone', () => {
  // A folder like /var/log: the log, and a neighbour that must stay unread.
  const folder = mkdtempSync(join(tmpdir(), 'incident-varlog-'));
  const log = join(folder, 'app.out');
  copyFileSync(resolve('fixtures/checkout-cache-removed/logs/checkout.log'), log);
  writeFileSync(join(folder, 'neighbour.log'), '2026-02-10T14:00:00Z ERROR secret-neighbour-line\n');
  // The child's temporary files, to see it leaves none behind.
  const scratch = mkdtempSync(join(tmpdir(), 'incident-tmp-'));
  const env = cliEnv(tempHome(), { TMPDIR: scratch });

  it('log_patterns mines the file, without --bundle', async () => {
    const result = await runCli(['tools', 'run', 'log_patterns', '--file', log, '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const mined = JSON.parse(result.stdout) as { events: number; templates: Array<{ example: string }> };
    expect(mined.events).toBeGreaterThan(1000);
    expect(mined.templates.every((template) => template.example.startsWith('logs/app.out:'))).toBe(true);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('search_logs searches that file and nothing beside it', async () => {
    const found = await runCli(['tools', 'run', 'search_logs', '--file', log, '--arg', 'pattern=Quote pricing took', '--json'], env);
    expect(found.code).toBe(0);
    const result = JSON.parse(found.stdout) as { total_matches: number; files: Array<{ file: string }> };
    expect(result.total_matches).toBeGreaterThan(0);
    expect(result.files.map((file) => file.file)).toEqual(['logs/app.out']);

    const neighbour = await runCli(['tools', 'run', 'search_logs', '--file', log, '--arg', 'pattern=secret-neighbour-line', '--json'], env);
    expect(neighbour.code).toBe(0);
    expect(JSON.parse(neighbour.stdout)).toMatchObject({ total_matches: 0 });
    expect(neighbour.stdout).not.toContain('neighbour.log');
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('says what to do for a missing file, or a tool that needs a bundle', async () => {
    const missing = await runCli(['tools', 'run', 'log_patterns', '--file', join(folder, 'nope.log')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^incident: --file .*nope\.log does not exist/);
    const other = await runCli(['tools', 'run', 'list_changes', '--file', log], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('list_changes needs --bundle <dir>');
  });
});
