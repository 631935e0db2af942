// Moves that look like a change's doing and are not. Egress moved to a new NAT gateway: the new
// gateway's bytes rise from nothing as the old one's fall to it, the same work moved, not new
// work the change started. A flag whose only trace is a throttled share that went from three
// thousandths to thirteen used up no room worth the name. A count of errors that went from one
// every six hours to one every two is a few stray events, not a defect at work.
import { describe, expect, it } from 'vitest';
import { eventsIn } from '../../src/brains/triage/early-errors.js';
import { shareOfWhole } from '../../src/brains/triage/headroom.js';
import { countsWhatItSets } from '../../src/brains/triage/intended.js';
import type { RiskSignalInfo } from '../../src/brains/triage/read-diff.js';
import type { SeriesInfo } from '../../src/brains/triage/read.js';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

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

