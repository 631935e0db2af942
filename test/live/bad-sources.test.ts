// Live sources that fail, read by the SRE tools with no bundle: an unreachable Prometheus,
// one that answers 500, one that never answers, a git path that is not a repository and a
// log command that fails. Each is a problem describe_bundle lists, in one line naming the
// source; a tool that needs what is missing says so; nothing hangs or crashes.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome, type CliResult } from '../e2e/cli.js';
import { freePort } from '../collect/helpers/live.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function stub(handle: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => handle(res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function environment(sources: string[]): { file: string; bundle: string } {
  const dir = mkdtempSync(join(tmpdir(), 'incident-live-bad-'));
  const file = join(dir, 'live.yaml');
  writeFileSync(file, ['name: live-bad', 'sources:', '  service: checkout', '  timeout: 1s', ...sources.map((line) => `  ${line}`), ''].join('\n'));
  const bundle = join(dir, 'empty');
  mkdirSync(bundle);
  return { file, bundle };
}

async function tool(name: string, env: { file: string; bundle: string }, args: string[] = []): Promise<CliResult> {
  return runCli(['tools', 'run', name, '--environment', env.file, '--bundle', env.bundle, ...args.flatMap((arg) => ['--arg', arg]), '--json'], cliEnv(tempHome()));
}

async function problems(env: { file: string; bundle: string }): Promise<string[]> {
  const described = await tool('describe_bundle', env);
  expect(described.stderr).not.toContain('internal error');
  expect(described.code, described.stderr).toBe(0);
  return (JSON.parse(described.stdout) as { problems: string[] }).problems;
}

describe('live sources that fail', () => {
  it('an unreachable Prometheus, a path that is no repository and a failing log command: each a problem, and the tools say what is missing', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const notRepo = mkdtempSync(join(tmpdir(), 'incident-not-a-repo-'));
    const env = environment([`prometheus: ${url}`, `git: [${notRepo}]`, `logs: ['checkout=sh -c "echo the log service is down >&2; exit 3"']`]);
    const found = await problems(env);
    expect(found).toHaveLength(3);
    expect(found).toContainEqual(`metrics/: prometheus ${url}: cannot reach ${url}/api/v1/series: connection refused: nothing listens there`);
    expect(found).toContainEqual(`changes.yaml: git ${notRepo}: ${notRepo} is not a git repository`);
    expect(found.find((line) => line.includes('logs sh -c'))).toContain('sh failed (exit 3): the log service is down');

    const queried = await tool('query_metrics', env, ['series=http_requests']);
    expect(queried.stderr).not.toContain('internal error');
    expect(JSON.parse(queried.stdout)).toMatchObject({ error: 'the bundle has no metric series' });
  });

  it('a Prometheus that answers 500', async () => {
    const url = await stub((res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('storage is unhappy'));
    expect(await problems(environment([`prometheus: ${url}`]))).toEqual([`metrics/: prometheus ${url}: ${url}/api/v1/series answered HTTP 500: storage is unhappy`]);
  });

  it('a Prometheus that never answers: the query times out', async () => {
    const url = await stub(() => undefined);
    expect(await problems(environment([`prometheus: ${url}`]))).toEqual([`metrics/: prometheus ${url}: ${url}/api/v1/series did not answer within 1s`]);
  });
});
