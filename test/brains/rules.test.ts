// The evidence rules of the triage brain, each pinned on a bundle no fixture resembles,
// with an adversarial twin where the rule must not fire: counters read as rates, the names
// a diff touches found in new errors, new work from nothing at a flag, logs that date an
// incident with no metrics, load that a callee's change cannot explain, a rollback that is
// itself the culprit, and a culprit the bundle shows already rolled back.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type Run, statedOnset, triage, verdict } from './helpers.js';
import { every, patch, writeBundle, type BundleSpec } from './synthetic.js';
import { tempDir } from './transform.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const START = '2033-07-02T11:00:00Z';
const T0 = Date.parse(START);
const minute = (m: number): number => T0 + m * 60_000;

async function run(spec: Omit<BundleSpec, 'start' | 'minutes'> & { minutes?: number }): Promise<Run> {
  const dir = tempDir('rules');
  made.push(dir);
  return triage(writeBundle(dir, { start: START, minutes: 150, ...spec }));
}

/** The hypotheses the brain recorded, by status. */
function noted(r: Run, status: string): Array<Record<string, unknown>> {
  return r.toolCalls.filter((call) => call.name === 'note_hypothesis' && call.input['status'] === status).map((call) => call.input);
}

function messages(r: Run): string {
  return r.events
    .filter((e) => e.type === 'agent.message')
    .map((e) => (e.content[0] as { text: string }).text)
    .join('\n');
}

const info = (service: string): Array<{ at: number; level: string; message: string }> => every(0, 150, 2, 'info', `${service} request served ok`);

describe('counters are read as rates summed over instances', () => {
  it('dates the onset from when the error rate rose, not from a counter that merely climbs', async () => {
    const r = await run({
      alert: { title: 'LedgerErrors', service: 'ledger', at: 106 },
      stepSeconds: 30,
      series: [
        { metric: 'ledger_requests_total', service: 'ledger', labels: { instance: 'ledger-a' }, level: 40, counter: true },
        { metric: 'ledger_requests_total', service: 'ledger', labels: { instance: 'ledger-b' }, level: 40, counter: true },
        { metric: 'ledger_errors_total', service: 'ledger', labels: { instance: 'ledger-a' }, level: 0.05, counter: true, shifts: [{ at: 100, to: 4 }] },
        { metric: 'ledger_errors_total', service: 'ledger', labels: { instance: 'ledger-b' }, level: 0.05, counter: true, shifts: [{ at: 100, to: 4 }] },
      ],
      changes: [{ id: 'cfg-old', service: 'ledger', type: 'config', at: 30, summary: 'Rotate log files hourly' }],
    });
    const onset = statedOnset(r);
    expect(onset).not.toBeNull();
    expect(Math.abs((onset ?? 0) - minute(100))).toBeLessThanOrEqual(90_000);
    expect(messages(r)).toMatch(/sum\(rate\(ledger_errors_total/);
    expect(verdict(r).change_id).toBeNull();
  });

  it('follows errors of a release whose new pods restart their counters from zero', async () => {
    const r = await run({
      alert: { title: 'ShopErrors', service: 'shopfront', at: 108 },
      stepSeconds: 30,
      series: [
        { metric: 'shopfront_request_duration_p99_seconds', service: 'shopfront', level: 0.3, shifts: [{ at: 101, to: 1.4 }] },
        { metric: 'quoter_errors_total', service: 'quoter', labels: { instance: 'quoter-old-1', version: 'v1' }, level: 0.02, counter: true, until: 99 },
        { metric: 'quoter_errors_total', service: 'quoter', labels: { instance: 'quoter-new-1', version: 'v2' }, level: 3, counter: true, from: 99.5 },
        { metric: 'quoter_requests_total', service: 'quoter', labels: { instance: 'quoter-old-1', version: 'v1' }, level: 30, counter: true, until: 99 },
        { metric: 'quoter_requests_total', service: 'quoter', labels: { instance: 'quoter-new-1', version: 'v2' }, level: 30, counter: true, from: 99.5 },
      ],
      changes: [
        {
          id: 'rel-77',
          service: 'quoter',
          type: 'deploy',
          at: 99,
          summary: 'Duty rates per destination',
          diff: patch('quoter/Duty.java', ['    DutyRate rate = dutyTable.getOrDefault(zone, DutyRate.ZERO);'], ['    DutyRate rate = dutyTable.get(dest.country());']),
        },
      ],
      logs: {
        quoter: [...info('quoter'), ...every(100, 150, 0.5, 'error', 'quote failed for basket\njava.lang.NullPointerException: Cannot invoke "DutyRate.percent()" because "rate" is null')],
        shopfront: [...info('shopfront'), ...every(101, 150, 0.5, 'error', 'upstream quoter returned 500')],
      },
    });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'quoter', change_id: 'rel-77' });
  });
});

