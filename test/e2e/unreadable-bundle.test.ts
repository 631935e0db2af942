// A first user points incident at the wrong folder, or at a bundle with a broken file in it:
// a folder with nothing readable is refused up front (one line, exit 2, what a bundle needs,
// no session); a broken file among good ones is named, with why, wherever the run shows
// itself: the describe_bundle line of the plain output and the diagnosis.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInvestigation } from '../../src/cli/investigation.js';
import { connect } from '../../src/cli/connect.js';
import { InputError } from '../../src/errors.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';

/** Random bytes that are no text (a NUL among them, as in any binary file). */
function garbage(bytes: number): Buffer {
  const data = randomBytes(bytes);
  data[7] = 0;
  return data;
}

function folder(files: Record<string, Buffer | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'incident-unreadable-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

async function sessionCount(env: NodeJS.ProcessEnv): Promise<number> {
  const listed = await runCli(['sessions', 'list', '--json'], env);
  return (JSON.parse(listed.stdout) as unknown[]).length;
}

describe('a bundle with nothing to investigate', () => {
  it('a folder of binary files is refused before any session, in one line that says what a bundle needs', async () => {
    const env = cliEnv(tempHome());
    const dir = folder({ 'a.bin': garbage(20_000), 'b.bin': garbage(20_000), 'c.dat': garbage(5000) });
    const result = await runCli(['diagnose', dir], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`incident: ${dir} holds nothing to investigate (a.bin, b.bin, c.dat: not bundle files)`);
    expect(result.stderr).toContain('a bundle needs at least one of: the page (incident.yaml or alert.json)');
    expect(await sessionCount(env)).toBe(0);
  });

  it('known files that cannot be read are each named with why', async () => {
    const env = cliEnv(tempHome());
    const dir = folder({
      'metrics/p99.json': '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[17636',
      'changes.yaml': garbage(3000),
      'logs/app.log': 'starting up\nlistening on :8080\n',
      // Zeros read as an epoch are 1970: no time of an incident, so no event.
      'logs/epoch.log': '0000000000 ERROR boot\n0000000001 ERROR boot again\n',
    });
    const result = await runCli(['diagnose', dir, '--json'], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('changes.yaml: binary data, not text');
    expect(result.stderr).toContain('logs/app.log: no line starts with a timestamp');
    expect(result.stderr).toContain('logs/epoch.log: no line starts with a timestamp');
    expect(result.stderr).toMatch(/1 more files that could not be read|metrics\/p99\.json: not valid JSON/);
    expect(await sessionCount(env)).toBe(0);
  });

  it('the terminal UI is refused the same way, before anything is uploaded', async () => {
    const home = tempHome();
    const connection = await connect({ runtime: 'local', env: cliEnv(home) });
    try {
      const dir = folder({ 'notes.txt': garbage(4000) });
      const refused = await openInvestigation(connection.client, { bundle: [dir] }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(InputError);
      expect((refused as InputError).message).toContain('holds nothing to investigate');
      expect((await connection.client.beta.sessions.list()).data).toEqual([]);
      expect((await connection.client.beta.files.list()).data).toEqual([]);
    } finally {
      await connection.close();
    }
  });
});

describe('a bundle with one unreadable file among good ones', () => {
  it('is investigated, and the file is named with why in the describe_bundle line and in the diagnosis', async () => {
    const env = cliEnv(tempHome());
    const dir = userBundle('checkout-cache-removed');
    const file = join(dir, 'metrics', 'api-gateway.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 300));
    const plain = await runCli(['diagnose', dir], env);
    expect(plain.code).toBe(0);
    const described = plain.stdout.split('\n').find((line) => line.includes('done') && line.includes('describe_bundle')) ?? '';
    expect(described).toContain('not read: metrics/api-gateway.json (not valid JSON');
    const diagnosis = plain.stdout.split('\n').find((line) => /^\S+ diagnosis /.test(line)) ?? '';
    expect(diagnosis).toContain('Not weighed, because they could not be read: metrics/api-gateway.json: not valid JSON');
  });
});
