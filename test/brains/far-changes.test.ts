// Changes that acted hours before the symptoms, read as an on-call engineer reads them: a
// caller's release that used up the room of the service it calls (the connections it opens
// stepped up as it rolled out, at level traffic, and the day's peak ran out of what was left);
// a burst of work that came and went after a change, which used up nothing; a release rolled
// back before the incident began, whose code no longer ran; and the stages of one release.
import { describe, expect, it } from 'vitest';
import { familyOf } from '../../src/brains/triage/rollout.js';
import type { ChangeInfo } from '../../src/brains/triage/read.js';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('far-changes', { start: '2037-03-03T09:00:00Z', minutes: 180 });

describe("a caller's release that used up the room of the service it calls", () => {
  // At minute 30 the dispatcher stops reusing its relay sessions and dials one per message: the
  // relay's count of connections opened by the dispatcher steps a hundredfold while the messages
  // sent hold level. At the 14:30 wave (minute 150) the relay refuses connections past its
  // per-client rate, the dispatcher's backlog climbs, and the relay pages.
  function bundle(burst: boolean): Omit<BundleSpec, 'start' | 'minutes'> {
    const opened: SeriesSpec = {
      metric: 'relay_connections_opened_per_second',
      service: 'relay',
      labels: { client: 'dispatcher' },
      level: 0.4,
      noise: 0.05,
      // A burst: a batch of connections that came and went, leaving the relay as it was.
      shifts: burst ? [{ at: 30.5, to: 60 }, { at: 50, to: 0.4 }, { at: 150, to: 900 }] : [{ at: 30.5, to: 110 }, { at: 150, to: 900 }],
    };
    return {
      alert: { title: 'relay rejecting submissions', service: 'relay', at: 156 },
      series: [
        opened,
        { metric: 'relay_connections_opened_per_second', service: 'relay', labels: { client: 'billing' }, level: 3.5, noise: 0.1 },
        { metric: 'messages_submitted_per_second', service: 'dispatcher', level: 110, noise: 0.03, shifts: [{ at: 150, to: 780 }] },
        { metric: 'dispatcher_backlog_messages', service: 'dispatcher', level: 800, noise: 0.05, shifts: [{ at: 151, to: 90_000 }] },
        { metric: 'relay_sessions_active', service: 'relay', level: 30, noise: 0.05, shifts: [{ at: 150, to: 220 }] },
        { metric: 'relay_submissions_rejected_per_second', service: 'relay', level: 0.01, noise: 0.5, shifts: [{ at: 151, to: 520 }] },
        { metric: 'relay_deliveries_per_second', service: 'relay', level: 120, noise: 0.03, shifts: [{ at: 150, to: 700 }] },
      ],
      changes: [
        {
          id: 'rel-4410',
          service: 'dispatcher',
          type: 'deploy',
          at: 30,
          summary: 'dispatcher 5.2.0: simpler relay client',
          diff: patch(
            'src/relay_client.py',
            ['        self.pool = SessionPool(size=4, reuse=True)', '        session = self.pool.acquire()'],
            ['        session = SmtpSession.dial(self.relay_host)', '        session.starttls()'],
          ),
        },
        {
          id: 'cfg-903',
          service: 'relay',
          type: 'config',
          at: 132,
          summary: 'relay: outbound concurrency for one provider',
          diff: patch('relay/main.cf', ['outbound_concurrency_limit = 20'], ['outbound_concurrency_limit = 24']),
        },
        { id: 'rel-4415', service: 'bounces', type: 'deploy', at: 140, summary: 'bounces 1.9.1: parse more DSN formats', diff: patch('src/dsn.py', ['    return parse_v1(text)'], ['    return parse_v1(text) or parse_v2(text)']) },
      ],
      logs: {
        relay: [...every(0, 180, 1, 'info', 'connection from dispatcher accepted'), ...every(151, 180, 0.25, 'warn', 'client=dispatcher rejected: too many connections from this client')],
        dispatcher: [...every(0, 180, 1, 'info', 'campaign batch submitted'), ...every(151, 180, 0.5, 'error', 'relay answered 421 too many connections, will retry')],
      },
    };
  }

  it('is named, though its own service only got worse at the peak', async () => {
    expect(verdict(await run(bundle(false)))).toEqual({ category: 'deploy', service: 'dispatcher', change_id: 'rel-4410' });
  });

  it('is not named from a burst of work that came and went after it', async () => {
    expect(verdict(await run(bundle(true)))).not.toEqual({ category: 'deploy', service: 'dispatcher', change_id: 'rel-4410' });
  });
});

