// The README's set-up from a fresh clone: `npm ci` (as CI runs it), then `incident` straight
// from node_modules/.bin on PATH. Offline: the packages come from npm's cache, so on a
// machine whose cache cannot supply them the test says so and skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('a fresh clone', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'incident-clone-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('after npm ci, runs `incident` from node_modules/.bin', (context) => {
    const clone = join(scratch, 'incident');
    // This checkout's commit, as a fresh clone of it would have it.
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '--quiet', '--no-checkout', resolve('.'), clone]);
    execFileSync('git', ['-C', clone, 'checkout', '--quiet', commit]);
    const installed = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: clone, encoding: 'utf8', timeout: 540_000 });
    if (installed.status !== 0 && /ENOTCACHED|offline/i.test(installed.stderr)) {
      context.skip(`npm's cache cannot install the packages offline here:\n${installed.stderr.slice(-500)}`);
    }
    expect(installed.status, installed.stderr).toBe(0);

    const env = { HOME: process.env['HOME'], INCIDENT_HOME: join(scratch, 'home'), PATH: [join(clone, 'node_modules', '.bin'), '/usr/bin', '/bin'].join(delimiter) };
    const version = spawnSync('incident', ['--version'], { env, encoding: 'utf8' });
    const expected = (JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version.stdout).toBe(`${expected}\n`);
    const listed = spawnSync('incident', ['sessions', 'list'], { env, encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('no sessions yet');
  });
});
