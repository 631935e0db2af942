// From the page to a session, against real components on 127.0.0.1: an exporter whose
// checkout service degrades when its DB pool is cut, Prometheus scraping it and firing an
// alerting rule, Alertmanager delivering the webhook to `incident serve --alertmanager`,
// and a git repository with the commit that cut the pool among innocent ones. The session
// the alert opens, and the bundle `incident collect` makes from the same components, are
// both diagnosed by the offline brain as that commit.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome } from '../e2e/cli.js';
import { TestExporter } from './helpers/exporter.js';
import { freePort, liveComponents, startAlertmanager, startPrometheus, waitFor, type Running } from './helpers/live.js';
import { commitChangeId, gitRepo, POOL_40, POOL_8 } from './helpers/repo.js';
import { startServe, type ServeProcess } from './helpers/serve.js';

const MIN = 60_000;
const KEY = 'live-intake-runtime-key-0123456789abcdef';
const live = liveComponents({ alertmanager: true });
if (!live.ok) process.stderr.write(`skipping the live intake tests: ${live.why}\n`);

const RULES = `groups:
  - name: checkout
    rules:
      - alert: CheckoutLatencyHigh
        expr: histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="checkout"}[2s]))) > 0.5
        labels: { severity: page, service: checkout }
        annotations: { summary: checkout p99 latency above 500ms }
`;


let exporter: TestExporter;
let prometheus: Running;
let alertmanager: Running;
let serve: ServeProcess;
let repo: string;
let culprit: string;
let home: string;
let now: number;


async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${serve.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return (await response.json()) as Record<string, unknown>;
}

interface SessionRecord {
  id: string;
  status: string;
  metadata: Record<string, string>;
}

async function alertSessions(): Promise<SessionRecord[]> {
  const page = await api('/v1/sessions?limit=50');
  return ((page['data'] as SessionRecord[] | undefined) ?? []).filter((session) => session.metadata['incident.alert'] === 'CheckoutLatencyHigh');
}

