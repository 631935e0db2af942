import { describe, expect, it } from 'vitest';
import { parseAlertmanagerJson, parseIncidentYaml } from '../../src/bundle/alert.js';
import { iso, problemLog } from './helpers.js';

describe('incident.yaml', () => {
  it('reads title, service, severity, started_at (unquoted), summary, labels and links', () => {
    const problems = problemLog();
    const alert = parseIncidentYaml(
      [
        'title: Checkout p99 latency above 2s',
        'service: checkout',
        'severity: SEV2',
        'started_at: 2026-11-20T14:05:00Z',
        'summary: p99 went from 300ms to 2.4s',
        'labels: {team: payments, region: eu-west-1, replicas: 3}',
        'links:',
        '  - https://grafana.example/d/checkout',
        '  - {title: runbook, url: https://wiki.example/checkout}',
      ].join('\n'),
      'incident.yaml',
      problems,
    );
    expect(alert).toEqual({
      source: 'incident.yaml',
      title: 'Checkout p99 latency above 2s',
      service: 'checkout',
      severity: 'SEV2',
      startedAt: Date.UTC(2026, 10, 20, 14, 5),
      summary: 'p99 went from 300ms to 2.4s',
      description: null,
      labels: { team: 'payments', region: 'eu-west-1', replicas: '3' },
      links: ['https://grafana.example/d/checkout', 'https://wiki.example/checkout'],
      others: [],
    });
    expect(problems.list()).toEqual([]);
  });

  it('accepts epoch started_at and a numeric severity; reports broken YAML with its line', () => {
    expect(parseIncidentYaml('title: x\nstarted_at: 1795183331\nseverity: 1', 'incident.yaml', problemLog())).toMatchObject({
      startedAt: 1795183331000,
      severity: '1',
      service: null,
    });
    const problems = problemLog();
    expect(parseIncidentYaml('title: x\n  bad: [unclosed', 'incident.yaml', problems)).toBeNull();
    expect(problems.list()[0]).toMatchObject({ path: 'incident.yaml', message: expect.stringMatching(/YAML/) });
    expect(parseIncidentYaml('', 'incident.yaml', problemLog())).toBeNull();
  });
});

describe('alert.json (Alertmanager webhook)', () => {
  const payload = {
    version: '4',
    status: 'firing',
    commonLabels: { env: 'prod' },
    alerts: [
      { status: 'resolved', labels: { alertname: 'DiskFull', app: 'db' }, annotations: {}, startsAt: '2026-11-20T13:00:00Z' },
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', job: 'checkout', severity: 'critical' },
        annotations: { summary: 'p99 above 2s', runbook_url: 'https://wiki.example/latency' },
        startsAt: '2026-11-20T14:05:00.000Z',
        generatorURL: 'https://prom.example/graph?g0.expr=x',
      },
      { status: 'firing', labels: { alertname: 'ErrorRate', service: 'cart' }, annotations: {}, startsAt: '0001-01-01T00:00:00Z' },
    ],
  };

  it('takes the first firing alert as the page and the others as context', () => {
    const alert = parseAlertmanagerJson(JSON.stringify(payload), 'alert.json', problemLog());
    expect(alert).toMatchObject({
      source: 'alert.json',
      title: 'HighLatency',
      service: 'checkout',
      severity: 'critical',
      summary: 'p99 above 2s',
      labels: { alertname: 'HighLatency', job: 'checkout', severity: 'critical', env: 'prod' },
      links: ['https://prom.example/graph?g0.expr=x', 'https://wiki.example/latency'],
    });
    expect(iso(alert?.startedAt ?? null)).toBe('2026-11-20T14:05:00.000Z');
    expect(alert?.others).toEqual([
      { title: 'DiskFull', service: 'db', startedAt: Date.UTC(2026, 10, 20, 13), status: 'resolved' },
      { title: 'ErrorRate', service: 'cart', startedAt: null, status: 'firing' },
    ]);
  });

  it('service comes from service, else job, else app', () => {
    const one = (labels: Record<string, string>) =>
      parseAlertmanagerJson(JSON.stringify({ alerts: [{ status: 'firing', labels }] }), 'alert.json', problemLog())?.service;
    expect(one({ service: 's', job: 'j', app: 'a' })).toBe('s');
    expect(one({ job: 'j', app: 'a' })).toBe('j');
    expect(one({ app: 'a' })).toBe('a');
    expect(one({})).toBeNull();
  });

  it('reads the /api/v2/alerts list shape and reports what it cannot read', () => {
    const list = [{ status: { state: 'suppressed' }, labels: { alertname: 'A' } }, { status: { state: 'active' }, labels: { alertname: 'B' } }];
    expect(parseAlertmanagerJson(JSON.stringify(list), 'alert.json', problemLog())?.title).toBe('B');
    const problems = problemLog();
    expect(parseAlertmanagerJson('{"version":"4"}', 'alert.json', problems)).toBeNull();
    expect(parseAlertmanagerJson('{nope', 'alert.json', problems)).toBeNull();
    expect(problems.list()).toHaveLength(2);
  });
});