describe('the names a diff touches, found in the new errors', () => {
  const spec = (errors: string): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'VaultLoginErrors', service: 'vault', at: 108 },
    series: [
      { metric: 'vault_login_errors_ratio', service: 'vault', level: 0.004, shifts: [{ at: 100, to: 0.08 }] },
      { metric: 'vault_request_duration_p99_seconds', service: 'vault', level: 0.2 },
    ],
    changes: [
      { id: 'rel-40', service: 'vault', type: 'deploy', at: 20, summary: 'Archive dormant profiles' },
      {
        id: 'rel-41',
        service: 'vault',
        type: 'deploy',
        at: 98,
        summary: 'Profile loader cleanup',
        diff: patch('vault/model/ProfileState.java', ['    STATE_ARCHIVED,', '    STATE_ACTIVE'], ['    STATE_ACTIVE']),
      },
    ],
    logs: { vault: [...info('vault'), ...every(100, 150, 0.5, 'error', errors)] },
  });

  it('blames the release when its removed constant is named in the stack traces that began after it', async () => {
    const r = await run(spec('login failed: could not load profile\nCaused by: java.lang.IllegalArgumentException: No enum constant vault.model.ProfileState.STATE_ARCHIVED'));
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'vault', change_id: 'rel-41' });
    expect(r.diagnosis?.summary).toMatch(/STATE_ARCHIVED/);
  });

  it('does not blame it on timing alone when the errors name nothing it touched', async () => {
    const r = await run(spec('login failed: upstream directory timed out'));
    expect(verdict(r)).toMatchObject({ category: 'unknown', change_id: null });
  });

  it('does not count a reworded log statement, even when the errors it prints began after it', async () => {
    const r = await run({
      alert: { title: 'PaymentsFailing', service: 'tollbooth', at: 108 },
      series: [
        { metric: 'tollbooth_upstream_errors_ratio', service: 'tollbooth', labels: { upstream: 'acmepay' }, level: 0.003, shifts: [{ at: 100, to: 0.2 }] },
        { metric: 'tollbooth_upstream_errors_ratio', service: 'tollbooth', labels: { upstream: 'riskcheck' }, level: 0.003 },
        { metric: 'tollbooth_charge_failures_ratio', service: 'tollbooth', level: 0.003, shifts: [{ at: 100, to: 0.2 }] },
      ],
      changes: [
        {
          id: 'rel-9',
          service: 'tollbooth',
          type: 'deploy',
          at: 98,
          summary: 'Structured logging for charges',
          diff: patch('charge/handler.go', ['\tlog.Printf("charge failed: %v", err)'], ['\th.log.Error("charge failed", "upstream", h.psp.Name(), "charge_attempt_id", id, "err", err)']),
        },
      ],
      logs: { tollbooth: [...info('tollbooth'), ...every(100, 150, 0.5, 'error', 'charge failed upstream=acmepay charge_attempt_id=42 err="acmepay: 503 service unavailable"')] },
    });
    expect(verdict(r).change_id).toBeNull();
  });
});

