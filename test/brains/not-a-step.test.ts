// Moves that look like a change's doing and are not. Egress moved to a new NAT gateway: the new
// gateway's bytes rise from nothing as the old one's fall to it, the same work moved, not new
// work the change started. A flag whose only trace is a throttled share that went from three
// thousandths to thirteen used up no room worth the name. A count of errors that went from one
// every six hours to one every two is a few stray events, not a defect at work.
import { describe, expect, it } from 'vitest';
import { eventsIn } from '../../src/brains/triage/values.js';
import { shareOfWhole } from '../../src/brains/triage/headroom.js';
import { countsWhatItSets } from '../../src/brains/triage/intended.js';
import type { RiskSignalInfo } from '../../src/brains/triage/read-diff.js';
import type { SeriesInfo } from '../../src/brains/triage/read.js';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('not-a-step', { start: '2042-07-09T11:00:00Z', minutes: 200 });

describe('work that moved', () => {
  it('is no new work of the cutover that moved it, when a partner fails its calls later', async () => {
    const series: SeriesSpec[] = [
      { metric: 'aws_natgateway_bytes_out_to_destination', service: 'booking-broker', labels: { nat_gateway: 'nat-old1' }, level: 2e6, noise: 0.05, shifts: [{ at: 90, to: 0 }] },
      { metric: 'aws_natgateway_bytes_out_to_destination', service: 'booking-broker', labels: { nat_gateway: 'nat-new2' }, level: 0, noise: 0.05, shifts: [{ at: 90, to: 2e6 }] },
      { metric: 'broker_partner_requests_per_second', service: 'booking-broker', labels: { partner: 'agn' }, level: 3, noise: 0.05 },
      { metric: 'planner_visibility_requests_failed_per_minute', service: 'mission-planner', labels: { partner: 'agn' }, level: 0, noise: 0.1, shifts: [{ at: 139, to: 6.5 }] },
      { metric: 'planner_visibility_requests_failed_per_minute', service: 'mission-planner', labels: { partner: 'vista' }, level: 0.01, noise: 0.1 },
      { metric: 'broker_partner_errors_per_second', service: 'booking-broker', labels: { partner: 'agn' }, level: 0.001, noise: 0.1, shifts: [{ at: 139, to: 2.5 }] },
    ];
    const changes: BundleSpec['changes'] = [
      { id: 'infra-2291', service: 'booking-broker', type: 'infra', at: 90, summary: 'move egress to a new NAT gateway (partner allow-lists updated)' },
    ];
    const logs: BundleSpec['logs'] = {
      'mission-planner': [...every(0, 200, 1, 'info', 'plan refreshed'), ...every(140, 200, 0.5, 'error', 'visibility query failed: HTTP 503 SCHEDULER_UNAVAILABLE partner=agn')],
      'booking-broker': every(0, 200, 1, 'info', 'reservation stored'),
    };
    const r = await run({ alert: { title: 'contact plan unbooked', service: 'mission-planner', at: 150 }, series, changes, logs });
    expect(verdict(r).change_id).not.toBe('infra-2291');
    const said = r.events.filter((e) => e.type === 'agent.message').map((e) => (e.content[0] as { text: string }).text);
    expect(said.join('\n')).not.toMatch(/nat-new2[^\n]*new work it started/);
  });
});

describe('a step too small to be one', () => {
  it('reads a rate named per minute or per second as the events it counts over a span', () => {
    expect(eventsIn('address_validation_fallbacks_per_minute', 0.009, 60 * 60_000)).toBeCloseTo(0.54);
    expect(eventsIn('checkout_errors_per_second', 0.5, 10 * 60_000)).toBe(300);
    // A share has no count of events.
    expect(eventsIn('http_5xx_ratio', 0.02, 60 * 60_000)).toBeNull();
  });

  it('reads a series named as a share against its whole, so a step of a few thousandths of it uses up no room', () => {
    expect(shareOfWhole('pod_cpu_throttled_ratio{job="loudness-normalizer"}', 0.39)).toBe(1);
    expect(shareOfWhole('disk_utilization_pct', 97)).toBe(100);
    // A count of busy workers is no share: its step is read as a factor.
    expect(shareOfWhole('normalizer_busy_workers', 32)).toBeNull();
  });
});