describe.skipIf(!live.ok)('an alert from Alertmanager, through incident serve, to a diagnosis', () => {
  beforeAll(async () => {
    now = Date.now();
    // 45 minutes of history replayed in seconds; checkout's pool is cut 15 minutes ago.
    exporter = new TestExporter({ historyMs: 45 * MIN, replayStepMs: MIN, degradeAt: now - 15 * MIN });
    await exporter.start();
    repo = gitRepo('checkout', [
      { at: now - 120 * MIN, message: 'Checkout service', files: { 'src/db/pool.go': POOL_40, 'README.md': '# checkout\n', 'config/logging.yaml': 'level: info\n' } },
      { at: now - 38 * MIN, message: 'Fix a typo in the README', files: { 'README.md': '# checkout service\n' } },
      { at: now - 27 * MIN, message: 'Log at debug while investigating slow carts', files: { 'config/logging.yaml': 'level: debug\n' } },
      { at: now - 17 * MIN, message: 'Right-size the DB pool now that pgbouncer fronts the database', files: { 'src/db/pool.go': POOL_8 } },
      { at: now - 9 * MIN, message: 'Link the dashboard from the README', files: { 'README.md': '# checkout service\n\nDashboard: https://grafana.example/d/checkout\n' } },
    ]);
    culprit = commitChangeId(repo, 'Right-size the DB pool now that pgbouncer fronts the database');

    const servePort = await freePort();
    alertmanager = await startAlertmanager(() =>
      [
        'route:',
        '  receiver: incident',
        '  group_by: [alertname, service]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 2s',
        'receivers:',
        '  - name: incident',
        '    webhook_configs:',
        `      - url: http://127.0.0.1:${servePort}/v1/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        `            credentials: ${KEY}`,
        '',
      ].join('\n'),
    );
    prometheus = await startPrometheus({
      scrapeInterval: '100ms',
      rules: RULES,
      alertmanager: `127.0.0.1:${alertmanager.port}`,
      jobs: [
        { name: 'checkout', target: `127.0.0.1:${exporter.port}`, path: '/checkout/metrics' },
        { name: 'payments', target: `127.0.0.1:${exporter.port}`, path: '/payments/metrics' },
      ],
    });

    home = tempHome();
    const environment = join(mkdtempSync(join(tmpdir(), 'incident-env-')), 'ops.yaml');
    writeFileSync(
      environment,
      [
        'name: ops',
        'intake:',
        '  routes:',
        '    - name: checkout-latency',
        `      matchers: ['alertname="CheckoutLatencyHigh"', 'severity=~"page|critical"']`,
        `      prometheus: ${prometheus.url}`,
        `      alertmanager: ${alertmanager.url}`,
        `      git: [${repo}]`,
        '      window: { before: 50m, after: 15m }',
        '      timeout: 10s',
        '      limits: { points: 60 }',
        '',
      ].join('\n'),
    );
    serve = await startServe(['--alertmanager', '--environment', environment, '--port', String(servePort)], cliEnv(home, { INCIDENT_RUNTIME_KEY: KEY }));
  });

  afterAll(async () => {
    await serve?.stop();
    await prometheus?.stop();
    await alertmanager?.stop();
    await exporter?.stop();
  });

  it('opens one session for the alert group, and the offline brain names the commit that cut the pool', async () => {
    const [session] = await waitFor('the session the alert opens', async () => {
      const found = await alertSessions();
      return found.length > 0 ? found : null;
    }, 600);
    expect(session?.metadata['incident.alert_status']).toBe('firing');
    expect(session?.metadata['incident.alert_group']).toContain('CheckoutLatencyHigh');

    // Alertmanager repeats the group every 2 s: the repeats find the session open.
    await serve.printed(`notified again; its session ${session?.id ?? ''} is open`);

    // `incident resume` joins the session (off a terminal: its history, then until it rests).
    const resumed = await runCli(['resume', session?.id ?? '', '--runtime', serve.url, '--json'], cliEnv(home, { INCIDENT_RUNTIME_KEY: KEY }));
    const result = JSON.parse(resumed.stdout) as { diagnosis: { root_cause: { change_id: string | null; category: string; service: string } } };
    expect(result.diagnosis.root_cause).toMatchObject({ change_id: culprit, category: 'deploy', service: 'checkout' });
    expect(await alertSessions()).toHaveLength(1);

    const listed = await runCli(['sessions', 'list', '--runtime', serve.url], cliEnv(home, { INCIDENT_RUNTIME_KEY: KEY }));
    expect(listed.stdout).toContain(`${session?.id ?? ''}  `);
    expect(listed.stdout).toContain('(alert CheckoutLatencyHigh, firing)');
  });

  it('incident collect against the same components makes a bundle the checks accept, diagnosed the same way', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'incident-collect-')), 'bundle');
    const env = cliEnv(tempHome());
    const collected = await runCli(
      ['collect', '--alertmanager', alertmanager.url, '--alert', 'CheckoutLatencyHigh', '--since', 'alert-50m', '--prometheus', prometheus.url, '--git', repo, '--max-points', '60', '--out', out],
      env,
    );
    expect(collected.code, collected.stderr).toBe(0);
    expect(collected.stdout.trim()).toBe(out);
    expect(collected.stderr).toContain('collect: prometheus: ');
    expect(collected.stderr).not.toContain('problem');

    const described = await runCli(['tools', 'run', 'describe_bundle', '--bundle', out, '--json'], env);
    const overview = JSON.parse(described.stdout) as { counts: Record<string, number>; page: { source: string; service: string }; services: string[]; problems: string[] };
    expect(overview.problems).toEqual([]);
    expect(overview.page).toMatchObject({ source: 'alert.json', service: 'checkout' });
    expect(overview.services).toEqual(['checkout', 'payments']);
    expect(overview.counts['changes']).toBe(4);
    expect(overview.counts['series']).toBeGreaterThan(8);

    const diagnosed = await runCli(['diagnose', out, '--json'], env);
    const result = JSON.parse(diagnosed.stdout) as { diagnosis: { root_cause: { change_id: string | null } } };
    expect(result.diagnosis.root_cause.change_id).toBe(culprit);
  });

  it('a resolved notification is recorded on the session as an event', async () => {
    exporter.recover();
    await serve.printed(/resolved at \S+; recorded on session/);
    const [session] = await alertSessions();
    expect(session?.metadata['incident.alert_status']).toBe('resolved');
    const events = (await api(`/v1/sessions/${session?.id ?? ''}/events?limit=1000`))['data'] as Array<{ type: string; metadata?: Record<string, string> }>;
    const updates = events.filter((event) => event.type === 'session.updated' && event.metadata?.['incident.alert_status'] === 'resolved');
    expect(updates).toHaveLength(1);
    const listed = await runCli(['sessions', 'list', '--runtime', serve.url], cliEnv(home, { INCIDENT_RUNTIME_KEY: KEY }));
    expect(listed.stdout).toMatch(/\(alert CheckoutLatencyHigh, resolved \d{4}-/);
  });

  it('the prometheus-mcp server of the example environment answers PromQL from this Prometheus beside the SRE tools', async () => {
    const require = createRequire(import.meta.url);
    const server = require.resolve('prometheus-mcp/dist/index.mjs');
    // The shipped example, pointed at this Prometheus, with the installed package run by node instead of npx.
    const example = readFileSync(resolve('environments/prometheus-mcp.yaml'), 'utf8')
      .replace('command: npx', `command: ${process.execPath}`)
      .replace('args: [--yes, prometheus-mcp@1.1.3, stdio]', `args: [${server}, stdio]`)
      .replace('PROMETHEUS_URL: http://127.0.0.1:9090', `PROMETHEUS_URL: ${prometheus.url}`);
    expect(example).toContain(server);
    const file = join(mkdtempSync(join(tmpdir(), 'incident-env-')), 'prometheus-mcp.yaml');
    writeFileSync(file, example);
    const bundle = mkdtempSync(join(tmpdir(), 'incident-empty-bundle-'));
    const query = 'db_pool_max_open_connections';
    const ran = await runCli(['tools', 'run', 'prometheus__prometheus_query', '--environment', file, '--bundle', bundle, '--arg', `query=${query}`, '--json'], cliEnv(tempHome()));
    expect(ran.code, ran.stderr).toBe(0);
    // What the tool answers is what Prometheus itself says.
    const direct = (await (await fetch(`${prometheus.url}/api/v1/query?query=${query}`)).json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    const answered = JSON.parse(ran.stdout) as { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    expect(answered.result.map((series) => [series.metric, series.value[1]])).toEqual(direct.data.result.map((series) => [series.metric, series.value[1]]));
    expect(answered.result[0]?.metric['job']).toBe('checkout');
  });
});