describe("a service's own new errors put it on the causal path", () => {
  const spec = (apiErrors: string): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'WebErrors', service: 'web', at: 108 },
    series: [
      { metric: 'web_request_duration_p99_seconds', service: 'web', level: 0.3, shifts: [{ at: 100.5, to: 2.2 }] },
      { metric: 'stockdb_up', service: 'stockdb', level: 1, noise: 0 },
    ],
    changes: [{ id: 'rel-api', service: 'shelfapi', type: 'deploy', at: 99, summary: 'Shelf API: sort options', diff: patch('shelfapi/sort.go', ['\tsort := byName'], ['\tsort := byNameThenPrice']) }],
    logs: {
      shelfapi: [...info('shelfapi'), ...every(100, 150, 0.5, 'error', apiErrors)],
      web: [...info('web'), ...every(100.5, 150, 0.5, 'error', 'shelfapi call failed with 500')],
    },
  });

  it('when the errors are its own, right after its change', async () => {
    const r = await run(spec('sort failed: comparator violates its general contract'));
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'shelfapi', change_id: 'rel-api' });
  });

  it('but not when its new errors report another service failing', async () => {
    const r = await run(spec('query to stockdb failed: connection refused'));
    expect(verdict(r).change_id).toBeNull();
  });
});

describe('new work from nothing at the moment a flag flipped', () => {
  const spec = (workStarts: number): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'FinderSlow', service: 'finder', at: 106 },
    series: [
      { metric: 'finder_latency_p95_ms', service: 'finder', level: 120, shifts: [{ at: 100.5, to: 900 }] },
      { metric: 'finder_cpu_usage_ratio', service: 'finder', level: 0.4, shifts: [{ at: 100.5, to: 0.95 }] },
      { metric: 'finder_embedding_calls_per_second', service: 'finder', level: 0.0001, noise: 0, shifts: [{ at: workStarts, to: 300 }] },
      { metric: 'shelf_cache_hit_ratio', service: 'shelf', level: 0.8, shifts: [{ at: 97, to: 0.86 }] },
    ],
    changes: [
      { id: 'ttl-5', service: 'shelf', type: 'config', at: 97, summary: 'shelf cache TTL 60s -> 180s', diff: patch('shelf/values.yaml', ['  ttl_seconds: 60'], ['  ttl_seconds: 180']) },
      { id: 'flag-embed', service: 'finder', type: 'feature_flag', at: 100, summary: 'Ramp embedding rerank to 50%', attributes: { flag: 'finder.embed_rerank' } },
    ],
  });

  it('blames the flag whose new calls rose from nothing as it flipped', async () => {
    const r = await run(spec(100));
    expect(verdict(r)).toMatchObject({ category: 'feature_flag', service: 'finder', change_id: 'flag-embed' });
  });

  it('does not, when that work had begun long before the flag', async () => {
    const r = await run(spec(70));
    expect(verdict(r).change_id).toBeNull();
  });
});

describe("a new build's own pods", () => {
  it('are the release moving over, not new work it started', async () => {
    const r = await run({
      alert: { title: 'atlas 5xx', service: 'atlas', at: 110 },
      series: [
        { metric: 'kube_deployment_pods_by_version', service: 'atlas', labels: { version: 'v3.44.0' }, level: 0, shifts: [{ at: 60, to: 12 }] },
        { metric: 'kube_deployment_pods_by_version', service: 'atlas', labels: { version: 'v3.43.2' }, level: 12, shifts: [{ at: 60, to: 0 }] },
        { metric: 'atlas_requests_per_second', service: 'atlas', level: 250 },
        { metric: 'atlas_http_503_ratio', service: 'atlas', level: 0.001, shifts: [{ at: 100, to: 0.12 }] },
      ],
      changes: [{ id: 'rel-344', service: 'atlas', type: 'deploy', at: 60, summary: 'atlas v3.44.0: request id in error bodies', diff: patch('atlas/errors.go', ['\treturn body{msg}'], ['\treturn body{msg, reqID}']) }],
    });
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toContain('rose from nothing');
    expect(verdict(r).change_id).toBeNull();
  });
});

