// A source that fails is one clear line on stderr and a problem of the bundle (its
// problems.json, shown by describe_bundle), never a hang or a crash: an unreachable
// Prometheus, one that answers 500, a query that never answers, a path that is not a git
// repository, a log command that fails.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBundle } from '../../src/bundle/index.js';
import { cliEnv, runCli, tempHome, type CliResult } from '../e2e/cli.js';
import { freePort } from './helpers/live.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function stub(handle: (path: string, res: import('node:http').ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => handle(new URL(req.url ?? '/', 'http://x').pathname, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function outDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'incident-bad-')), 'bundle');
}

/** A page given by hand, a fixed window, and the source under test. */
function collect(out: string, source: string[]): Promise<CliResult> {
  return runCli(
    ['collect', '--service', 'checkout', '--title', 'checkout errors', '--since', '2026-11-20T13:00:00Z', '--until', '2026-11-20T15:00:00Z', '--timeout', '1s', '--out', out, ...source],
    cliEnv(tempHome()),
  );
}

interface Recorded {
  source: string;
  path?: string;
  message: string;
}

function recorded(out: string): Recorded[] {
  return (JSON.parse(readFileSync(join(out, 'problems.json'), 'utf8')) as { problems: Recorded[] }).problems;
}

/** What the bundle readers (and so describe_bundle) report. */
async function bundleProblems(out: string): Promise<string[]> {
  const index = await (await openBundle(out)).index();
  return index.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

function expectHandled(result: CliResult, out: string): void {
  expect(result.stderr).not.toContain('internal error');
  // Nothing could be had from the only source: the bundle is written, says why, and the exit code says so too.
  expect(result.code).toBe(4);
  expect(result.stdout.trim()).toBe(out);
  expect(readFileSync(join(out, 'incident.yaml'), 'utf8')).toContain('service: checkout');
}

describe('incident collect with a source that fails', () => {
  it('an unreachable Prometheus', async () => {
    const out = outDir();
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await collect(out, ['--prometheus', url]);
    expectHandled(result, out);
    const line = `collect: problem: prometheus ${url}: cannot reach ${url}/api/v1/series: connection refused: nothing listens there [metrics/]`;
    expect(result.stderr.split('\n')).toContain(line);
    expect(recorded(out)).toEqual([{ source: `prometheus ${url}`, path: 'metrics/', message: `cannot reach ${url}/api/v1/series: connection refused: nothing listens there` }]);
    // describe_bundle lists it among the bundle's problems.
    const described = await runCli(['tools', 'run', 'describe_bundle', '--bundle', out, '--json'], cliEnv(tempHome()));
    const overview = JSON.parse(described.stdout) as { problems: string[]; counts: { problems: number } };
    expect(overview.problems).toEqual([`metrics/: prometheus ${url}: cannot reach ${url}/api/v1/series: connection refused: nothing listens there`]);
  });

  it('a Prometheus that answers 500', async () => {
    const out = outDir();
    const url = await stub((_path, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"status":"error","errorType":"internal","error":"storage is not ready"}');
    });
    const result = await collect(out, ['--prometheus', url]);
    expectHandled(result, out);
    const message = `${url}/api/v1/series answered HTTP 500: {"status":"error","errorType":"internal","error":"storage is not ready"}`;
    expect(result.stderr).toContain(`collect: problem: prometheus ${url}: ${message}`);
    expect(await bundleProblems(out)).toEqual([`metrics/: prometheus ${url}: ${message}`]);
  });

  it('a query that never answers, with the timeout given', async () => {
    const out = outDir();
    const series = [
      { __name__: 'http_requests_total', job: 'checkout', code: '200' },
      { __name__: 'http_requests_total', job: 'checkout', code: '500' },
      { __name__: 'db_pool_in_use_connections', job: 'checkout' },
      { __name__: 'queue_depth', job: 'checkout' },
    ];
    // Discovery answers; every query_range hangs.
    const url = await stub((path, res) => {
      if (path === '/api/v1/query_range') return;
      const data = path === '/api/v1/series' ? series : path.startsWith('/api/v1/label') ? [] : path === '/api/v1/metadata' ? {} : { activeTargets: [] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data }));
    });
    const result = await collect(out, ['--prometheus', url]);
    expectHandled(result, out);
    const timedOut = `${url}/api/v1/query_range did not answer within 1s`;
    expect(result.stderr).toContain(`collect: problem: prometheus ${url}: ${timedOut}`);
    const problems = recorded(out);
    // Two queries time out; the others are not tried against a server that does not answer, and a rerun tries them.
    expect(problems.filter((problem) => problem.message === timedOut)).toHaveLength(2);
    expect(problems).toContainEqual({ source: `prometheus ${url}`, path: 'metrics/', message: '2 more queries were not tried after 2 failures in a row; run the same command again to retry them' });
  });

  it('a git path that is not a repository', async () => {
    const out = outDir();
    const notRepo = mkdtempSync(join(tmpdir(), 'incident-not-a-repo-'));
    mkdirSync(join(notRepo, 'src'));
    const result = await collect(out, ['--git', notRepo]);
    expectHandled(result, out);
    expect(result.stderr).toContain(`collect: problem: git ${notRepo}: ${notRepo} is not a git repository [changes.yaml]`);
    expect(await bundleProblems(out)).toEqual([`changes.yaml: git ${notRepo}: ${notRepo} is not a git repository`]);
  });

  it('a log command that fails, and one that does not exist', async () => {
    const out = outDir();
    const failing = 'sh -c "echo 2026-11-20T14:00:00Z ERROR checkout: pool exhausted; echo kaput: no such deployment >&2; exit 3"';
    const result = await collect(out, ['--logs', `checkout=${failing}`, '--logs', 'incident-no-such-command-xyz --follow']);
    expect(result.stderr).not.toContain('internal error');
    // What the failing command printed before it failed is kept, and the failure is said.
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'logs', 'checkout.log'), 'utf8')).toBe('2026-11-20T14:00:00Z ERROR checkout: pool exhausted\n');
    const source = 'logs sh -c echo 2026-11-20T14:00:00Z ERROR checkout: pool exhausted; echo kaput: no such deployment >&2; exit 3';
    expect(result.stderr).toContain(`collect: problem: ${source}: sh failed (exit 3): kaput: no such deployment; kept what it printed [logs/checkout.log]`);
    expect(result.stderr).toContain('collect: problem: logs incident-no-such-command-xyz --follow: command not found: incident-no-such-command-xyz (is it installed and on PATH?) [logs/]');
    expect(await bundleProblems(out)).toEqual([
      `logs/checkout.log: ${source}: sh failed (exit 3): kaput: no such deployment; kept what it printed`,
      'logs/: logs incident-no-such-command-xyz --follow: command not found: incident-no-such-command-xyz (is it installed and on PATH?)',
    ]);
  });
});
