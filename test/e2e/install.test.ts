// `incident` the way the README says to run it: from node_modules/.bin on PATH after
// `npm install`, and from a global install (`npm install -g .`) even when the `node` on
// PATH is the system's Node 20, which the launcher hands over to the project's Node 24.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome } from './cli.js';

const ROOT = resolve('.');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A `node` older than the CLI supports (the system's Node 20), if the machine has one. */
function oldNode(): string | null {
  const found = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const candidate of [...found, '/usr/bin/node', '/usr/local/bin/node']) {
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
    if (/^v\d/.test(version) && (major < 22 || (major === 22 && minor < 13))) return candidate;
  }
  return null;
}

const OLD_NODE = oldNode();
if (OLD_NODE === null) console.warn('install.test.ts: no Node older than 22.13 on this machine; the runs under an old system Node are skipped');

/** PATH as on a machine whose `node` is the old one, without this project's node_modules/.bin. */
function oldNodePath(first: string[] = []): string {
  return [...first, dirname(OLD_NODE ?? '/usr/bin/node'), '/usr/bin', '/bin'].join(delimiter);
}

function run(command: string, args: readonly string[], path: string, home = tempHome()): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { HOME: process.env['HOME'], PATH: path, INCIDENT_HOME: home, NO_COLOR: '1' };
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('running incident as installed', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'incident-install-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('npm install links incident into node_modules/.bin, so the printed hints can be pasted', () => {
    const link = join(ROOT, 'node_modules', '.bin', 'incident');
    expect(lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink(), `${link} is missing: npm install (prepare) links it`).toBe(true);
    expect(realpathSync(link)).toBe(join(ROOT, 'bin', 'incident.js'));
    // `incident …` found on PATH, the way a hint like "incident resume <id>" is pasted.
    const path = [join(ROOT, 'node_modules', '.bin'), '/usr/bin', '/bin'].join(delimiter);
    const listed = run('incident', ['sessions', 'list', '--json'], path);
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trim()).toBe('[]');
  });

  it.skipIf(OLD_NODE === null)('a global install runs on the project Node when the node on PATH is too old', () => {
    const prefix = join(scratch, 'prefix');
    // A folder installs as a link to it: fast, and nothing is fetched (--offline).
    execFileSync('npm', ['install', '--global', '--prefix', prefix, ROOT, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    const incident = join(prefix, 'bin', 'incident');
    expect(realpathSync(incident)).toBe(join(ROOT, 'bin', 'incident.js'));

    const version = run(incident, ['--version'], oldNodePath([join(prefix, 'bin')]));
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    // A real command, which needs Node 22.13+ (node:sqlite): the project's Node runs it.
    const listed = run('incident', ['sessions', 'list', '--json'], oldNodePath([join(prefix, 'bin')]));
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trim()).toBe('[]');
    // Exit codes come through the hand-over unchanged.
    expect(run(incident, ['sessions', 'show', 'sesn_missing'], oldNodePath()).code).toBe(2);
  });

  it.skipIf(OLD_NODE === null)('without the project Node next to it, an old Node gets one line saying what to do', () => {
    // The launcher alone, as in a package installed without its development dependencies.
    const bin = join(scratch, 'bare', 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(join(ROOT, 'bin', 'incident.js'), join(bin, 'incident.js'));
    writeFileSync(join(scratch, 'bare', 'package.json'), '{ "type": "module" }\n');
    const refused = run(OLD_NODE ?? 'node', [join(bin, 'incident.js'), '--version'], oldNodePath());
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^incident: Node\.js \d+\.\d+\.\d+ is too old; it needs Node\.js 22\.13 or newer \(.*Node 24.*\)\.\n$/);
  });
});