describe('work made heavier long before it ran out of room', () => {
  // A flag at 58 switches the worker to a bigger elevation model: bytes per job rise sixfold at
  // 61. The worker keeps up until the pass at 90, when every pod takes two jobs, runs out of
  // memory and the queue backs up. The heavier work is the mechanism; the queue dates the incident.
  it('dates the incident from the queue, not from the bytes per job', async () => {
    const r = await run({
      alert: { title: 'ortho queue backing up', service: 'dispatcher', at: 100 },
      series: [
        { metric: 'ortho_dem_bytes_per_job', service: 'ortho-worker', level: 50_000_000, noise: 0.05, shifts: [{ at: 61, to: 300_000_000 }] },
        { metric: 'container_oom_events_total', service: 'ortho-worker', level: 0.0001, counter: true, shifts: [{ at: 90, to: 0.07 }] },
        { metric: 'queue_messages_ready', service: 'dispatcher', labels: { queue: 'ortho', consumer: 'ortho-worker' }, level: 1, noise: 0.1, shifts: [{ at: 91, to: 240 }] },
      ],
      changes: [{ id: 'flag-dem-glo30', service: 'ortho-worker', type: 'feature_flag', at: 58, summary: 'ortho: GLO-30 elevation model', attributes: { flag: 'ortho.dem_glo30' } }],
      logs: { 'ortho-worker': [...info('ortho-worker'), ...every(90, 150, 1, 'warn', 'container ortho-worker terminated: reason=OOMKilled exitCode=137 (limit 4Gi)')] },
    });
    const onset = statedOnset(r);
    expect(onset).not.toBeNull();
    expect(Math.abs((onset as number) - minute(90))).toBeLessThanOrEqual(3 * 60_000);
  });
});

describe('a load surge against a harmless change on the service that saturated', () => {
  const surge = (change: BundleSpec['changes'][number], paged = 'atlas'): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'Unavailable', service: paged, at: 105 },
    series: [
      { metric: 'portal_request_duration_p99_seconds', service: 'portal', labels: { upstream: 'atlas' }, level: 0.3, shifts: [{ at: 101, to: 2.4 }] },
      { metric: 'portal_requests_per_second', service: 'portal', level: 300, shifts: [{ at: 100, to: 1000 }] },
      { metric: 'atlas_requests_per_second', service: 'atlas', level: 250, shifts: [{ at: 100, to: 850 }] },
      { metric: 'atlas_cpu_utilization_ratio', service: 'atlas', level: 0.5, shifts: [{ at: 100.5, to: 0.97 }] },
      { metric: 'atlas_http_503_ratio', service: 'atlas', level: 0.001, shifts: [{ at: 101, to: 0.12 }] },
      { metric: 'atlas_thumb_cache_hit_ratio', service: 'atlas', level: 0.7, shifts: [{ at: 99, to: 0.8 }] },
    ],
    changes: [change],
    logs: { atlas: [...info('atlas'), ...every(101, 150, 0.5, 'warn', 'worker queue full, rejecting request')] },
  });

  it('calls it capacity when the change only relaxed a cache setting', async () => {
    const r = await run(
      surge({ id: 'cfg-thumb', service: 'atlas', type: 'config', at: 98.5, summary: 'Thumb cache TTL 300s -> 900s', diff: patch('atlas/values.yaml', ['  thumb_cache_ttl: 300'], ['  thumb_cache_ttl: 900']) }),
    );
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'atlas', change_id: null });
  });

  it('calls it capacity when the page is on the caller and the harmless change sits on the service that saturated', async () => {
    const r = await run(
      surge(
        { id: 'cfg-thumb', service: 'atlas', type: 'config', at: 98.5, summary: 'Thumb cache TTL 300s -> 900s', diff: patch('atlas/values.yaml', ['  thumb_cache_ttl: 300'], ['  thumb_cache_ttl: 900']) },
        'portal',
      ),
    );
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'atlas', change_id: null });
  });

  it('still blames a change that adds calls of its own', async () => {
    const r = await run(
      surge({
        id: 'rel-portal',
        service: 'portal',
        type: 'deploy',
        at: 99.5,
        summary: 'Resilient atlas client',
        diff: patch('portal/atlas.ts', ['  return http.get(url);'], ['  const retries = 5;', '  return withRetry(() => http.get(url), { retries, backoff: 0 });']),
      }),
    );
    expect(verdict(r).change_id === null || verdict(r).change_id === 'rel-portal').toBe(true);
    expect(verdict(r).category === 'capacity' || verdict(r).change_id === 'rel-portal').toBe(true);
  });
});

