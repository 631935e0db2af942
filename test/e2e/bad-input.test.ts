// Every user mistake is one line that says what to do, a distinct exit code, no stack.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome } from './cli.js';

function expectOneLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('bad input to the CLI', () => {
  const env = cliEnv(tempHome());

  it('a missing bundle', async () => {
    const result = await runCli(['diagnose', '/nonexistent/bundle', '--json'], env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('does not exist');
    expect(result.stdout).toBe('');
  });

  it('a command guessed at, which is no path either', async () => {
    const result = await runCli(['investigate', 'fixtures/checkout-cache-removed'], env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('investigate is neither a command nor a path');
    expect(result.stderr).toContain('incident --help');
    expect(result.stdout).toBe('');
  });

  it('an invalid agent definition names file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-def-'));
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'name: sre\nmodel: claude-opus-4-8\nsystem: hi\ntools:\n  - name: submit_diagnosis\n    permission: sometimes\n');
    const result = await runCli(['agents', 'validate', file], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/agent\.yaml:6:17 tools\[0\]\.permission: must be always_allow or always_ask/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown session id', async () => {
    const result = await runCli(['sessions', 'show', 'sesn_doesnotexist'], env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('sessions list');
  });

  it('a bad flag value', async () => {
    const result = await runCli(['diagnose', '.', '--timeout', 'soon'], env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
  });

  it('an unreachable runtime is a runtime failure', async () => {
    const result = await runCli(['sessions', 'list', '--runtime', 'http://127.0.0.1:9'], env);
    expect(result.code).toBe(4);
    expectOneLine(result.stderr);
  });
});
