// A consumer at its ceiling: the work it did climbed with the evening's demand, then held flat
// while its lag grew on every partition alike. That is capacity at the consumer. Lag on one
// partition only is a hot key, and a consumer whose sink slowed as it fell behind waits on the
// sink: neither is the consumer's own ceiling.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, type Run } from './helpers.js';
import type { SeriesSpec } from './synthetic.js';

const run = syntheticRunner('consumer-ceiling', { start: '2035-01-19T13:00:00Z', minutes: 180 });

const verdict = (r: Run): { category?: string; service?: string | null } => ({ category: r.diagnosis?.root_cause.category, service: r.diagnosis?.root_cause.service });

/** Processed work climbs from minute 60 to 120, then holds; lag grows from 120 on `behind` of the 12 partitions. */
function series(behind: number[], sinkSlowed: boolean): SeriesSpec[] {
  return [
    { metric: 'meter_messages_processed_per_second', service: 'meter-ingest', level: 300, noise: 0.01, slope: 2, slopeFrom: 60, slopeUntil: 120 },
    { metric: 'meter_message_duration_seconds_p95', service: 'meter-ingest', level: 0.012, noise: 0.03 },
    ...Array.from({ length: 12 }, (_, p) => ({
      metric: 'kafka_consumergroup_lag',
      service: 'meter-ingest',
      labels: { group: 'meter-ingest', topic: 'meter-values', partition: String(p) },
      level: 20,
      noise: 0.1,
      ...(behind.includes(p) ? { slope: 60, slopeFrom: 120 } : {}),
    })),
    { metric: 'http_requests_per_second', service: 'app-api', level: 800, noise: 0.03 },
    { metric: 'meter_db_write_duration_seconds_p99', service: 'meter-db', level: 0.02, noise: 0.03, ...(sinkSlowed ? { shifts: [{ at: 119, to: 0.4 }] } : {}) },
  ];
}

const alert = { title: 'meter-ingest consumer lag high', service: 'meter-ingest', at: 135 };
const everyPartition = Array.from({ length: 12 }, (_, p) => p);

describe('a consumer at its ceiling', () => {
  it('is capacity at the consumer when its work held flat as its lag grew on every partition', async () => {
    const r = await run({ alert, series: series(everyPartition, false), changes: [] });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'meter-ingest' });
  });

  it('is not, when only one partition fell behind: a hot key', async () => {
    const r = await run({ alert, series: series([3], false), changes: [] });
    expect(verdict(r).category).not.toBe('capacity');
  });

  it('is not, when what it writes to slowed as it fell behind', async () => {
    const r = await run({ alert, series: series(everyPartition, true), changes: [] });
    expect(verdict(r)).not.toEqual({ category: 'capacity', service: 'meter-ingest' });
  });
});

describe('a consumer at its ceiling, seen through the broker and the reader', () => {
  // The broker exports the lag under its own name (`consumergroup="meter-ingest"`); demand ramped
  // slowly for two hours; the paged reader serves readings the consumer has yet to write, and
  // its own CPU rose with its callers, short of any ceiling.
  const slow: SeriesSpec[] = [
    { metric: 'meter_messages_processed_per_second', service: 'meter-ingest', level: 300, noise: 0.01, slope: 0.5, slopeUntil: 120 },
    { metric: 'meter_message_duration_seconds_p95', service: 'meter-ingest', level: 0.012, noise: 0.03 },
    ...Array.from({ length: 12 }, (_, p) => ({
      metric: 'kafka_consumergroup_lag',
      service: 'kafka',
      labels: { consumergroup: 'meter-ingest', topic: 'meter-values', partition: String(p) },
      level: 20,
      noise: 0.1,
      slope: 60,
      slopeFrom: 120,
    })),
    { metric: 'http_requests_per_second', service: 'meter-api', level: 400, noise: 0.02, slope: 4, slopeFrom: 60 },
    { metric: 'container_cpu_usage_ratio', service: 'meter-api', level: 0.2, noise: 0.02, slope: 0.002, slopeFrom: 60 },
    { metric: 'meter_latest_reading_age_seconds', service: 'meter-api', level: 30, noise: 0.05, slope: 20, slopeFrom: 121 },
  ];

  it('is capacity at the consumer the lag names, not at the reader that shows its lateness', async () => {
    const r = await run({ alert: { title: 'meter readings stale', service: 'meter-api', at: 150 }, series: slow, changes: [] });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'meter-ingest' });
  });
});

describe('a consumer at its ceiling when demand arrives at once', () => {
  // Campaigns scheduled on the hour: events arrive at three times the rate at minute 120. The
  // consumer's work rises with them to what its twelve partitions allow, then holds flat there
  // while its lag grows on every partition.
  const burst = (ceiling: number): SeriesSpec[] => [
    { metric: 'events_consumed_per_second', service: 'hook-dispatcher', level: 600, noise: 0.01, shifts: [{ at: 120, to: ceiling }] },
    { metric: 'hook_post_duration_seconds_p95', service: 'hook-dispatcher', level: 0.08, noise: 0.03 },
    ...Array.from({ length: 12 }, (_, p) => ({
      metric: 'kafka_consumergroup_lag',
      service: 'hook-dispatcher',
      labels: { group: 'hook-dispatcher', topic: 'mail-events', partition: String(p) },
      level: 20,
      noise: 0.1,
      slope: 40,
      slopeFrom: 121,
    })),
    { metric: 'http_requests_per_second', service: 'send-api', level: 300, noise: 0.03 },
  ];

  it('is capacity at the consumer when its work rose with the burst and then held flat', async () => {
    const r = await run({ alert: { title: 'hook-dispatcher lag above 5 minutes', service: 'hook-dispatcher', at: 140 }, series: burst(1800), changes: [] });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'hook-dispatcher' });
  });

  it('is not, when its own work began to fail as it rose: the rise is its retries', async () => {
    const failing: SeriesSpec = { metric: 'hook_delivery_failures_per_second', service: 'hook-dispatcher', level: 0.01, noise: 0.2, shifts: [{ at: 120, to: 900 }] };
    const r = await run({ alert: { title: 'hook-dispatcher lag above 5 minutes', service: 'hook-dispatcher', at: 140 }, series: [...burst(1800), failing], changes: [] });
    expect(verdict(r)).not.toEqual({ category: 'capacity', service: 'hook-dispatcher' });
  });
});