describe('logs date an incident that has no metrics', () => {
  const logsOnly = (changeAt: number): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'MailNotDelivered', service: 'courier', at: 112 },
    series: [],
    changes: [
      { id: 'rel-courier', service: 'courier', type: 'deploy', at: 90, summary: 'Courier: new receipt template', diff: patch('courier/templates.py', ['RECEIPT = "v1"'], ['RECEIPT = "v2"']) },
      {
        id: 'cfg-gate',
        service: 'mailgate',
        type: 'config',
        at: changeAt,
        summary: 'Gate TLS hardening',
        diff: patch('mailgate/gate.yaml', ['  mutual_tls_required: false'], ['  mutual_tls_required: true']),
      },
    ],
    logs: {
      courier: [...info('courier'), ...every(100.2, 150, 0.5, 'error', 'send failed: connection reset during handshake with mailgate')],
      mailgate: [...info('mailgate'), ...every(100.1, 150, 0.5, 'warn', 'refused client 10.0.0.7: no client certificate (mutual_tls_required=true)')],
    },
  });

  it('dates the onset from the first new errors and names the change whose setting they quote', async () => {
    const r = await run(logsOnly(99.9));
    const onset = statedOnset(r);
    expect(onset).not.toBeNull();
    expect(Math.abs((onset ?? 0) - minute(100.1))).toBeLessThanOrEqual(60_000);
    expect(noted(r, 'supported').map((n) => n['change_id'])).toEqual(['cfg-gate']);
    expect([null, 'cfg-gate']).toContain(verdict(r).change_id);
  });

  it('never holds a change that came after the first errors against them', async () => {
    const r = await run(logsOnly(104));
    expect(noted(r, 'supported')).toEqual([]);
    expect(verdict(r).change_id).toBeNull();
  });
});

