// The alert intake of `incident serve --alertmanager`, spoken to as Alertmanager speaks:
// webhook payloads POSTed with the runtime key. One session per alert group, found again
// after a restart; a resolved notification recorded on it; what no route takes, ignored;
// no key, no entry. (The live test drives the same path from a real Alertmanager.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome } from '../e2e/cli.js';
import { waitFor } from './helpers/live.js';
import { gitRepo } from './helpers/repo.js';
import { startServe, type ServeProcess } from './helpers/serve.js';

const KEY = 'intake-test-runtime-key-0123456789abcdef';
const MIN = 60_000;
const GROUP = '{}/{severity="page"}:{alertname="PaymentsDown", service="payments"}';

let serve: ServeProcess;
let home: string;
let environment: string;
const startsAt = new Date(Date.now() - 5 * MIN).toISOString();

function payload(status: 'firing' | 'resolved', alertname = 'PaymentsDown', groupKey = GROUP): Record<string, unknown> {
  const labels = { alertname, service: 'payments', severity: 'page' };
  return {
    version: '4',
    groupKey,
    status,
    receiver: 'incident',
    groupLabels: { alertname, service: 'payments' },
    commonLabels: labels,
    commonAnnotations: { summary: 'payments is failing' },
    externalURL: 'http://alertmanager.example:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: 'payments is failing' },
        startsAt,
        endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph',
        fingerprint: 'c0ffee0123456789',
      },
    ],
  };
}

async function post(body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${serve.url}/v1/alertmanager`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(path: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${serve.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as Record<string, unknown>;
}

interface SessionRecord {
  id: string;
  metadata: Record<string, string>;
}

async function sessions(): Promise<SessionRecord[]> {
  return ((await get('/v1/sessions?limit=50'))['data'] as SessionRecord[] | undefined) ?? [];
}

function serveIt(): Promise<ServeProcess> {
  return startServe(['--alertmanager', '--environment', environment, '--port', '0'], cliEnv(home, { INCIDENT_RUNTIME_KEY: KEY }));
}

beforeAll(async () => {
  home = tempHome();
  const repo = gitRepo('payments', [
    { at: Date.now() - 90 * MIN, message: 'Payments service', files: { 'src/pool.go': 'const MaxOpenConns = 40\n' } },
    { at: Date.now() - 20 * MIN, message: 'Shrink the pool', files: { 'src/pool.go': 'const MaxOpenConns = 8\n' } },
  ]);
  const line = new Date(Date.now() - 4 * MIN).toISOString();
  environment = join(mkdtempSync(join(tmpdir(), 'incident-env-')), 'ops.yaml');
  writeFileSync(
    environment,
    [
      'name: ops',
      'intake:',
      '  routes:',
      '    - name: payments-page',
      `      matchers: ['alertname="PaymentsDown"', 'severity=~"page|critical"']`,
      `      git: [${repo}]`,
      `      logs: ['payments=sh -c "echo ${line} ERROR pool exhausted"']`,
      '      window: { before: 1h }',
      '',
    ].join('\n'),
  );
  serve = await serveIt();
});

afterAll(async () => {
  await serve?.stop();
});

describe('incident serve --alertmanager', () => {
  it('refuses a notification without the runtime key, and one that is not a webhook payload', async () => {
    expect((await post(payload('firing'), { 'content-type': 'application/json' })).status).toBe(401);
    const wrong = await post({ ...payload('firing'), version: '3' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('version must be \\"4\\"');
    expect(await sessions()).toEqual([]);
  });

  it('opens one session for a firing alert group and records the group on it', async () => {
    const first = await post(payload('firing'));
    expect(first).toEqual({ status: 202, body: { status: 'opening', group_key: GROUP, route: 'payments-page' } });
    await serve.printed('alert PaymentsDown: opened session');
    const [session, ...others] = await sessions();
    expect(others).toEqual([]);
    expect(session?.metadata).toMatchObject({
      'incident.alert': 'PaymentsDown',
      'incident.alert_group': GROUP,
      'incident.alert_status': 'firing',
      'incident.alert_started_at': startsAt,
      'incident.intake_route': 'payments-page',
      'incident.service': 'payments',
    });
    // Its bundle came from the route's sources: the repository's change, the log command's line.
    const events = (await get(`/v1/sessions/${session?.id ?? ''}`))['resources'] as Array<{ mount_path: string }>;
    const mounted = events.map((resource) => resource.mount_path.replace('/mnt/session/uploads/', '')).sort();
    expect(mounted).toEqual(expect.arrayContaining(['alert.json', 'changes.yaml', 'logs/payments.log']));
    expect(mounted.some((path) => path.startsWith('diffs/payments-'))).toBe(true);

    const again = await post(payload('firing'));
    expect(again).toEqual({ status: 200, body: { session_id: session?.id, opened: false } });
    expect(await sessions()).toHaveLength(1);
  });

  it('ignores an alert no route takes', async () => {
    const other = await post(payload('firing', 'DiskAlmostFull', '{}:{alertname="DiskAlmostFull"}'));
    expect(other).toEqual({ status: 200, body: { ignored: true, reason: 'no intake route matches its labels' } });
    expect(await sessions()).toHaveLength(1);
  });

  it('finds the group’s session again after a restart, and records the resolution on it as an event', async () => {
    const [session] = await sessions();
    await serve.stop();
    serve = await serveIt();
    const again = await post(payload('firing'));
    expect(again).toEqual({ status: 200, body: { session_id: session?.id, opened: false } });

    const resolved = await post(payload('resolved'));
    expect(resolved).toEqual({ status: 200, body: { session_id: session?.id, resolved: true } });
    const [after, ...others] = await sessions();
    expect(others).toEqual([]);
    expect(after?.metadata['incident.alert_status']).toBe('resolved');
    const events = await waitFor('the resolution in the log', async () => {
      const list = ((await get(`/v1/sessions/${session?.id ?? ''}/events?limit=1000`))['data'] as Array<{ type: string; metadata?: Record<string, string> }>) ?? [];
      const updates = list.filter((event) => event.type === 'session.updated' && event.metadata?.['incident.alert_status'] === 'resolved');
      return updates.length > 0 ? updates : null;
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.metadata?.['incident.alert_resolved_at']).toMatch(/^\d{4}-\d\d-\d\dT/);

    const listed = await runCli(['sessions', 'list', '--runtime', serve.url, '--json'], cliEnv(home, { INCIDENT_RUNTIME_KEY: KEY }));
    const [row] = JSON.parse(listed.stdout) as Array<{ id: string; alert: Record<string, unknown> | null }>;
    expect(row).toMatchObject({ id: session?.id, alert: { name: 'PaymentsDown', group: GROUP, status: 'resolved', started_at: startsAt } });
  });

  it('refuses to start without an environment that has an intake section', async () => {
    const bare = join(mkdtempSync(join(tmpdir(), 'incident-env-')), 'bare.yaml');
    writeFileSync(bare, 'name: bare\n');
    const result = await runCli(['serve', '--alertmanager', '--environment', bare, '--port', '0'], cliEnv(tempHome(), { INCIDENT_RUNTIME_KEY: KEY }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('incident: --alertmanager needs an environment with an intake section');
  });
});
