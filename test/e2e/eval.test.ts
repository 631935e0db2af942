// `npm run eval` as a script uses it: the built entry, its exit codes and its JSON.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ENTRY = resolve('dist/eval.js');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function runEval(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('npm run eval', () => {
  it('refuses a bad request with one line and exit code 2, before investigating anything', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'incident-eval-e2e-'));
    made.push(empty);
    for (const args of [['--only'], ['--bogus'], ['--only', empty], ['--only', join(empty, 'missing')]]) {
      const result = await runEval(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^eval: /);
    }
  });

  it('scores every bundle of a folder given and reports it as JSON', async () => {
    const set = mkdtempSync(join(tmpdir(), 'incident-eval-e2e-'));
    made.push(set);
    cpSync(resolve('fixtures', 'inventory-db-disk-full'), join(set, 'disk-full'), { recursive: true });
    // The same incident, with a truth that says the cause cannot be known: naming one is a wrong blame.
    cpSync(resolve('fixtures', 'inventory-db-disk-full'), join(set, 'said-unknown'), { recursive: true });
    writeFileSync(join(set, 'said-unknown', 'truth.json'), JSON.stringify({ category: 'unknown', service: null, change_id: null }));
    const result = await runEval(['--only', '--json', set]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      folders: Array<{ folder: string; summary: { bundles: number; outcomes: Record<string, number> }; bundles: Array<{ bundle: string; outcome: string }> }>;
    };
    expect(report.folders).toHaveLength(1);
    expect(report.folders[0]?.folder).toBe(set);
    expect(report.folders[0]?.summary).toMatchObject({ bundles: 2, outcomes: { correct: 1, wrong_blame: 1 } });
    expect(report.folders[0]?.bundles.map((row) => [row.bundle, row.outcome])).toEqual([
      ['disk-full', 'correct'],
      ['said-unknown', 'wrong_blame'],
    ]);
  });
});