describe('rollbacks', () => {
  it('blames a rollback that is itself the culprit, under the category of what it rolled back', async () => {
    const r = await run({
      alert: { title: 'SignInFailures', service: 'ident', at: 108 },
      series: [{ metric: 'ident_signin_failures_ratio', service: 'ident', level: 0.005, shifts: [{ at: 100, to: 0.09 }] }],
      changes: [
        { id: 'rel-hold', service: 'ident', type: 'deploy', at: 5, summary: 'Hold risky sign-ups for review', diff: patch('ident/Status.kt', ['    OPEN,'], ['    OPEN,', '    REVIEW_HOLD,']) },
        { id: 'rb-hold', service: 'ident', type: 'rollback', at: 98, summary: 'Roll ident back to 3.2.0', diff: patch('ident/Status.kt', ['    REVIEW_HOLD,'], []), attributes: { reverts: 'rel-hold' } },
      ],
      logs: { ident: [...info('ident'), ...every(100, 150, 0.5, 'error', 'sign-in failed\nCaused by: java.lang.IllegalArgumentException: No enum constant ident.Status.REVIEW_HOLD')] },
    });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'ident', change_id: 'rb-hold' });
  });

  it('says a culprit was already rolled back instead of asking for it again', async () => {
    const r = await run({
      alert: { title: 'TillSlow', service: 'till', at: 106 },
      series: [
        { metric: 'till_request_duration_p99_seconds', service: 'till', level: 0.2, shifts: [{ at: 100, to: 2.5 }, { at: 126, to: 0.2 }] },
        { metric: 'till_db_pool_wait_seconds', service: 'till', level: 0.001, shifts: [{ at: 100, to: 1.2 }, { at: 126, to: 0.001 }] },
      ],
      changes: [
        { id: 'cfg-pool', service: 'till', type: 'config', at: 99, summary: 'Trim the DB pool', diff: patch('till/db.yaml', ['  pool_size: 50'], ['  pool_size: 5']) },
        { id: 'rb-pool', service: 'till', type: 'rollback', at: 121, summary: 'Restore the DB pool', attributes: { reverts: 'cfg-pool' } },
      ],
    });
    expect(verdict(r)).toMatchObject({ category: 'config', change_id: 'cfg-pool' });
    expect(r.diagnosis?.remediation[0]).toMatchObject({ action: 'other' });
    expect(r.diagnosis?.remediation[0]?.detail).toMatch(/^Already done: rb-pool undid cfg-pool/);
    expect(r.toolCalls.some((call) => call.name.startsWith('action_'))).toBe(false);
  });

  it('gives the credit to a later mitigation that acted at once, not to a rollback that changed nothing', async () => {
    // The provider fails from 100; the rollback at 112 changes nothing; the setting at 118
    // stops the waiting at once, within the time a rollout would be given to settle.
    const r = await run({
      alert: { title: 'DispatchBacklog', service: 'relay', at: 106 },
      series: [
        { metric: 'relay_pending_commands', service: 'relay', level: 70, shifts: [{ at: 100, to: 2400 }, { at: 118.5, to: 900 }] },
        { metric: 'relay_provider_errors_ratio', service: 'relay', level: 0.002, shifts: [{ at: 100, to: 0.6 }, { at: 118.5, to: 0.002 }] },
      ],
      changes: [
        { id: 'rel-log', service: 'relay', type: 'deploy', at: 95, summary: 'relay 2.2.0: log the provider response status' },
        { id: 'rb-log', service: 'relay', type: 'rollback', at: 112, summary: 'Roll relay back to 2.1.9', attributes: { reverts: 'rel-log' } },
        { id: 'cfg-hold', service: 'relay', type: 'config', at: 118, summary: 'Hold commands until the next heartbeat instead of waking devices' },
      ],
    });
    expect(verdict(r).change_id ?? null).toBeNull();
  });
});

describe('what it says', () => {
  it('names no page time and no epoch when the bundle has no page', async () => {
    const r = await run({
      alert: null,
      series: [{ metric: 'orbit_errors_ratio', service: 'orbit', level: 0.002, shifts: [{ at: 120, to: 0.05 }] }],
      changes: [],
    });
    const text = `${messages(r)}\n${JSON.stringify(r.diagnosis)}`;
    expect(text).not.toMatch(/1970-01-01/);
    expect(text).not.toMatch(/page fired/i);
    expect(text).not.toMatch(/seriess/);
  });

  it('does not call a suspect with evidence beyond its timing "nothing but timing"', async () => {
    const r = await run({
      alert: { title: 'DockErrors', service: 'dock', at: 108 },
      series: [{ metric: 'dock_errors_ratio', service: 'dock', level: 0.002, shifts: [{ at: 100, to: 0.06 }] }],
      changes: [
        { id: 'rel-a', service: 'dock', type: 'deploy', at: 96, summary: 'Pier scheduling', diff: patch('dock/pier.py', ['    slots = pier.slots(cache=True)'], ['    slots = pier.slots()']) },
        { id: 'rel-b', service: 'dock', type: 'deploy', at: 98, summary: 'Crane telemetry', diff: patch('dock/crane.py', ['    emit(a)'], ['    emit(a, b)']) },
      ],
    });
    for (const n of noted(r, 'refuted')) {
      // Findings that support a case (a risky edit, a name in the errors, new work) contradict "only its timing".
      if (/nothing besides its timing|only its timing/.test(String(n['statement']))) expect(n['statement']).not.toMatch(/its diff: |is named in|rose from nothing|the flag turns on/);
    }
  });
});
