// The SRE tools over live systems, with no bundle, against real components on 127.0.0.1:
// an exporter whose checkout service degrades when its DB pool is cut, scraped by
// Prometheus; a git repository with the commit that cut the pool among innocent ones; a
// log command that needs a credential. `incident diagnose --environment <live env>` names
// that commit with the offline brain, as `incident collect` + `incident diagnose` of the
// same components does; the log command gets its credential, and nothing else of the
// caller's environment, and the credential never shows in a result.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome } from '../e2e/cli.js';
import { TestExporter } from '../collect/helpers/exporter.js';
import { liveComponents, startPrometheus, waitFor, type Running } from '../collect/helpers/live.js';
import { commitChangeId, gitRepo, POOL_40, POOL_8 } from '../collect/helpers/repo.js';

const MIN = 60_000;
const TOKEN = 'logs-token-5f0c1e9a7b3d42e8a6c1';
const live = liveComponents();
if (!live.ok) process.stderr.write(`skipping the live tools tests: ${live.why}\n`);


let exporter: TestExporter;
let prometheus: Running;
let repo: string;
let culprit: string;
let logCommand: string;
let environment: string;
let now: number;


/** Checkout's log for the last 45 minutes: quiet until the pool is cut, then waits and timeouts. */
function checkoutLog(degradeAt: number): string {
  const lines: string[] = [];
  for (let t = now - 45 * MIN; t <= now; t += MIN) {
    const at = new Date(t).toISOString();
    lines.push(t < degradeAt ? `${at} INFO checkout GET /cart 200 41ms` : `${at} ERROR checkout timed out acquiring a DB connection after 2s (pool in use 8/8)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The caller's environment, with the credential's source and a variable the hands must not pass on. */
function callerEnv(): NodeJS.ProcessEnv {
  return cliEnv(tempHome(), { TEST_LOGS_TOKEN: TOKEN, NOT_FOR_THE_HANDS: 'leaked' });
}

function writeEnvironment(name: string, sources: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'incident-env-')), `${name}.yaml`);
  writeFileSync(file, [`name: ${name}`, 'credentials:', '  - { name: logs_token, from_env: TEST_LOGS_TOKEN }', 'sources:', ...sources.map((line) => `  ${line}`), ''].join('\n'));
  return file;
}

interface RootCause {
  change_id: string | null;
  category: string;
  service: string;
}

describe.skipIf(!live.ok)('the SRE tools over Prometheus, git and a log command, with no bundle', () => {
  beforeAll(async () => {
    now = Date.now();
    const degradeAt = now - 15 * MIN;
    // 45 minutes of history replayed in seconds; checkout's pool is cut 15 minutes ago.
    exporter = new TestExporter({ historyMs: 45 * MIN, replayStepMs: MIN, degradeAt });
    await exporter.start();
    repo = gitRepo('checkout', [
      { at: now - 120 * MIN, message: 'Checkout service', files: { 'src/db/pool.go': POOL_40, 'README.md': '# checkout\n', 'config/logging.yaml': 'level: info\n' } },
      { at: now - 38 * MIN, message: 'Fix a typo in the README', files: { 'README.md': '# checkout service\n' } },
      { at: now - 27 * MIN, message: 'Log at debug while investigating slow carts', files: { 'config/logging.yaml': 'level: debug\n' } },
      { at: now - 17 * MIN, message: 'Right-size the DB pool now that pgbouncer fronts the database', files: { 'src/db/pool.go': POOL_8 } },
      { at: now - 9 * MIN, message: 'Link the dashboard from the README', files: { 'README.md': '# checkout service\n\nDashboard: https://grafana.example/d/checkout\n' } },
    ]);
    culprit = commitChangeId(repo, 'Right-size the DB pool now that pgbouncer fronts the database');

    // The log command: it needs its credential, must not see the caller's other variables, and prints the credential once.
    const dir = mkdtempSync(join(tmpdir(), 'incident-logs-'));
    mkdirSync(join(dir, 'var'));
    writeFileSync(join(dir, 'var', 'checkout.log'), checkoutLog(degradeAt));
    writeFileSync(
      join(dir, 'logs.sh'),
      [
        '[ -n "$LOGS_TOKEN" ] || { echo "LOGS_TOKEN is not set" >&2; exit 3; }',
        '[ -z "$NOT_FOR_THE_HANDS" ] || { echo "the caller\'s environment leaked into the log command" >&2; exit 4; }',
        `cat ${join(dir, 'var', 'checkout.log')}`,
        // Stamped inside the window: a line after the window's end is left out, as it should be.
        `echo "${new Date(now - 5 * MIN).toISOString()} WARN checkout retrying the log shipper with token $LOGS_TOKEN"`,
        '',
      ].join('\n'),
    );
    logCommand = `checkout=sh ${join(dir, 'logs.sh')}`;

    prometheus = await startPrometheus({
      scrapeInterval: '100ms',
      jobs: [
        { name: 'checkout', target: `127.0.0.1:${exporter.port}`, path: '/checkout/metrics' },
        { name: 'payments', target: `127.0.0.1:${exporter.port}`, path: '/payments/metrics' },
      ],
    });
    // The replayed history is in once both services are live and Prometheus holds their present.
    await waitFor('the exporter to replay its history', async () => (exporter.live() ? true : null), 600);
    await waitFor('Prometheus to hold the present', async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=db_pool_max_open_connections`)).json()) as { data: { result: unknown[] } };
      return body.data.result.length > 0 ? true : null;
    });

    environment = writeEnvironment('live', [
      `prometheus: ${prometheus.url}`,
      'service: checkout',
      `git: [${repo}]`,
      `logs: ['${logCommand}']`,
      'credentials: [logs_token]',
      'window: { since: 50m }',
      'timeout: 10s',
      'limits: { points: 60 }',
    ]);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  it('diagnoses from the live sources with no bundle, the same way as a collected bundle', async () => {
    const diagnosed = await runCli(['diagnose', '--environment', environment, '--service', 'checkout', '--json'], callerEnv());
    expect(diagnosed.code, diagnosed.stderr).toBe(0);
    const liveResult = JSON.parse(diagnosed.stdout) as { diagnosis: { root_cause: RootCause } };
    expect(liveResult.diagnosis.root_cause).toMatchObject({ change_id: culprit, category: 'deploy', service: 'checkout' });

    const out = join(mkdtempSync(join(tmpdir(), 'incident-collect-')), 'bundle');
    const collected = await runCli(
      ['collect', '--service', 'checkout', '--since', '50m', '--prometheus', prometheus.url, '--git', repo, '--logs', logCommand, '--max-points', '60', '--out', out],
      cliEnv(tempHome(), { LOGS_TOKEN: TOKEN }),
    );
    expect(collected.code, collected.stderr).toBe(0);
    const fromBundle = await runCli(['diagnose', out, '--json'], cliEnv(tempHome()));
    const bundleResult = JSON.parse(fromBundle.stdout) as { diagnosis: { root_cause: RootCause } };
    const { change_id, category, service } = bundleResult.diagnosis.root_cause;
    expect(liveResult.diagnosis.root_cause).toMatchObject({ change_id, category, service });
  });

  it('the tools read the live sources; the log command gets its credential, which no result shows', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'incident-empty-bundle-'));
    const described = await runCli(['tools', 'run', 'describe_bundle', '--environment', environment, '--bundle', empty, '--json'], callerEnv());
    expect(described.code, described.stderr).toBe(0);
    const overview = JSON.parse(described.stdout) as { counts: Record<string, number>; services: string[]; problems: string[]; page: { service: string } };
    expect(overview.problems).toEqual([]);
    expect(overview.page.service).toBe('checkout');
    expect(overview.services).toEqual(['checkout', 'payments']);
    expect(overview.counts['changes']).toBe(4);
    expect(overview.counts['logs']).toBe(1);
    expect(overview.counts['series']).toBeGreaterThan(8);

    const searched = await runCli(['tools', 'run', 'search_logs', '--environment', environment, '--bundle', empty, '--arg', 'pattern=retrying the log shipper', '--json'], callerEnv());
    expect(searched.code, searched.stderr).toBe(0);
    expect(searched.stdout).toContain('retrying the log shipper with token');
    expect(searched.stdout).not.toContain(TOKEN);

    const diff = await runCli(['tools', 'run', 'get_diff', '--environment', environment, '--bundle', empty, '--arg', `change_id=${culprit}`, '--json'], callerEnv());
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('MaxOpenConns = 8');
  });
});