describe("a peer's room that was already filling before a change", () => {
  // The relay's connections from the dispatcher climb all morning (more campaigns, more
  // sessions), through the billing service's release at minute 60, and the wave at 150 finds
  // them high. The release, which only talks to the relay, stepped nothing: the climb was on
  // its way there.
  it('is not room the change used up', async () => {
    const r = await run({
      alert: { title: 'relay rejecting submissions', service: 'relay', at: 156 },
      series: [
        { metric: 'relay_connections_opened_per_second', service: 'relay', labels: { client: 'billing' }, level: 20, noise: 0.03, slope: 1, shifts: [{ at: 150, to: 400 }] },
        { metric: 'relay_sessions_active', service: 'relay', level: 30, noise: 0.05, shifts: [{ at: 150, to: 220 }] },
        { metric: 'relay_submissions_rejected_per_second', service: 'relay', level: 0.01, noise: 0.5, shifts: [{ at: 151, to: 520 }] },
        { metric: 'invoices_sent_per_second', service: 'billing', level: 40, noise: 0.03, shifts: [{ at: 150, to: 300 }] },
        { metric: 'billing_outbox_messages', service: 'billing', level: 300, noise: 0.05, shifts: [{ at: 151, to: 40_000 }] },
      ],
      changes: [
        {
          id: 'rel-5120',
          service: 'billing',
          type: 'deploy',
          at: 60,
          summary: 'billing 8.1.0: invoice footer',
          diff: patch('templates/invoice.html', ['<p>Thank you</p>'], ['<p>Thank you for your business</p>']),
        },
      ],
      logs: {
        relay: [...every(0, 180, 1, 'info', 'connection from billing accepted'), ...every(151, 180, 0.25, 'warn', 'client=billing rejected: too many connections from this client')],
        billing: [...every(0, 180, 1, 'info', 'invoice batch sent'), ...every(151, 180, 0.5, 'error', 'relay answered 421 too many connections, will retry')],
      },
    });
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toContain('used up room');
    expect(verdict(r).change_id).not.toBe('rel-5120');
  });
});

describe('a release rolled back before the incident began', () => {
  // The release at 20 leaks memory (its heap climbs); the rollback at 120 undoes it, and its
  // database migration drops the index the old version's query needs: the database's CPU pins
  // at 121 and the check-in service, which reads through it, pages at 127. The release's code
  // no longer ran when the incident began; the rollback is what began it.
  const bundle: Omit<BundleSpec, 'start' | 'minutes'> = {
    alert: { title: 'check-in latency above 2s', service: 'checkin', at: 127 },
    series: [
      { metric: 'process_heap_bytes', service: 'slots', level: 400e6, noise: 0.01, slope: 1.5e6, slopeFrom: 20, slopeUntil: 120 },
      { metric: 'http_requests_per_second', service: 'slots', level: 240, noise: 0.03 },
      { metric: 'http_request_duration_seconds_p99', service: 'slots', level: 0.08, noise: 0.05, shifts: [{ at: 121, to: 3.2 }] },
      { metric: 'db_cpu_utilisation_ratio', service: 'slots-db', level: 0.35, noise: 0.04, shifts: [{ at: 121, to: 0.99 }] },
      { metric: 'http_request_duration_seconds_p99', service: 'checkin', level: 0.15, noise: 0.05, shifts: [{ at: 121.5, to: 4.1 }] },
      { metric: 'http_requests_per_second', service: 'checkin', level: 90, noise: 0.03 },
    ],
    changes: [
      {
        id: 'rel-8120',
        service: 'slots',
        type: 'deploy',
        at: 20,
        summary: 'slots 7.3.0: range search on starts_at',
        attributes: { version: '7.3.0' },
        diff: patch('db/V7_3__starts_at.sql', ['-- none'], ['CREATE INDEX idx_slots_starts_at ON slots (clinic_id, starts_at);', 'DROP INDEX idx_slots_clinic_date;']),
      },
      {
        id: 'rb-8131',
        service: 'slots',
        type: 'rollback',
        at: 120,
        summary: 'roll slots back to 7.2.4 (heap growth since 7.3.0)',
        attributes: { version: '7.2.4', reverts: 'rel-8120' },
        diff: patch('db/U7_3__starts_at.sql', ['-- none'], ['DROP INDEX idx_slots_starts_at;']),
      },
      { id: 'rel-8126', service: 'checkin', type: 'deploy', at: 100, summary: 'checkin 4.4.2: kiosk session timeout 90s -> 120s', diff: patch('src/kiosk.ts', ['const TIMEOUT_S = 90;'], ['const TIMEOUT_S = 120;']) },
    ],
    logs: {
      slots: [...every(0, 180, 1, 'info', 'slot search served'), ...every(122, 180, 0.5, 'warn', 'slow query: Parallel Seq Scan on slots duration_ms=2900')],
      checkin: [...every(0, 180, 1, 'info', 'kiosk check-in completed'), ...every(122, 180, 0.5, 'error', 'slots lookup timed out after 2000ms')],
    },
  };

  it('is not blamed for what began as it was undone', async () => {
    const r = await run(bundle);
    expect(verdict(r).change_id).not.toBe('rel-8120');
    const ruledOut = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(ruledOut).toContain('rb-8131 rolled it back');
  });
});

describe('the stages of one release', () => {
  const change = (id: string, at: number, version: string | null, service = 'gateway'): ChangeInfo => ({
    id,
    service,
    type: 'deploy',
    at,
    finishedAt: null,
    summary: `${service} ${version ?? ''}`,
    diff: null,
    version,
    commit: null,
    attributes: {},
  });
  const changes = [change('dep-1', 10, '4.21.0'), change('dep-2', 20, '4.21.0'), change('dep-3', 30, '4.21.0'), change('dep-4', 40, '4.21.1'), change('dep-5', 15, '4.21.0', 'media')];

  it('are one rollout: deploys of one service shipping the same version', () => {
    expect(familyOf(changes[1] as ChangeInfo, changes).map((x) => x.id)).toEqual(['dep-1', 'dep-2', 'dep-3']);
  });

  it('do not take in another version, or another service', () => {
    expect(familyOf(changes[3] as ChangeInfo, changes).map((x) => x.id)).toEqual(['dep-4']);
    expect(familyOf(changes[4] as ChangeInfo, changes).map((x) => x.id)).toEqual(['dep-5']);
  });
});