describe('a setting doing what it says', () => {
  const tightened = { kind: 'limit_changed', identifiers: ['filters.max_accuracy_m'] } as unknown as RiskSignalInfo;
  const seriesNamed = (name: string, labels: Record<string, string>): SeriesInfo => ({ name, labels }) as unknown as SeriesInfo;

  it('reads the drops of the filter it tightened as the filter at work, not harm', () => {
    expect(countsWhatItSets([tightened], seriesNamed('gps_pings_dropped_per_second', { reason: 'low_accuracy' }))).toBe(true);
  });

  it('reads any other count as it is', () => {
    expect(countsWhatItSets([tightened], seriesNamed('gps_pings_dropped_per_second', { reason: 'parse_error' }))).toBe(false);
    // A word every setting and series shares (max, timeout, requests) ties nothing.
    expect(countsWhatItSets([{ ...tightened, identifiers: ['client.timeout_ms'] }], seriesNamed('client_timeout_errors_per_second', {}))).toBe(false);
  });
});


// Failures that come and go in spells: a few in one half hour, none in the next. A release of
// the paged service lands in a quiet spell and the next spell follows it; then, two hours on,
// a gateway's idle timeout is cut below what idle trucks send their keepalives at, and the
// failures climb. The release's "step" is the spells going on as before, not a defect at work.
describe('errors that come and go in spells', () => {
  it('give a release that lands in a quiet spell no step of its own', async () => {
    const spells = [15, 35, 55].flatMap((at) => [{ at, to: 0.03 }, { at: at + 10, to: 0 }]);
    const series: SeriesSpec[] = [
      { metric: 'dispatch_assignment_failures_ratio', service: 'dispatch-engine', level: 0, noise: 0, shifts: [...spells, { at: 106, to: 0.03 }, { at: 170.5, to: 0.5 }] },
      { metric: 'dispatch_assignment_requests_per_minute', service: 'dispatch-engine', level: 30, noise: 0.05 },
      { metric: 'haproxy_frontend_connections_rate', service: 'truck-gateway', level: 0.2, noise: 0.1, shifts: [{ at: 169, to: 6 }] },
    ];
    const changes: BundleSpec['changes'] = [
      { id: 'rel-de-412', service: 'dispatch-engine', type: 'deploy', at: 100, summary: 'dispatch-engine 4.12.0: scoring weights for haul distance' },
      {
        id: 'cfg-gw-418',
        service: 'truck-gateway',
        type: 'config',
        at: 168,
        summary: 'truck-gateway: haproxy client/server timeouts 180s -> 45s',
        diff: patch('ansible/roles/truck-gateway/templates/haproxy.cfg.j2', ['    timeout client 180s', '    timeout server 180s'], ['    timeout client 45s', '    timeout server 45s']),
      },
    ];
    const logs: BundleSpec['logs'] = {
      'dispatch-engine': [...every(0, 200, 1, 'info', 'assignment scored'), ...every(170.5, 200, 0.3, 'warn', 'assignment rejected truck=T-<n> reason=TRUCK_OFFLINE')],
      'truck-gateway': [...every(0, 200, 2, 'info', 'session registered'), ...every(169, 200, 0.2, 'info', 'session closed termination_state=cD')],
    };
    const r = await run({ alert: { title: 'truck assignment rejections above 8%', service: 'dispatch-engine', at: 180 }, series, changes, logs });
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toContain('was there from the start');
    expect(verdict(r)).toEqual({ category: 'config', service: 'truck-gateway', change_id: 'cfg-gw-418' });
  });
});
